#include "uitestutil.h"

#include "ui/browser/itembrowser.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/browser/thumbnailprovider.h"
#include "ui/canvas/imageeditor.h"
#include "ui/dialogs/shortcutsdialog.h"
#include "ui/importcontroller.h"
#include "ui/mainwindow.h"
#include "ui/preview/itempreview.h"
#include "ui/recentprojects.h"
#include "ui/tasks/taskpanel.h"

#include "core/document/itemdocument.h"
#include "core/import/importer.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace fieldmark;
using fieldmark::test::SampleProject;

namespace {

int rowOfFile(const ItemListModel *model, const QString &fileName)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        const QString path = model->data(model->index(row), ItemListModel::PathRole).toString();
        if (QFileInfo(path).fileName() == fileName)
            return row;
    }
    return -1;
}

bool nearColor(const QColor &actual, const QColor &expected, int tolerance = 30)
{
    return std::abs(actual.red() - expected.red()) <= tolerance &&
           std::abs(actual.green() - expected.green()) <= tolerance &&
           std::abs(actual.blue() - expected.blue()) <= tolerance;
}

QColor centreColor(const QImage &image)
{
    return image.pixelColor(image.width() / 2, image.height() / 2);
}

void clickRow(QListView *view, int row)
{
    const QModelIndex index = view->model()->index(row, 0);
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    ASSERT_TRUE(rect.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

class MainWindowTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        sample = SampleProject::create();
        ASSERT_TRUE(sample);
        settings = std::make_unique<QSettings>(sample->root.filePath(QStringLiteral("ui.ini")),
                                               QSettings::IniFormat);
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1280, 800);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }

    void TearDown() override
    {
        // Dialogs opened with open() are children of the window and go with it.
        window.reset();
        settings.reset();
        sample.reset();
    }

    std::unique_ptr<SampleProject> sample;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<MainWindow> window;
};

TEST_F(MainWindowTest, OpensProjectAndListsImportedItems)
{
    EXPECT_EQ(window->store(), nullptr);
    EXPECT_EQ(window->preview()->state(), ItemPreview::State::Empty);
    ASSERT_TRUE(window->openProject(sample->projectDir));
    ASSERT_NE(window->store(), nullptr);

    // broken.jpg was refused at import; gone.png is listed though it no longer decodes.
    EXPECT_EQ(window->itemModel()->rowCount(), 4);
    EXPECT_EQ(rowOfFile(window->itemModel(), QStringLiteral("broken.jpg")), -1);
    EXPECT_GE(rowOfFile(window->itemModel(), QStringLiteral("gone.png")), 0);
    EXPECT_EQ(window->countLabel()->text(), QStringLiteral("4 items (4 images, 0 texts)"));
    EXPECT_TRUE(window->projectLabel()->text().contains(QFileInfo(sample->projectDir).fileName()));
    EXPECT_TRUE(window->windowTitle().startsWith(QStringLiteral("project")));
    // The first item is shown without a click.
    EXPECT_NE(window->browser()->currentItemId(), 0);
}

TEST_F(MainWindowTest, ClickingAndArrowKeysShowTheImage)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    QListView *view = window->browser()->view();
    const int red = rowOfFile(window->itemModel(), QStringLiteral("red.png"));
    ASSERT_GE(red, 0);

    clickRow(view, red);
    EXPECT_EQ(view->currentIndex().row(), red);
    // The image task's items open in the image editor.
    ImageEditor *editor = window->imageEditor();
    ASSERT_TRUE(test::waitUntil([&] { return editor->state() == ImageEditor::State::Ready; }));
    ASSERT_NE(editor->document(), nullptr);
    EXPECT_EQ(QFileInfo(editor->document()->item().path).fileName(), QStringLiteral("red.png"));
    EXPECT_TRUE(editor->isVisible());
    const QColor shown = centreColor(editor->grab().toImage());
    EXPECT_TRUE(nearColor(shown, QColor(220, 40, 40)));

    // Down arrow goes to the next row and shows its item.
    view->setFocus();
    const int next = red + 1 < window->itemModel()->rowCount() ? red + 1 : red - 1;
    QTest::keyClick(view, next > red ? Qt::Key_Down : Qt::Key_Up);
    EXPECT_EQ(view->currentIndex().row(), next);
    const qint64 nextId = window->itemModel()->itemId(next);
    ASSERT_TRUE(test::waitUntil([&] {
        return editor->document() && editor->document()->item().id == nextId &&
               editor->state() != ImageEditor::State::Loading;
    }));
    EXPECT_NE(centreColor(editor->grab().toImage()), shown);
}

