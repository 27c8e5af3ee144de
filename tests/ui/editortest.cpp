// The editing side of the main window: class keys, review keys, navigation, the browser's
// filters, undo / redo and reopening, driven with QTest key and mouse events on real widgets.
#include "annotatedproject.h"
#include "uitestutil.h"

#include "ui/browser/itembrowser.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/canvas/canvasview.h"
#include "ui/canvas/imagecache.h"
#include "ui/canvas/imageeditor.h"
#include "ui/dialogs/shortcutsdialog.h"
#include "ui/editorcontroller.h"
#include "ui/labels/labelpanel.h"
#include "ui/mainwindow.h"
#include "ui/preview/itempreview.h"
#include "ui/tasks/taskpanel.h"

#include "core/document/itemdocument.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPalette>
#include <QPushButton>
#include <QSettings>
#include <QStyle>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

using namespace fieldmark;
using fieldmark::test::AnnotatedProject;
using fieldmark::test::SampleProject;

namespace {

bool waitForImage(MainWindow &window)
{
    return test::waitUntil(
        [&] { return window.imageEditor()->state() == ImageEditor::State::Ready; });
}

QString fileOf(MainWindow &window, qint64 itemId)
{
    auto item = window.store()->item(itemId);
    return item ? QFileInfo(item->path).fileName() : QString();
}

QList<Annotation> storedLabels(MainWindow &window, qint64 itemId)
{
    return window.store()->annotations(itemId, window.editor()->task().id);
}

QList<qint64> classesOf(const QList<Annotation> &annotations)
{
    QList<qint64> ids;
    for (const Annotation &a : annotations) {
        if (a.provenance.state != LabelState::Rejected)
            ids.append(a.classId);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

// As a person types: to the widget with the keyboard focus.
void press(QWidget *window, Qt::Key key, Qt::KeyboardModifiers modifiers = {})
{
    QWidget *focus = QApplication::focusWidget();
    QTest::keyClick(focus && focus->window() == window ? focus : window, key, modifiers);
    QCoreApplication::processEvents();
}

QPalette darkPalette()
{
    QPalette palette;
    const QColor window(45, 45, 48), base(30, 30, 32), text(230, 230, 230);
    palette.setColor(QPalette::Window, window);
    palette.setColor(QPalette::WindowText, text);
    palette.setColor(QPalette::Base, base);
    palette.setColor(QPalette::AlternateBase, window);
    palette.setColor(QPalette::ToolTipBase, base);
    palette.setColor(QPalette::ToolTipText, text);
    palette.setColor(QPalette::PlaceholderText, QColor(140, 140, 140));
    palette.setColor(QPalette::Text, text);
    palette.setColor(QPalette::Button, window);
    palette.setColor(QPalette::ButtonText, text);
    palette.setColor(QPalette::BrightText, Qt::red);
    palette.setColor(QPalette::Highlight, QColor(42, 130, 218));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    palette.setColor(QPalette::Link, QColor(90, 160, 240));
    for (const QPalette::ColorRole role :
         {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        palette.setColor(QPalette::Disabled, role, QColor(120, 120, 120));
    return palette;
}

class EditorTest : public ::testing::Test
{
protected:
    void TearDown() override
    {
        window.reset();
        settings.reset();
    }

    void openWindow(const QString &projectDir, const QString &settingsPath)
    {
        settings = std::make_unique<QSettings>(settingsPath, QSettings::IniFormat);
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1280, 800);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
        ASSERT_TRUE(window->openProject(projectDir));
    }

    void selectTask(const QString &name)
    {
        QComboBox *combo = window->taskPanel()->taskCombo();
        const int index = combo->findText(name);
        ASSERT_GE(index, 0);
        combo->setCurrentIndex(index);
        ASSERT_EQ(window->editor()->task().name, name);
    }

    qint64 current() const { return window->browser()->currentItemId(); }

    std::unique_ptr<QSettings> settings;
    std::unique_ptr<MainWindow> window;
};

class ClassificationTest : public EditorTest
{
protected:
    void SetUp() override
    {
        sample = SampleProject::create();
        ASSERT_TRUE(sample);
        openWindow(sample->projectDir, sample->root.filePath(QStringLiteral("ui.ini")));
        ASSERT_EQ(window->editor()->task().name, QStringLiteral("animals"));
        ids = window->store()->itemIds();
        ASSERT_EQ(ids.size(), 4);
        ASSERT_EQ(current(), ids[0]);
        ASSERT_NE(window->editor()->document(), nullptr);
    }

    void TearDown() override
    {
        EditorTest::TearDown();
        sample.reset();
    }

    qint64 classId(const QString &name) const
    {
        return window->editor()->task().classByName(name)->id;
    }

    std::unique_ptr<SampleProject> sample;
    QList<qint64> ids;
};

class ReviewTest : public EditorTest
{
protected:
    void SetUp() override
    {
        project = AnnotatedProject::create();
        ASSERT_TRUE(project);
        {
            // A second, less sure proposal on blue: the reviewer sees it first.
            auto store = ProjectStore::open(project->projectDir);
            ASSERT_TRUE(store);
            Annotation unsure;
            unsure.itemId = project->itemIds[2];
            unsure.taskId = project->vehicles.id;
            unsure.classId = project->vehicles.classes.at(0).id; // car
            unsure.shape = Box{100, 100, 60, 40};
            unsure.provenance.state = LabelState::Machine;
            unsure.provenance.confidence = 0.35;
            ASSERT_TRUE((*store)->addAnnotation(unsure));
        }
        openWindow(project->projectDir, project->path(QStringLiteral("ui.ini")));
        ASSERT_EQ(window->editor()->task().name, QStringLiteral("vehicles"));
    }

    void TearDown() override
    {
        EditorTest::TearDown();
        project.reset();
    }

    std::unique_ptr<AnnotatedProject> project;
};

} // namespace

TEST_F(ClassificationTest, SingleLabelKeyLabelsTheItemAndMovesOn)
{
    window->editor()->setAdvanceAfterLabeling(true);
    press(window.get(), Qt::Key_2); // dog
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              QList<qint64>{classId(QStringLiteral("dog"))});
    const QList<Annotation> labels = storedLabels(*window, ids[0]);
    ASSERT_EQ(labels.size(), 1);
    EXPECT_EQ(labels[0].provenance.state, LabelState::Human);
    EXPECT_EQ(labels[0].provenance.annotatorId, window->editor()->annotatorId());
    EXPECT_FALSE(window->store()->annotatorName(labels[0].provenance.annotatorId).isEmpty());
    // Moved on, and the browser row says the first item is labeled.
    EXPECT_EQ(current(), ids[1]);
    EXPECT_EQ(window->itemModel()->labelState(0), ItemLabelState::Human);
    // The counts follow after a pause in the typing.
    EXPECT_TRUE(test::waitUntil([&] {
        return window->taskPanel()->countLabel(TaskPanel::Count::Human)->text() ==
               QStringLiteral("1");
    }));

    // Another key on an item replaces its class (single-label).
    press(window.get(), Qt::Key_1);
    EXPECT_EQ(current(), ids[2]);
    press(window.get(), Qt::Key_A);
    ASSERT_EQ(current(), ids[1]);
    window->editor()->setAdvanceAfterLabeling(false);
    press(window.get(), Qt::Key_3);
    EXPECT_EQ(current(), ids[1]); // stays
    EXPECT_EQ(classesOf(storedLabels(*window, ids[1])),
              QList<qint64>{classId(QStringLiteral("bird"))});
    EXPECT_EQ(window->labelPanel()->annotationList()->topLevelItemCount(), 1);
    EXPECT_EQ(window->labelPanel()->annotationList()->topLevelItem(0)->text(0),
              QStringLiteral("bird"));
    // The key also made bird the current class.
    EXPECT_EQ(window->labelPanel()->currentClass(), classId(QStringLiteral("bird")));
}

TEST_F(ClassificationTest, KeysGoToTheWorkAndTheSearchBoxKeepsItsLetters)
{
    // After opening, the list has the focus, not the search box above it.
    EXPECT_EQ(QApplication::focusWidget(), window->browser()->view());
    press(window.get(), Qt::Key_D);
    EXPECT_EQ(current(), ids[1]);
    // Letters typed in the search box are text, not "next item"; Escape goes back to the list.
    QLineEdit *search = window->browser()->searchBox();
    search->setFocus();
    press(window.get(), Qt::Key_D);
    press(window.get(), Qt::Key_A);
    EXPECT_EQ(search->text(), QStringLiteral("da"));
    EXPECT_EQ(current(), ids[1]);
    press(window.get(), Qt::Key_Escape);
    EXPECT_EQ(QApplication::focusWidget(), window->browser()->view());
    search->clear();
    window->browser()->applySearch();
    press(window.get(), Qt::Key_A);
    EXPECT_EQ(current(), ids[0]);
}

TEST_F(ClassificationTest, MultiLabelKeysToggleTags)
{
    ASSERT_TRUE(window->store()->addTask(
        QStringLiteral("tags"), TaskType::ImageMultiLabel,
        {QStringLiteral("indoor"), QStringLiteral("night"), QStringLiteral("people")}));
    window->taskPanel()->refresh();
    selectTask(QStringLiteral("tags"));
    ASSERT_EQ(current(), ids[0]);
    const LabelTask tags = window->editor()->task();
    press(window.get(), Qt::Key_1);
    press(window.get(), Qt::Key_3);
    EXPECT_EQ(current(), ids[0]); // multi-label never moves on by itself
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              (QList<qint64>{tags.classes[0].id, tags.classes[2].id}));
    press(window.get(), Qt::Key_1); // off again
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])), QList<qint64>{tags.classes[2].id});
    // The class menu follows the task.
    EXPECT_EQ(window->editor()->classActions().size(), 3);
    EXPECT_EQ(window->editor()->classActions().at(1)->shortcut(), QKeySequence(Qt::Key_2));
}

