#pragma once

#include "canvastestutil.h"

#include "ui/canvas/canvasview.h"
#include "ui/tools/toolmanager.h"

#include <QTest>

#include <gtest/gtest.h>

namespace fieldmark::test {

// An editor on screen with one item of a task open, for the tool tests.
class ToolTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        m_project = CanvasProject::create();
        ASSERT_TRUE(m_project);
        m_editor = std::make_unique<ImageEditor>();
        m_editor->resize(800, 600);
        m_editor->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(m_editor.get()));
    }

    void TearDown() override
    {
        if (m_editor)
            m_editor->setDocument(nullptr);
    }

    void show(const LabelTask &task, qint64 itemId = 0)
    {
        m_document = m_project->open(itemId ? itemId : m_project->scene, task);
        ASSERT_TRUE(m_document);
        m_editor->setDocument(m_document.get());
        ASSERT_TRUE(waitForState(*m_editor, ImageEditor::State::Ready));
        m_editor->view()->setFocus();
    }

    template<typename T>
    T *use()
    {
        T *tool = m_editor->toolManager()->findTool<T>();
        EXPECT_NE(tool, nullptr);
        if (tool)
            m_editor->toolManager()->setCurrentTool(tool);
        return tool;
    }

    void key(Qt::Key key, Qt::KeyboardModifiers modifiers = {})
    {
        QTest::keyClick(m_editor->view(), key, modifiers);
    }

    std::unique_ptr<CanvasProject> m_project;
    std::unique_ptr<ImageEditor> m_editor;
    std::unique_ptr<ItemDocument> m_document;
};

} // namespace fieldmark::test