TEST_F(MainWindowTest, UndecodableImageShowsAMessageAndAnErrorIcon)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const int gone = rowOfFile(window->itemModel(), QStringLiteral("gone.png"));
    ASSERT_GE(gone, 0);
    clickRow(window->browser()->view(), gone);

    ImageEditor *editor = window->imageEditor();
    ASSERT_TRUE(test::waitUntil([&] { return editor->state() == ImageEditor::State::Error; }));
    EXPECT_TRUE(editor->message().contains(QStringLiteral("gone.png")))
        << editor->message().toStdString();

    // The thumbnail fails too: the row says why in its tooltip...
    const QModelIndex index = window->itemModel()->index(gone);
    ASSERT_TRUE(test::waitUntil([&] {
        return !window->itemModel()->data(index, ItemListModel::ErrorRole).toString().isEmpty();
    }));
    // ...and the "Failed to load" filter lists it.
    window->browser()->setStateFilter(ItemBrowser::kFailedToLoad);
    ASSERT_EQ(window->itemModel()->rowCount(), 1);
    EXPECT_EQ(window->browser()->currentItemId(), window->itemModel()->itemId(0));
    EXPECT_TRUE(window->itemModel()
                    ->data(window->itemModel()->index(0), ItemListModel::PathRole)
                    .toString()
                    .endsWith(QStringLiteral("gone.png")));
    window->browser()->setStateFilter(ItemBrowser::kAllStates);
    EXPECT_EQ(window->itemModel()->rowCount(), 4);
    const QString tip = window->itemModel()->data(index, Qt::ToolTipRole).toString();
    EXPECT_TRUE(tip.contains(QStringLiteral("Cannot decode"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("gone.png")));
}

TEST_F(MainWindowTest, TaskDockShowsClassesAndCounts)
{
    qint64 regionsId = 0;
    {
        // A second task with one human box, so its counts differ from the first task's.
        // (A box, not a class label: core cannot store a ClassTag yet, see the report.)
        auto store = ProjectStore::open(sample->projectDir);
        ASSERT_TRUE(store);
        auto regions = (*store)->addTask(QStringLiteral("regions"), TaskType::Boxes,
                                         {QStringLiteral("car"), QStringLiteral("tree")});
        ASSERT_TRUE(regions) << regions.errorString().toStdString();
        regionsId = regions->id;
        Annotation box;
        box.itemId = (*store)->itemIds().constFirst();
        box.taskId = regions->id;
        box.classId = regions->classByName(QStringLiteral("tree"))->id;
        box.shape = Box{5, 5, 20, 20};
        const auto added = (*store)->addAnnotation(box);
        ASSERT_TRUE(added) << added.errorString().toStdString();
    }
    ASSERT_TRUE(window->openProject(sample->projectDir));
    TaskPanel *panel = window->taskPanel();
    ASSERT_EQ(panel->taskCombo()->count(), 2);
    EXPECT_EQ(panel->taskCombo()->currentText(), QStringLiteral("animals"));

    QTreeWidget *classes = panel->classTree();
    ASSERT_EQ(classes->topLevelItemCount(), 3);
    EXPECT_EQ(classes->topLevelItem(0)->text(0), QStringLiteral("cat"));
    EXPECT_EQ(classes->topLevelItem(1)->text(0), QStringLiteral("dog"));
    EXPECT_EQ(classes->topLevelItem(2)->text(0), QStringLiteral("bird"));
    EXPECT_EQ(classes->topLevelItem(0)->text(1), QStringLiteral("1"));
    EXPECT_EQ(classes->topLevelItem(2)->text(1), QStringLiteral("3"));
    EXPECT_FALSE(classes->topLevelItem(0)->icon(0).isNull());
    EXPECT_EQ(classes->topLevelItem(0)->text(2), QStringLiteral("0"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::Items)->text(), QStringLiteral("4"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::Unlabeled)->text(), QStringLiteral("4"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::Human)->text(), QStringLiteral("0"));
    EXPECT_EQ(panel->progressBar()->value(), 0);

    // Choosing the other task with the keyboard shows its classes and counts.
    panel->taskCombo()->setFocus();
    QTest::keyClick(panel->taskCombo(), Qt::Key_Down);
    EXPECT_EQ(panel->currentTaskId(), regionsId);
    ASSERT_EQ(classes->topLevelItemCount(), 2);
    EXPECT_EQ(classes->topLevelItem(1)->text(0), QStringLiteral("tree"));
    EXPECT_EQ(classes->topLevelItem(1)->text(2), QStringLiteral("1"));
    EXPECT_EQ(classes->topLevelItem(0)->text(2), QStringLiteral("0"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::Unlabeled)->text(), QStringLiteral("3"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::Human)->text(), QStringLiteral("1"));
    EXPECT_EQ(panel->countLabel(TaskPanel::Count::AwaitingReview)->text(), QStringLiteral("0"));
    EXPECT_EQ(panel->progressBar()->value(), 250);
}