TEST_F(ClassificationTest, UndoAndRedoThroughTheMenuActions)
{
    window->editor()->setAdvanceAfterLabeling(false);
    QAction *undo = window->action(QStringLiteral("actionUndo"));
    QAction *redo = window->action(QStringLiteral("actionRedo"));
    ASSERT_NE(undo, nullptr);
    ASSERT_NE(redo, nullptr);
    EXPECT_EQ(undo->shortcut(), QKeySequence(QKeySequence::Undo));
    EXPECT_TRUE(redo->shortcuts().contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)));
    EXPECT_FALSE(undo->isEnabled());

    press(window.get(), Qt::Key_1);
    press(window.get(), Qt::Key_2);
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              QList<qint64>{classId(QStringLiteral("dog"))});
    ASSERT_TRUE(undo->isEnabled());
    undo->trigger();
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              QList<qint64>{classId(QStringLiteral("cat"))});
    undo->trigger();
    EXPECT_TRUE(storedLabels(*window, ids[0]).isEmpty());
    EXPECT_FALSE(undo->isEnabled());
    EXPECT_EQ(window->itemModel()->labelState(0), ItemLabelState::Unlabeled);
    ASSERT_TRUE(redo->isEnabled());
    redo->trigger();
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              QList<qint64>{classId(QStringLiteral("cat"))});
    // The keys work too.
    press(window.get(), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_TRUE(storedLabels(*window, ids[0]).isEmpty());
    press(window.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(classesOf(storedLabels(*window, ids[0])),
              QList<qint64>{classId(QStringLiteral("cat"))});
    EXPECT_EQ(window->itemModel()->labelState(0), ItemLabelState::Human);
}

TEST_F(ClassificationTest, NothingToLabelWithAReason)
{
    LabelPanel *panel = window->labelPanel();
    press(window.get(), Qt::Key_K, Qt::ControlModifier);
    EXPECT_TRUE(panel->skipReasonEdit()->hasFocus());
    QTest::keyClicks(panel->skipReasonEdit(), QStringLiteral("blurred"));
    // Return in the box marks the item; it does not reach the window's Accept key.
    QTest::keyClick(panel->skipReasonEdit(), Qt::Key_Return);
    EXPECT_EQ(window->store()->skipReason(ids[0], window->editor()->task().id),
              QStringLiteral("blurred"));
    EXPECT_TRUE(panel->skipButton()->isChecked());
    EXPECT_EQ(window->itemModel()->labelState(0), ItemLabelState::Skipped);
    // The counts follow after a pause in the typing.
    EXPECT_TRUE(test::waitUntil([&] {
        return window->taskPanel()->countLabel(TaskPanel::Count::Skipped)->text() ==
               QStringLiteral("1");
    }));
    QTest::mouseClick(panel->skipButton(), Qt::LeftButton);
    EXPECT_TRUE(window->store()->skipReason(ids[0], window->editor()->task().id).isEmpty());
    // Without a reason nothing is marked.
    panel->skipReasonEdit()->clear();
    QTest::mouseClick(panel->skipButton(), Qt::LeftButton);
    EXPECT_TRUE(window->store()->skipReason(ids[0], window->editor()->task().id).isEmpty());
    EXPECT_FALSE(panel->skipButton()->isChecked());
}

TEST_F(ClassificationTest, EverythingIsThereAfterReopening)
{
    window->editor()->setAdvanceAfterLabeling(true);
    press(window.get(), Qt::Key_2); // item 0: dog, moves to item 1
    press(window.get(), Qt::Key_3); // item 1: bird, moves to item 2
    window->labelPanel()->skipReasonEdit()->setText(QStringLiteral("two animals"));
    QTest::mouseClick(window->labelPanel()->skipButton(), Qt::LeftButton); // item 2 skipped
    const qint64 dog = classId(QStringLiteral("dog"));
    const qint64 bird = classId(QStringLiteral("bird"));
    ASSERT_TRUE(window->close());
    window.reset();

    MainWindow reopened(*settings);
    reopened.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&reopened));
    ASSERT_TRUE(reopened.openProject(sample->projectDir));
    EXPECT_EQ(classesOf(storedLabels(reopened, ids[0])), QList<qint64>{dog});
    EXPECT_EQ(classesOf(storedLabels(reopened, ids[1])), QList<qint64>{bird});
    EXPECT_EQ(reopened.store()->skipReason(ids[2], reopened.editor()->task().id),
              QStringLiteral("two animals"));
    EXPECT_EQ(reopened.itemModel()->labelState(0), ItemLabelState::Human);
    EXPECT_EQ(reopened.itemModel()->labelState(2), ItemLabelState::Skipped);
    // The document shows it: the first item's label is listed, the setting was kept.
    ASSERT_NE(reopened.editor()->document(), nullptr);
    EXPECT_EQ(reopened.labelPanel()->annotationList()->topLevelItemCount(), 1);
    EXPECT_TRUE(reopened.editor()->advanceAfterLabeling());
    reopened.browser()->setCurrentItem(ids[2]);
    EXPECT_EQ(reopened.labelPanel()->skipReasonEdit()->text(), QStringLiteral("two animals"));
}

