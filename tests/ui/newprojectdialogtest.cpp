#include "uitestutil.h"

#include "ui/dialogs/newprojectdialog.h"
#include "ui/mainwindow.h"
#include "ui/preview/itempreview.h"
#include "ui/tasks/taskpanel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

TEST(NewProjectDialogTest, ValidatesInlineAsTheUserTypes)
{
    QTemporaryDir dir;
    NewProjectDialog dialog;
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    QPushButton *ok = dialog.buttons()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.messageLabel()->text().contains(QStringLiteral("folder")));

    QTest::keyClicks(dialog.directoryEdit(), dir.filePath(QStringLiteral("birds")));
    dialog.classesEdit()->setFocus();
    QTest::keyClicks(dialog.classesEdit(), QStringLiteral("robin"));
    QTest::keyClick(dialog.classesEdit(), Qt::Key_Return);
    QTest::keyClicks(dialog.classesEdit(), QStringLiteral("blue, tit"));
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.messageLabel()->text().contains(QStringLiteral("line 2")))
        << dialog.messageLabel()->text().toStdString();
    EXPECT_TRUE(dialog.messageLabel()->isVisibleTo(&dialog));

    dialog.classesEdit()->setPlainText(QStringLiteral("robin\n\nrobin\n"));
    EXPECT_TRUE(dialog.messageLabel()->text().contains(QStringLiteral("twice")));

    dialog.classesEdit()->setPlainText(QStringLiteral("robin\nblue tit\n\nwren\n"));
    EXPECT_TRUE(ok->isEnabled());
    EXPECT_TRUE(dialog.validationMessage().isEmpty());
    EXPECT_FALSE(dialog.messageLabel()->isVisibleTo(&dialog));
    EXPECT_EQ(dialog.classNames(), QStringList({QStringLiteral("robin"), QStringLiteral("blue tit"),
                                                QStringLiteral("wren")}));
    EXPECT_EQ(dialog.taskType(), TaskType::ImageClassification);
    dialog.taskTypeCombo()->setCurrentIndex(
        dialog.taskTypeCombo()->findData(QStringLiteral("boxes")));
    EXPECT_EQ(dialog.taskType(), TaskType::Boxes);
    EXPECT_EQ(dialog.taskTypeCombo()->count(), taskTypeNames().size());

    dialog.taskNameEdit()->clear();
    EXPECT_FALSE(ok->isEnabled());
    EXPECT_TRUE(dialog.messageLabel()->text().contains(QStringLiteral("name")));
}

TEST(NewProjectDialogTest, RefusesAFolderThatHoldsAProject)
{
    auto sample = test::SampleProject::create();
    ASSERT_TRUE(sample);
    NewProjectDialog dialog;
    dialog.setDirectory(sample->projectDir);
    dialog.classesEdit()->setPlainText(QStringLiteral("a"));
    EXPECT_TRUE(dialog.validationMessage().contains(QStringLiteral("already holds")));
    dialog.resize(520, 420);
    dialog.grab().save(test::screenshotPath(QStringLiteral("newprojectdialog.png")));
}

TEST(NewProjectDialogTest, CreatedProjectOpensWithItsTask)
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("ui.ini")), QSettings::IniFormat);
    MainWindow window(settings);
    const QString folder = dir.filePath(QStringLiteral("reviews"));
    ASSERT_TRUE(window.createProject(folder, QStringLiteral("sentiment"),
                                     TaskType::TextClassification,
                                     {QStringLiteral("positive"), QStringLiteral("negative")}));
    ASSERT_NE(window.store(), nullptr);
    EXPECT_EQ(window.taskPanel()->classTree()->topLevelItemCount(), 2);
    EXPECT_EQ(window.taskPanel()->countLabel(TaskPanel::Count::Items)->text(), QStringLiteral("0"));
    EXPECT_TRUE(window.preview()->message().contains(QStringLiteral("no items yet")))
        << window.preview()->message().toStdString();
    EXPECT_TRUE(QFileInfo::exists(QDir(folder).filePath(QStringLiteral("project.fieldmark"))));
}

} // namespace
