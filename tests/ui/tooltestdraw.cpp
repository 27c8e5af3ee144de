// Drawing boxes and polygons with real mouse and key events on the canvas; undo and redo; and
// what the store holds afterwards.
#include "tooltestfixture.h"

#include "core/model/validation.h"
#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/boxtool.h"
#include "ui/tools/polygontool.h"
#include "ui/tools/selecttool.h"

#include <QAction>
#include <QSignalSpy>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using DrawToolTest = test::ToolTest;

TEST_F(DrawToolTest, DrawABoxResizeItUndoAndRedo)
{
    show(m_project->boxes);
    m_editor->setCurrentClass(m_project->boxes.classes[1].id);
    // W picks the box tool.
    QTest::keyClick(m_editor->view(), Qt::Key_W);
    ASSERT_NE(qobject_cast<BoxTool *>(m_editor->toolManager()->currentTool()), nullptr);
    EXPECT_TRUE(m_editor->view()->isCrosshairVisible());

    test::dragOnViewport(*m_editor, {50, 60}, {150, 140});
    QList<Annotation> saved = m_project->stored(m_project->scene, m_project->boxes);
    ASSERT_EQ(saved.size(), 1);
    const qint64 id = saved[0].id;
    Box box = std::get<Box>(saved[0].shape);
    EXPECT_NEAR(box.x, 50, 1.0);
    EXPECT_NEAR(box.y, 60, 1.0);
    EXPECT_NEAR(box.width, 100, 1.0);
    EXPECT_NEAR(box.height, 80, 1.0);
    EXPECT_EQ(saved[0].classId, m_project->boxes.classes[1].id);
    EXPECT_EQ(saved[0].provenance.state, LabelState::Human);
    EXPECT_EQ(m_document->selection(), QSet<qint64>{id}); // ready for the arrows

    // Resize it by its right-hand handle with the select tool (V).
    QTest::keyClick(m_editor->view(), Qt::Key_V);
    ASSERT_NE(qobject_cast<SelectTool *>(m_editor->toolManager()->currentTool()), nullptr);
    EXPECT_FALSE(m_editor->view()->isCrosshairVisible());
    const QPointF rightHandle(box.x + box.width, box.y + box.height / 2);
    test::dragOnViewport(*m_editor, rightHandle, rightHandle + QPointF(60, 0));
    Box resized = std::get<Box>(m_project->stored(m_project->scene, m_project->boxes)[0].shape);
    EXPECT_NEAR(resized.width, box.width + 60, 1.0);
    EXPECT_EQ(resized.x, box.x);
    EXPECT_EQ(resized.height, box.height);
    EXPECT_EQ(m_document->undoStack()->count(), 2); // the box, one resize

    m_document->undoStack()->undo();
    EXPECT_EQ(std::get<Box>(m_project->stored(m_project->scene, m_project->boxes)[0].shape), box);
    m_document->undoStack()->undo();
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->boxes).isEmpty());
    EXPECT_TRUE(m_editor->scene()->annotationItems().isEmpty());
    m_document->undoStack()->redo();
    m_document->undoStack()->redo();
    saved = m_project->stored(m_project->scene, m_project->boxes);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(std::get<Box>(saved[0].shape), resized);
    ASSERT_EQ(m_editor->scene()->annotationItems().size(), 1);
    EXPECT_EQ(std::get<Box>(m_editor->scene()->annotationItems()[0]->shownShape()), resized);
}

TEST_F(DrawToolTest, ABoxIsClampedToTheImageAndAClickDrawsNothing)
{
    show(m_project->boxes);
    use<BoxTool>();
    test::dragOnViewport(*m_editor, {350, 250}, {460, 330});
    QList<Annotation> saved = m_project->stored(m_project->scene, m_project->boxes);
    ASSERT_EQ(saved.size(), 1);
    const Box box = std::get<Box>(saved[0].shape);
    EXPECT_NEAR(box.x + box.width, 400, 1e-9);
    EXPECT_NEAR(box.y + box.height, 300, 1e-9);
    test::clickOnViewport(*m_editor, {100, 100});
    EXPECT_EQ(m_project->stored(m_project->scene, m_project->boxes).size(), 1);
    // Escape drops a box being drawn.
    QWidget *viewport = m_editor->view()->viewport();
    QTest::mousePress(viewport, Qt::LeftButton, {}, test::viewportPos(*m_editor, {20, 20}));
    QTest::mouseMove(viewport, test::viewportPos(*m_editor, {80, 80}));
    QTest::keyClick(m_editor->view(), Qt::Key_Escape);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, test::viewportPos(*m_editor, {80, 80}));
    EXPECT_EQ(m_project->stored(m_project->scene, m_project->boxes).size(), 1);
}