TEST_F(ReviewTest, EnterAcceptsTheLeastSureLabelAndXRejects)
{
    const qint64 blue = project->itemIds[2];
    // "Next awaiting review" finds blue from red.
    ASSERT_EQ(current(), project->itemIds[0]);
    press(window.get(), Qt::Key_R);
    ASSERT_EQ(current(), blue);
    LabelPanel *panel = window->labelPanel();
    ASSERT_EQ(panel->annotationList()->topLevelItemCount(), 2);
    // Least sure first, with its confidence.
    EXPECT_EQ(panel->annotationList()->topLevelItem(0)->text(0), QStringLiteral("car"));
    EXPECT_TRUE(panel->annotationList()
                    ->topLevelItem(0)
                    ->text(LabelPanel::SourceColumn)
                    .contains(QStringLiteral("35")));
    const QList<qint64> order = panel->listedAnnotations();

    press(window.get(), Qt::Key_Return);
    auto accepted = window->store()->annotation(order[0]);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(accepted->provenance.state, LabelState::MachineAccepted);
    EXPECT_EQ(accepted->provenance.annotatorId, window->editor()->annotatorId());
    // The next proposal is selected, in the document and in the list.
    EXPECT_EQ(window->editor()->document()->selection(), QSet<qint64>{order[1]});
    ASSERT_EQ(panel->annotationList()->selectedItems().size(), 1);
    EXPECT_EQ(panel->annotationList()->selectedItems()[0]->text(0), QStringLiteral("person"));

    press(window.get(), Qt::Key_X);
    auto rejected = window->store()->annotation(order[1]);
    ASSERT_TRUE(rejected);
    EXPECT_EQ(rejected->provenance.state, LabelState::Rejected);
    EXPECT_EQ(panel->annotationList()->topLevelItemCount(), 1); // rejected labels are hidden
    EXPECT_EQ(window->itemModel()->labelState(2), ItemLabelState::Accepted);
    // The counts follow after a pause in the typing.
    EXPECT_TRUE(test::waitUntil([&] {
        return window->taskPanel()->countLabel(TaskPanel::Count::AwaitingReview)->text() ==
               QStringLiteral("0");
    }));
    // Nothing else awaits review now.
    press(window.get(), Qt::Key_R);
    EXPECT_EQ(current(), blue);

    // Undo brings the proposal back for review.
    window->action(QStringLiteral("actionUndo"))->trigger();
    EXPECT_EQ(window->store()->annotation(order[1])->provenance.state, LabelState::Machine);
}