TEST_F(MainWindowTest, ImportFromTheMenuRunsInTheBackgroundAndSummarises)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const QString more = sample->root.filePath(QStringLiteral("more"));
    QDir().mkpath(more);
    ASSERT_TRUE(
        test::makeImage(100, 80, Qt::cyan).save(QDir(more).filePath(QStringLiteral("a.png"))));
    ASSERT_TRUE(
        test::makeImage(90, 70, Qt::magenta).save(QDir(more).filePath(QStringLiteral("b.png"))));
    ASSERT_TRUE(QFile::copy(sample->media(QStringLiteral("red.png")),
                            QDir(more).filePath(QStringLiteral("red-copy.png"))));
    ASSERT_TRUE(test::writeBytes(QDir(more).filePath(QStringLiteral("truncated.png")),
                                 QByteArray("\x89PNG\r\n\x1a\n")));

    QSignalSpy imported(window->importController(), &ImportController::itemsImported);
    ASSERT_TRUE(window->importSources({{ImportSource::Kind::Images, {more}}}));
    EXPECT_TRUE(window->importController()->isRunning());
    // While it runs, nothing else may touch the project.
    EXPECT_FALSE(window->action(QStringLiteral("actionImportImages"))->isEnabled());
    EXPECT_FALSE(window->action(QStringLiteral("actionCloseProject"))->isEnabled());
    EXPECT_FALSE(window->importSources({{ImportSource::Kind::Images, {more}}}));

    ASSERT_TRUE(test::waitUntil([&] { return !window->importController()->isRunning(); }));
    ASSERT_EQ(imported.count(), 1);
    const auto summary = imported.at(0).at(0).value<ImportSummary>();
    EXPECT_EQ(summary.added, 2);
    EXPECT_EQ(summary.duplicates.size(), 1);
    EXPECT_EQ(summary.problems.size(), 1);

    QMessageBox *box = window->importController()->resultBox();
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(QStringLiteral("Added 2 items"))) << box->text().toStdString();
    EXPECT_TRUE(box->detailedText().contains(QStringLiteral("truncated.png")));
    EXPECT_TRUE(box->detailedText().contains(QStringLiteral("red-copy.png")));
    EXPECT_EQ(box->icon(), QMessageBox::Warning);
    box->grab().save(test::screenshotPath(QStringLiteral("importsummary.png")));
    box->accept();

    EXPECT_EQ(window->itemModel()->rowCount(), 6);
    EXPECT_EQ(window->taskPanel()->countLabel(TaskPanel::Count::Items)->text(),
              QStringLiteral("6"));
    EXPECT_EQ(window->countLabel()->text(), QStringLiteral("6 items (6 images, 0 texts)"));
    EXPECT_TRUE(window->action(QStringLiteral("actionImportImages"))->isEnabled());
}