TEST_F(DrawToolTest, DrawAPolygonAndCloseItOnTheFirstPoint)
{
    show(m_project->regions);
    m_editor->setCurrentClass(m_project->regions.classes[0].id);
    QTest::keyClick(m_editor->view(), Qt::Key_P);
    auto *tool = qobject_cast<PolygonTool *>(m_editor->toolManager()->currentTool());
    ASSERT_NE(tool, nullptr);
    const QList<QPointF> corners = {{168, 180}, {232, 180}, {340, 300}, {60, 300}};
    for (const QPointF &p : corners)
        test::clickOnViewport(*m_editor, p);
    EXPECT_EQ(tool->points().size(), 4);
    test::clickOnViewport(*m_editor, corners[0] + QPointF(1, 1)); // on the first point
    EXPECT_TRUE(tool->points().isEmpty());
    const QList<Annotation> saved = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(saved.size(), 1);
    const QVector<QPointF> points = std::get<Polygon>(saved[0].shape).points;
    ASSERT_EQ(points.size(), 4);
    for (int i = 0; i < 4; ++i) {
        EXPECT_NEAR(points[i].x(), std::min(corners[i].x(), 400.0), 1.0);
        EXPECT_NEAR(points[i].y(), std::min(corners[i].y(), 300.0), 1.0);
    }
    EXPECT_EQ(m_document->undoStack()->count(), 1);
    m_document->undoStack()->undo();
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->regions).isEmpty());
}

TEST_F(DrawToolTest, EnterClosesBackspaceRemovesEscapeCancels)
{
    show(m_project->regions);
    auto *tool = use<PolygonTool>();
    test::clickOnViewport(*m_editor, {20, 20});
    test::clickOnViewport(*m_editor, {120, 20});
    test::clickOnViewport(*m_editor, {300, 200}); // a mistake
    QTest::keyClick(m_editor->view(), Qt::Key_Backspace);
    EXPECT_EQ(tool->points().size(), 2);
    test::clickOnViewport(*m_editor, {70, 90});
    QTest::keyClick(m_editor->view(), Qt::Key_Return);
    QList<Annotation> saved = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_EQ(std::get<Polygon>(saved[0].shape).points.size(), 3);

    test::clickOnViewport(*m_editor, {200, 200});
    test::clickOnViewport(*m_editor, {250, 200});
    QTest::keyClick(m_editor->view(), Qt::Key_Escape);
    EXPECT_TRUE(tool->points().isEmpty());
    EXPECT_EQ(m_project->stored(m_project->scene, m_project->regions).size(), 1);
}

TEST_F(DrawToolTest, ASelfCrossingPolygonIsRefused)
{
    show(m_project->regions);
    auto *tool = use<PolygonTool>();
    QSignalSpy messages(m_editor.get(), &ImageEditor::statusMessage);
    // A bow tie: the fourth edge would cross the first.
    test::clickOnViewport(*m_editor, {100, 100});
    test::clickOnViewport(*m_editor, {200, 200});
    test::clickOnViewport(*m_editor, {200, 100});
    test::clickOnViewport(*m_editor, {100, 200});
    EXPECT_EQ(tool->points().size(), 3); // the crossing vertex was refused
    ASSERT_GE(messages.count(), 1);
    EXPECT_TRUE(messages.last().at(0).toString().contains(u"cross"_s));
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->regions).isEmpty());
    // The closing edge may not cross either.
    test::clickOnViewport(*m_editor, {250, 150});
    ASSERT_EQ(tool->points().size(), 4); // 100,100 200,200 200,100 250,150: its closing edge
                                         // would cross 200,200-200,100
    QTest::keyClick(m_editor->view(), Qt::Key_Return);
    EXPECT_TRUE(messages.last().at(0).toString().contains(u"cross"_s));
    EXPECT_EQ(tool->points().size(), 4);
    EXPECT_TRUE(m_project->stored(m_project->scene, m_project->regions).isEmpty());
    // Taking the bad vertex back lets it close.
    QTest::keyClick(m_editor->view(), Qt::Key_Backspace);
    QTest::keyClick(m_editor->view(), Qt::Key_Return);
    const QList<Annotation> saved = m_project->stored(m_project->scene, m_project->regions);
    ASSERT_EQ(saved.size(), 1);
    EXPECT_FALSE(polygonSelfIntersects(std::get<Polygon>(saved[0].shape).points));
}