TEST_F(ReviewTest, CtrlEnterAcceptsAllAndDeleteRemovesAPersonsLabel)
{
    const qint64 blue = project->itemIds[2];
    ASSERT_TRUE(window->browser()->setCurrentItem(blue));
    press(window.get(), Qt::Key_Return, Qt::ControlModifier);
    for (const Annotation &a : storedLabels(*window, blue))
        EXPECT_EQ(a.provenance.state, LabelState::MachineAccepted);

    // A person's box, chosen with the mouse in the list, goes with Delete.
    press(window.get(), Qt::Key_A);
    press(window.get(), Qt::Key_A);
    const qint64 red = project->itemIds[0];
    ASSERT_EQ(current(), red);
    QTreeWidget *list = window->labelPanel()->annotationList();
    ASSERT_EQ(list->topLevelItemCount(), 1);
    const QRect row = list->visualItemRect(list->topLevelItem(0));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, row.center());
    ASSERT_EQ(window->editor()->document()->selection().size(), 1);
    press(window.get(), Qt::Key_Delete);
    EXPECT_TRUE(storedLabels(*window, red).isEmpty());
    EXPECT_EQ(window->itemModel()->labelState(0), ItemLabelState::Unlabeled);
    press(window.get(), Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(storedLabels(*window, red).size(), 1);
}