TEST_F(MainWindowTest, ClosingDuringAnImportCancelsItAndClosesWhenItEnds)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const QString more = sample->root.filePath(QStringLiteral("many"));
    QDir().mkpath(more);
    for (int i = 0; i < 40; ++i)
        ASSERT_TRUE(test::makeImage(120, 90, QColor::fromHsv(i * 9, 200, 200))
                        .save(QDir(more).filePath(QStringLiteral("m%1.png").arg(i))));
    ASSERT_TRUE(window->importSources({{ImportSource::Kind::Images, {more}}}));
    // The window does not close under a running import, and the GUI thread does not wait.
    EXPECT_FALSE(window->close());
    EXPECT_TRUE(window->isVisible());
    ASSERT_TRUE(test::waitUntil([&] { return !window->importController()->isRunning(); }));
    ASSERT_TRUE(test::waitUntil([&] { return !window->isVisible(); }));
    // Whatever the import wrote before it stopped is in the project, and nothing else.
    auto store = ProjectStore::open(sample->projectDir);
    ASSERT_TRUE(store);
    const qint64 count = (*store)->itemCount();
    EXPECT_GE(count, 4);
    EXPECT_LE(count, 44);
    EXPECT_TRUE(settings->contains(QStringLiteral("window/geometry")));
}

TEST_F(MainWindowTest, ImportsTextsFromJsonlAndShowsThemReadOnly)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const QString jsonl = sample->root.filePath(QStringLiteral("reviews.jsonl"));
    ASSERT_TRUE(test::writeBytes(
        jsonl, QByteArray("{\"text\": \"The battery lasts two days and the screen is bright.\"}\n"
                          "{\"text\": \"Broke after a week.\", \"stars\": 1}\n"
                          "this line is not JSON\n")));
    const QList<ImportSource> sources = ImportController::textSources({jsonl});
    ASSERT_EQ(sources.size(), 1);
    EXPECT_EQ(sources.constFirst().kind, ImportSource::Kind::Jsonl);
    ASSERT_TRUE(window->importSources(sources));
    ASSERT_TRUE(test::waitUntil([&] { return !window->importController()->isRunning(); }));
    ASSERT_TRUE(window->importController()->resultBox());
    EXPECT_TRUE(window->importController()->resultBox()->detailedText().contains(
        QStringLiteral("reviews.jsonl")));
    window->importController()->resultBox()->accept();

    EXPECT_EQ(window->itemModel()->rowCount(), 6);
    window->browser()->kindFilter()->setCurrentIndex(2); // texts
    ASSERT_EQ(window->itemModel()->rowCount(), 2);
    EXPECT_EQ(window->itemModel()->data(window->itemModel()->index(1)).toString(),
              QStringLiteral("Broke after a week."));
    clickRow(window->browser()->view(), 0);
    EXPECT_EQ(window->preview()->state(), ItemPreview::State::Text);
    EXPECT_TRUE(window->preview()->textView()->isReadOnly());
    EXPECT_TRUE(window->preview()->textView()->toPlainText().startsWith(
        QStringLiteral("The battery lasts")));
    window->grab().save(test::screenshotPath(QStringLiteral("mainwindow-text.png")));
}

TEST_F(MainWindowTest, OpeningSomethingThatIsNotAProjectSaysWhy)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const QString empty = sample->root.filePath(QStringLiteral("empty"));
    QDir().mkpath(empty);
    EXPECT_FALSE(window->openProject(empty));
    auto *box = window->findChild<QMessageBox *>(QStringLiteral("errorBox"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(QDir::toNativeSeparators(empty))) << box->text().toStdString();
    EXPECT_TRUE(box->text().contains(QStringLiteral("not a Fieldmark project")));
    // The project that was open stays open.
    ASSERT_NE(window->store(), nullptr);
    EXPECT_EQ(window->store()->directory(), QDir::cleanPath(sample->projectDir));
    delete box;

    // A damaged database file.
    const QString damaged = sample->root.filePath(QStringLiteral("damaged"));
    QDir().mkpath(damaged);
    ASSERT_TRUE(test::writeBytes(QDir(damaged).filePath(QStringLiteral("project.fieldmark")),
                                 QByteArray(4096, 'z')));
    EXPECT_FALSE(window->openProject(damaged));
    box = window->findChild<QMessageBox *>(QStringLiteral("errorBox"));
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().contains(QDir::toNativeSeparators(damaged)));
    delete box;
}