TEST_F(DrawToolTest, WhatWasDrawnIsInTheStoreAfterReopening)
{
    show(m_project->regions);
    m_editor->setCurrentClass(m_project->regions.classes[0].id);
    use<PolygonTool>();
    for (const QPointF &p : {QPointF(20, 20), QPointF(120, 20), QPointF(70, 90)})
        test::clickOnViewport(*m_editor, p);
    QTest::keyClick(m_editor->view(), Qt::Key_Return);
    m_editor->setCurrentClass(m_project->regions.classes[1].id);
    QTest::keyClick(m_editor->view(), Qt::Key_B);
    test::dragOnViewport(*m_editor, {200, 200}, {260, 220});

    auto boxes = m_project->open(m_project->second, m_project->boxes);
    m_editor->setDocument(boxes.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Ready));
    m_editor->view()->setFocus();
    QTest::keyClick(m_editor->view(), Qt::Key_W);
    test::dragOnViewport(*m_editor, {10, 10}, {90, 70});

    // Close everything, as when the window goes, and read the project afresh.
    m_editor.reset();
    m_document.reset();
    boxes.reset();
    m_project->store.reset();
    auto store = ProjectStore::open(m_project->projectDir);
    ASSERT_TRUE(store);
    const QList<Annotation> regions =
        (*store)->annotations(m_project->scene, m_project->regions.id);
    ASSERT_EQ(regions.size(), 2);
    int polygons = 0, masks = 0;
    for (const Annotation &a : regions) {
        EXPECT_EQ(a.provenance.state, LabelState::Human);
        EXPECT_EQ(a.provenance.annotatorId, m_project->annotator);
        if (std::holds_alternative<Polygon>(a.shape)) {
            ++polygons;
            EXPECT_EQ(a.classId, m_project->regions.classes[0].id);
            EXPECT_EQ(std::get<Polygon>(a.shape).points.size(), 3);
        } else if (const auto *mask = std::get_if<Mask>(&a.shape)) {
            ++masks;
            EXPECT_EQ(a.classId, m_project->regions.classes[1].id);
            EXPECT_TRUE(mask->rle.contains(230, 210));
        }
    }
    EXPECT_EQ(polygons, 1);
    EXPECT_EQ(masks, 1);
    const QList<Annotation> drawn = (*store)->annotations(m_project->second, m_project->boxes.id);
    ASSERT_EQ(drawn.size(), 1);
    const Box box = std::get<Box>(drawn[0].shape);
    EXPECT_NEAR(box.width, 80, 1.0);
    EXPECT_NEAR(box.height, 60, 1.0);
}

TEST_F(DrawToolTest, ToolsWithoutADocumentOrImageDoNothing)
{
    m_document = m_project->open(m_project->broken, m_project->boxes);
    m_editor->setDocument(m_document.get());
    ASSERT_TRUE(test::waitForState(*m_editor, ImageEditor::State::Error));
    use<BoxTool>();
    // The message is shown instead of the canvas; events on the hidden view draw nothing.
    test::dragOnViewport(*m_editor, {10, 10}, {100, 100});
    EXPECT_TRUE(m_project->stored(m_project->broken, m_project->boxes).isEmpty());
}

} // namespace
} // namespace fieldmark