TEST_F(ReviewTest, NavigatesWithKeysAndWrapsToNextUnlabeled)
{
    const QList<qint64> &ids = project->itemIds;
    ASSERT_EQ(current(), ids[0]);
    press(window.get(), Qt::Key_D);
    EXPECT_EQ(current(), ids[1]);
    press(window.get(), Qt::Key_D);
    EXPECT_EQ(current(), ids[2]);
    press(window.get(), Qt::Key_D); // the end of the list: stays
    EXPECT_EQ(current(), ids[2]);
    press(window.get(), Qt::Key_A);
    EXPECT_EQ(current(), ids[1]);
    press(window.get(), Qt::Key_Left);
    EXPECT_EQ(current(), ids[0]);
    press(window.get(), Qt::Key_Right);
    EXPECT_EQ(current(), ids[1]);
    ASSERT_NE(window->editor()->document(), nullptr);
    EXPECT_EQ(window->editor()->document()->item().id, ids[1]);
    EXPECT_EQ(window->imageEditor()->document(), window->editor()->document());

    // No item is unlabeled; removing green's label makes it the next one, from blue, wrapping.
    press(window.get(), Qt::Key_N);
    EXPECT_EQ(current(), ids[1]);
    QTreeWidget *list = window->labelPanel()->annotationList();
    ASSERT_EQ(list->topLevelItemCount(), 1);
    list->topLevelItem(0)->setSelected(true);
    press(window.get(), Qt::Key_Delete);
    press(window.get(), Qt::Key_D);
    ASSERT_EQ(current(), ids[2]);
    press(window.get(), Qt::Key_N);
    EXPECT_EQ(current(), ids[1]);
}