TEST_F(MainWindowTest, RemembersLayoutAndLastProject)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    window->resize(1000, 640);
    ASSERT_TRUE(window->close());
    EXPECT_TRUE(settings->contains(QStringLiteral("window/geometry")));
    EXPECT_TRUE(settings->contains(QStringLiteral("window/state")));
    RecentProjects recent(*settings);
    EXPECT_EQ(recent.lastProject(), QDir::cleanPath(sample->projectDir));
    ASSERT_FALSE(recent.paths().isEmpty());
    EXPECT_EQ(recent.paths().constFirst(), QDir::cleanPath(sample->projectDir));

    MainWindow second(*settings);
    EXPECT_EQ(second.size(), QSize(1000, 640));

    // Closing the project on purpose means: do not reopen it at the next start.
    second.openProject(sample->projectDir);
    second.action(QStringLiteral("actionCloseProject"))->trigger();
    EXPECT_EQ(second.store(), nullptr);
    EXPECT_TRUE(RecentProjects(*settings).lastProject().isEmpty());
    EXPECT_EQ(second.preview()->state(), ItemPreview::State::Empty);
}

TEST_F(MainWindowTest, F1ListsTheKeyboardShortcuts)
{
    window->activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
    QTest::keyClick(window.get(), Qt::Key_F1);
    auto *dialog = window->findChild<ShortcutsDialog *>();
    ASSERT_NE(dialog, nullptr);
    QStringList rows;
    for (int g = 0; g < dialog->tree()->topLevelItemCount(); ++g) {
        const QTreeWidgetItem *group = dialog->tree()->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            rows.append(group->child(i)->text(0) + QStringLiteral(" = ") +
                        group->child(i)->text(1));
    }
    const QString openRow = QStringLiteral("Open Project\u2026 = ") +
                            QKeySequence(QKeySequence::Open).toString(QKeySequence::NativeText);
    EXPECT_TRUE(rows.contains(openRow)) << rows.join(QStringLiteral("; ")).toStdString();
    EXPECT_TRUE(
        rows.contains(QStringLiteral("Import Images\u2026 = ") +
                      QKeySequence(Qt::CTRL | Qt::Key_I).toString(QKeySequence::NativeText)));
    dialog->grab().save(test::screenshotPath(QStringLiteral("shortcuts.png")));
}

TEST_F(MainWindowTest, Screenshot)
{
    ASSERT_TRUE(window->openProject(sample->projectDir));
    const int red = rowOfFile(window->itemModel(), QStringLiteral("red.png"));
    ASSERT_GE(red, 0);
    clickRow(window->browser()->view(), red);
    ASSERT_TRUE(test::waitUntil(
        [&] { return window->imageEditor()->state() == ImageEditor::State::Ready; }));
    // Every thumbnail decoded (or failed) before the picture is taken.
    ASSERT_TRUE(test::waitUntil([&] {
        for (int row = 0; row < window->itemModel()->rowCount(); ++row) {
            if (window->thumbnails()->isPending(window->itemModel()->itemId(row)))
                return false;
        }
        return true;
    }));
    QTest::qWait(50);
    const QImage shot = window->grab().toImage();
    const QString path = test::screenshotPath(QStringLiteral("mainwindow.png"));
    ASSERT_TRUE(shot.save(path));
    EXPECT_TRUE(QFileInfo::exists(path));
    EXPECT_EQ(shot.size() / shot.devicePixelRatio(), window->size());
    // The image's red shows in the middle of the editor.
    const QPoint centre =
        window->imageEditor()->mapTo(window.get(), window->imageEditor()->rect().center());
    EXPECT_TRUE(nearColor(shot.pixelColor(centre * shot.devicePixelRatio()), QColor(220, 40, 40)));
    // Thumbnails were written to the project's cache.
    const QDir thumbs(QDir(window->store()->cacheDirectory()).filePath(QStringLiteral("thumbs")));
    EXPECT_EQ(thumbs.entryList({QStringLiteral("*.jpg")}, QDir::Files).size(), 3);

    // The application icon (the SVG, or its painted twin where no SVG plugin is installed).
    const QPixmap icon = window->windowIcon().pixmap(128, 128);
    ASSERT_FALSE(icon.isNull());
    EXPECT_GT(icon.toImage().pixelColor(64, 64).alpha(), 0);
    EXPECT_EQ(icon.toImage().pixelColor(1, 1).alpha(), 0); // the rounded corner
    icon.save(test::screenshotPath(QStringLiteral("icon.png")));
    EXPECT_TRUE(QFile::exists(QStringLiteral(":/icons/fieldmark.svg")));
}

} // namespace