TEST_F(ReviewTest, NeighboursArePrefetched)
{
    // On red, green (next) is decoded ahead, so D shows it at once.
    ASSERT_EQ(current(), project->itemIds[0]);
    ASSERT_TRUE(waitForImage(*window));
    ImageCache *cache = window->imageEditor()->imageCache();
    const QString green = window->store()->item(project->itemIds[1])->path;
    const QString blue = window->store()->item(project->itemIds[2])->path;
    ASSERT_TRUE(test::waitUntil([&] { return cache->cached(green) && cache->cached(blue); }));
    press(window.get(), Qt::Key_D);
    EXPECT_EQ(window->imageEditor()->state(), ImageEditor::State::Ready);
}

TEST_F(ReviewTest, FiltersSearchAndCounts)
{
    ItemBrowser *browser = window->browser();
    ItemListModel *model = window->itemModel();
    EXPECT_EQ(model->rowCount(), 3);
    EXPECT_EQ(browser->countLabel()->text(), QStringLiteral("3 items"));
    const int awaitingIndex = browser->stateFilter()->findData(int(ItemLabelState::AwaitingReview));
    ASSERT_GE(awaitingIndex, 0);
    EXPECT_EQ(browser->stateFilter()->itemText(awaitingIndex),
              QStringLiteral("Awaiting review (1)"));

    browser->setStateFilter(int(ItemLabelState::Human));
    EXPECT_EQ(model->rowCount(), 2);
    EXPECT_EQ(browser->countLabel()->text(), QStringLiteral("2 of 3 items shown"));
    browser->setStateFilter(int(ItemLabelState::AwaitingReview));
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(model->itemId(0), project->itemIds[2]);
    EXPECT_EQ(current(), project->itemIds[2]); // the only row is current
    browser->setStateFilter(ItemBrowser::kAllStates);
    EXPECT_EQ(current(), project->itemIds[2]); // and stays current when the filter goes

    // By class: only red holds a car.
    browser->classFilter()->setCurrentIndex(
        browser->classFilter()->findText(QStringLiteral("car")));
    EXPECT_EQ(model->rowCount(), 2); // red's car, and blue's unsure car proposal
    browser->classFilter()->setCurrentIndex(
        browser->classFilter()->findText(QStringLiteral("tree")));
    ASSERT_EQ(model->rowCount(), 1);
    EXPECT_EQ(fileOf(*window, model->itemId(0)), QStringLiteral("green.png"));
    browser->classFilter()->setCurrentIndex(0);

    // Typing in the search box filters after a pause.
    QTest::keyClicks(browser->searchBox(), QStringLiteral("BLU"));
    ASSERT_TRUE(test::waitUntil([&] { return model->rowCount() == 1; }));
    EXPECT_EQ(fileOf(*window, model->itemId(0)), QStringLiteral("blue.png"));
    EXPECT_EQ(browser->countLabel()->text(), QStringLiteral("1 of 3 items shown"));
    browser->searchBox()->setText(QStringLiteral("nothing like this"));
    browser->applySearch();
    EXPECT_EQ(model->rowCount(), 0);
    EXPECT_EQ(window->preview()->message(), QStringLiteral("No item matches the filters."));
    EXPECT_EQ(window->editor()->document(), nullptr);
    browser->searchBox()->clear();
    browser->applySearch();
    EXPECT_EQ(model->rowCount(), 3);

    // Counts follow edits.
    ASSERT_TRUE(browser->setCurrentItem(project->itemIds[2]));
    press(window.get(), Qt::Key_Return, Qt::ControlModifier);
    EXPECT_TRUE(test::waitUntil([&] {
        return browser->stateFilter()->itemText(awaitingIndex) ==
               QStringLiteral("Awaiting review (0)");
    }));
}

TEST_F(ReviewTest, ClassKeysChooseTheClassAndRelabelTheSelection)
{
    LabelPanel *panel = window->labelPanel();
    EXPECT_EQ(panel->currentClass(), project->vehicles.classes[0].id);
    press(window.get(), Qt::Key_3);
    EXPECT_EQ(panel->currentClass(), project->vehicles.classes[2].id);
    EXPECT_EQ(panel->classList()->currentItem()->text(0), QStringLiteral("person"));
    EXPECT_EQ(window->imageEditor()->currentClass(), project->vehicles.classes[2].id);
    // With red's car selected, "2" makes it a tree.
    panel->annotationList()->topLevelItem(0)->setSelected(true);
    press(window.get(), Qt::Key_2);
    const QList<Annotation> labels = storedLabels(*window, project->itemIds[0]);
    ASSERT_EQ(labels.size(), 1);
    EXPECT_EQ(labels[0].classId, project->vehicles.classes[1].id);
    EXPECT_EQ(panel->annotationList()->topLevelItem(0)->text(0), QStringLiteral("tree"));

    // Hiding a class is a check box.
    QTreeWidgetItem *car = panel->classList()->topLevelItem(0);
    car->setCheckState(0, Qt::Unchecked);
    EXPECT_FALSE(panel->isClassVisible(project->vehicles.classes[0].id));
}

TEST_F(ReviewTest, StatusBarShowsThePixelAndTheZoom)
{
    ASSERT_TRUE(waitForImage(*window));
    QWidget *viewport = window->imageEditor()->view()->viewport();
    QTest::mouseMove(viewport, viewport->rect().center());
    ASSERT_TRUE(
        test::waitUntil([&] { return !window->editor()->cursorLabel()->text().isEmpty(); }, 2000));
    // Red is 320 x 200, fitted in the middle: the centre is near (160, 100).
    EXPECT_TRUE(window->editor()->cursorLabel()->text().startsWith(QStringLiteral("x 1")))
        << window->editor()->cursorLabel()->text().toStdString();
    EXPECT_TRUE(window->editor()->zoomLabel()->text().endsWith(QLatin1Char('%')));
    const QString fitted = window->editor()->zoomLabel()->text();
    press(window.get(), Qt::Key_Equal, Qt::ControlModifier);
    EXPECT_NE(window->editor()->zoomLabel()->text(), fitted);
}

TEST_F(ReviewTest, ShortcutReferenceAndTooltipsShowEveryKey)
{
    QAction *next = window->action(QStringLiteral("actionNextItem"));
    ASSERT_NE(next, nullptr);
    EXPECT_TRUE(next->toolTip().contains(QStringLiteral("(D, "))) << next->toolTip().toStdString();
    EXPECT_TRUE(window->editor()->classActions().at(0)->toolTip().contains(QStringLiteral("(1)")));

    press(window.get(), Qt::Key_Question);
    auto *dialog = window->findChild<ShortcutsDialog *>();
    ASSERT_NE(dialog, nullptr);
    QStringList rows;
    for (int g = 0; g < dialog->tree()->topLevelItemCount(); ++g) {
        const QTreeWidgetItem *group = dialog->tree()->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            rows.append(group->child(i)->text(0) + QStringLiteral(" = ") +
                        group->child(i)->text(1));
    }
    const QString all = rows.join(QStringLiteral("; "));
    for (const QString &expected :
         {QStringLiteral("Next Item = D, Right"), QStringLiteral("Previous Item = A, Left"),
          QStringLiteral("Reject or Delete Label = X, Del"), QStringLiteral("car = 1"),
          QStringLiteral("Next Item Awaiting Review = R"), QStringLiteral("Search Items = Ctrl+F")})
        EXPECT_TRUE(rows.contains(expected))
            << expected.toStdString() << " in " << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral("Accept Machine Label = Return")));
    EXPECT_TRUE(all.contains(QStringLiteral("Undo = Ctrl+Z")));
    // The tools and the canvas gestures are there too.
    EXPECT_TRUE(rows.contains(QStringLiteral("Box = W"))) << all.toStdString();
    EXPECT_TRUE(rows.contains(QStringLiteral("Brush size = [ and ]")));
    dialog->grab().save(test::screenshotPath(QStringLiteral("shortcuts-editor.png")));
}

TEST_F(ReviewTest, ScreenshotsLightAndDark)
{
    // Blue gets a person's box beside the two proposals, and in the segmentation task a brush
    // mask and a proposed polygon beside the sky polygon.
    const qint64 blue = project->itemIds[2];
    const auto add = [&](const LabelTask &task, int classIndex, Shape shape, LabelState state,
                         std::optional<double> confidence = {}) {
        Annotation a;
        a.itemId = blue;
        a.taskId = task.id;
        a.classId = task.classes.at(classIndex).id;
        a.shape = std::move(shape);
        a.provenance.state = state;
        a.provenance.confidence = confidence;
        return bool(window->store()->addAnnotation(a));
    };
    cv::Mat disc(90, 90, CV_8UC1, cv::Scalar(0));
    cv::circle(disc, cv::Point(45, 45), 40, cv::Scalar(255), cv::FILLED);
    cv::rectangle(disc, cv::Rect(0, 60, 90, 30), cv::Scalar(255), cv::FILLED);
    ASSERT_TRUE(add(project->vehicles, 1, Box{150, 20, 80, 60}, LabelState::Human));
    ASSERT_TRUE(add(project->regions, 0, Mask{RleMask::fromMat(disc, QPoint(140, 150))},
                    LabelState::Human));
    ASSERT_TRUE(
        add(project->regions, 1,
            Polygon{{QPointF(20, 150), QPointF(110, 140), QPointF(120, 240), QPointF(30, 230)}},
            LabelState::Machine, 0.62));

    struct PaletteGuard
    {
        QPalette original = QApplication::palette();
        ~PaletteGuard() { QApplication::setPalette(original); }
    } guard;
    for (const QString &task : {QStringLiteral("vehicles"), QStringLiteral("regions")}) {
        selectTask(task);
        ASSERT_TRUE(window->browser()->setCurrentItem(blue));
        ASSERT_TRUE(waitForImage(*window));
        // The least sure proposal is listed first; select it as a reviewer would.
        QTreeWidget *list = window->labelPanel()->annotationList();
        ASSERT_GE(list->topLevelItemCount(), 3);
        list->topLevelItem(0)->setSelected(true);
        EXPECT_EQ(window->editor()->document()->selection().size(), 1);
        for (const bool dark : {false, true}) {
            QApplication::setPalette(dark ? darkPalette() : guard.original);
            QTest::qWait(100);
            const QImage shot = window->grab().toImage();
            const QString name =
                QStringLiteral("editor-%1-%2.png")
                    .arg(task, dark ? QStringLiteral("dark") : QStringLiteral("light"));
            ASSERT_TRUE(shot.save(test::screenshotPath(name)));
            // The theme reaches the panels and the canvas.
            const QColor base = list->palette().color(QPalette::Base);
            EXPECT_EQ(base.lightness() < 128, dark);
        }
    }
}

TEST_F(ClassificationTest, ScreenshotClassification)
{
    window->editor()->setAdvanceAfterLabeling(false);
    press(window.get(), Qt::Key_2);
    ASSERT_TRUE(waitForImage(*window));
    QTest::qWait(100);
    ASSERT_TRUE(window->grab().toImage().save(
        test::screenshotPath(QStringLiteral("editor-classification.png"))));
}
