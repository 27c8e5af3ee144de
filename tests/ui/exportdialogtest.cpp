#include "annotatedproject.h"
#include "uitestutil.h"

#include "ui/dialogs/exportdialog.h"
#include "ui/exportcontroller.h"
#include "ui/jobprogressdialog.h"
#include "ui/mainwindow.h"
#include "ui/tasks/taskpanel.h"

#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QThreadPool>
#include <QUrl>

#include <gtest/gtest.h>

using namespace fieldmark;
using fieldmark::test::AnnotatedProject;

namespace {

constexpr int kWaitMs = 10000;

// Catches what "Open Folder" would hand to the desktop.
class UrlCatcher : public QObject
{
    Q_OBJECT

public:
    QList<QUrl> urls;

public Q_SLOTS:
    void open(const QUrl &url) { urls.append(url); }
};

// Chooses a combo entry the way a user does: focus, then the arrow keys.
void chooseByKeyboard(QComboBox *combo, const QVariant &data)
{
    const int target = combo->findData(data);
    ASSERT_GE(target, 0) << data.toString().toStdString();
    combo->setFocus();
    while (combo->currentIndex() != target)
        QTest::keyClick(combo, combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

bool waitForPlan(const ExportDialog *dialog)
{
    return QTest::qWaitFor([dialog] { return !dialog->isPlanning(); }, kWaitMs);
}

qsizetype annotationCount(const FormatReadResult &read)
{
    qsizetype n = 0;
    for (const ImportedItem &item : read.items)
        n += item.annotations.size();
    return n;
}

class ExportDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        project = AnnotatedProject::create();
        ASSERT_TRUE(project);
        settings = std::make_unique<QSettings>(project->path(QStringLiteral("ui.ini")),
                                               QSettings::IniFormat);
    }

    std::unique_ptr<AnnotatedProject> project;
    std::unique_ptr<QSettings> settings;
    std::shared_ptr<const FormatRegistry> formats =
        std::make_shared<const FormatRegistry>(FormatRegistry::builtIn());
};

TEST_F(ExportDialogTest, ExportsCocoFromTheFileMenuAndOpensTheFolder)
{
    MainWindow window(*settings);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QAction *exportAction = window.action(QStringLiteral("actionExport"));
    ASSERT_NE(exportAction, nullptr);
    EXPECT_FALSE(exportAction->isEnabled()); // no project yet
    EXPECT_EQ(exportAction->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_E));
    EXPECT_FALSE(exportAction->toolTip().isEmpty());
    ASSERT_TRUE(window.openProject(project->projectDir));
    EXPECT_TRUE(exportAction->isEnabled());

    exportAction->trigger();
    ExportDialog *dialog = window.exportController()->dialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(dialog));
    // Two tasks: the dialog asks which.
    EXPECT_TRUE(dialog->taskCombo()->isVisibleTo(dialog));
    chooseByKeyboard(dialog->taskCombo(), project->vehicles.id);
    // Only formats that write boxes, by their display names.
    QStringList offered;
    for (int i = 0; i < dialog->formatCombo()->count(); ++i)
        offered.append(dialog->formatCombo()->itemText(i));
    EXPECT_TRUE(offered.contains(QStringLiteral("COCO JSON"))) << offered.join(u',').toStdString();
    chooseByKeyboard(dialog->formatCombo(), QStringLiteral("coco"));
    const QString output = project->path(QStringLiteral("out/vehicles.json"));
    QDir().mkpath(QFileInfo(output).absolutePath());
    typeInto(dialog->outputEdit(), output);
    EXPECT_FALSE(dialog->splitCheck()->isChecked()); // off by default
    // Copies, so the export reads back on its own: COCO's reader refuses image paths outside
    // the JSON's folder.
    EXPECT_EQ(dialog->mediaCombo()->currentData().toInt(), int(ExportMedia::Reference));
    chooseByKeyboard(dialog->mediaCombo(), int(ExportMedia::Copy));
    EXPECT_FALSE(dialog->validationSpin()->isEnabled());

    ASSERT_TRUE(waitForPlan(dialog));
    ASSERT_TRUE(dialog->plan().has_value()) << dialog->planError().toStdString();
    EXPECT_EQ(dialog->lossBox()->title(), QStringLiteral("What COCO JSON would lose"));
    // Reviewed labels by default: the unreviewed machine box stays home, the blue image goes
    // as a negative example.
    EXPECT_EQ(dialog->plan()->itemCount, 3);
    EXPECT_EQ(dialog->plan()->annotationCount, 2);
    EXPECT_TRUE(dialog->plan()->loss.isEmpty())
        << dialog->plan()->loss.losses.join(u';').toStdString();
    EXPECT_TRUE(dialog->planLabel()->text().contains(QStringLiteral("3 items")))
        << dialog->planLabel()->text().toStdString();
    ASSERT_EQ(dialog->lossList()->count(), 1);
    EXPECT_TRUE(dialog->lossList()->item(0)->text().startsWith(QStringLiteral("Nothing is lost")));
    EXPECT_FALSE(dialog->confirmCheck()->isVisibleTo(dialog));
    EXPECT_TRUE(dialog->exportButton()->isEnabled()) << dialog->blockReason().toStdString();

    QSignalSpy finished(window.exportController(), &ExportController::finished);
    QTest::mouseClick(dialog->exportButton(), Qt::LeftButton);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    EXPECT_FALSE(window.exportController()->isRunning());
    const auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    ASSERT_TRUE(outcome.summary.has_value()) << outcome.error.toStdString();
    EXPECT_EQ(outcome.summary->items, 3);
    EXPECT_EQ(outcome.summary->annotations, 2);
    EXPECT_EQ(outcome.summary->mediaFiles, 3);
    EXPECT_TRUE(QFileInfo::exists(project->path(QStringLiteral("out/images/red.png"))));

    // What was written reads back with the same format.
    ASSERT_TRUE(QFileInfo::exists(output));
    auto read = formats->find(QStringLiteral("coco"))->read(output);
    ASSERT_TRUE(read) << read.errorString().toStdString();
    EXPECT_EQ(read->items.size(), 3);
    EXPECT_EQ(annotationCount(*read), 2);
    EXPECT_TRUE(read->problems.isEmpty()) << read->problems.value(0).where.toStdString() << ": "
                                          << read->problems.value(0).reason.toStdString();
    EXPECT_TRUE(read->classes.contains(QStringLiteral("car")));

    QMessageBox *box = window.exportController()->resultBox();
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->text(), QStringLiteral("Exported 3 items with 2 annotations."));
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("3 images copied")));
    EXPECT_TRUE(box->informativeText().contains(QStringLiteral("vehicles.json")))
        << box->informativeText().toStdString();
    box->grab().save(test::screenshotPath(QStringLiteral("exportsummary.png")));
    auto *openFolder = box->findChild<QPushButton *>(QStringLiteral("openExportFolder"));
    ASSERT_NE(openFolder, nullptr);
    UrlCatcher catcher;
    QDesktopServices::setUrlHandler(QStringLiteral("file"), &catcher, "open");
    QTest::mouseClick(openFolder, Qt::LeftButton);
    QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
    ASSERT_EQ(catcher.urls.size(), 1);
    EXPECT_EQ(QDir::cleanPath(catcher.urls.constFirst().toLocalFile()),
              QDir::cleanPath(QFileInfo(output).absolutePath()));

    // The next export starts from the same format and folder.
    EXPECT_EQ(settings->value(QStringLiteral("export/lastFormat")).toString(),
              QStringLiteral("coco"));
}

TEST_F(ExportDialogTest, ALossyExportWaitsForTheConfirmation)
{
    ExportDialog dialog(formats, project->projectDir, {project->vehicles, project->regions});
    dialog.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&dialog));
    chooseByKeyboard(dialog.taskCombo(), project->regions.id);
    chooseByKeyboard(dialog.formatCombo(), QStringLiteral("yolo"));
    const QString output = project->path(QStringLiteral("yolo-regions"));
    typeInto(dialog.outputEdit(), output);
    ASSERT_TRUE(waitForPlan(&dialog));
    ASSERT_TRUE(dialog.plan().has_value()) << dialog.planError().toStdString();
    EXPECT_EQ(dialog.lossBox()->title(), QStringLiteral("What YOLO txt would lose"));

    // YOLO has no masks: the report says so, and Export waits for the user's word.
    const QStringList losses = dialog.plan()->loss.losses;
    ASSERT_FALSE(losses.isEmpty());
    EXPECT_TRUE(losses.join(u'\n').contains(QStringLiteral("1 masks")))
        << losses.join(u'\n').toStdString();
    // The losses, then the notes (the images stay outside the export folder).
    EXPECT_EQ(dialog.lossList()->count(), losses.size() + dialog.plan()->notes.size());
    EXPECT_EQ(dialog.plan()->notes.size(), 1);
    EXPECT_TRUE(dialog.confirmCheck()->isVisibleTo(&dialog));
    EXPECT_FALSE(dialog.confirmCheck()->isChecked());
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    EXPECT_TRUE(dialog.blockReason().contains(QStringLiteral("I understand")));

    // A split and a seed: planned again, the same losses, the sets listed.
    QTest::mouseClick(dialog.splitCheck(), Qt::LeftButton, {},
                      QPoint(4, dialog.splitCheck()->height() / 2));
    EXPECT_TRUE(dialog.splitCheck()->isChecked());
    EXPECT_TRUE(dialog.validationSpin()->isEnabled());
    dialog.testSpin()->setValue(0);
    dialog.validationSpin()->setValue(50);
    dialog.seedSpin()->setValue(7);
    EXPECT_TRUE(dialog.isPlanning());
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    ASSERT_TRUE(waitForPlan(&dialog));
    ASSERT_TRUE(dialog.plan().has_value()) << dialog.planError().toStdString();
    EXPECT_DOUBLE_EQ(dialog.plan()->options.validationShare, 0.5);
    EXPECT_EQ(dialog.plan()->options.seed, 7u);
    EXPECT_GE(dialog.plan()->subsets.size(), 2);
    EXPECT_TRUE(dialog.planLabel()->text().contains(QStringLiteral("validation")))
        << dialog.planLabel()->text().toStdString();

    QTest::qWait(50);
    dialog.grab().save(test::screenshotPath(QStringLiteral("exportdialog-loss.png")));

    QTest::mouseClick(dialog.confirmCheck(), Qt::LeftButton, {},
                      QPoint(4, dialog.confirmCheck()->height() / 2));
    EXPECT_TRUE(dialog.confirmCheck()->isChecked());
    EXPECT_TRUE(dialog.exportButton()->isEnabled()) << dialog.blockReason().toStdString();

    // Other losses need a new word: all labels bring a machine box's confidence along.
    chooseByKeyboard(dialog.taskCombo(), project->vehicles.id);
    chooseByKeyboard(dialog.labelsCombo(), int(ExportLabels::All));
    ASSERT_TRUE(waitForPlan(&dialog));
    ASSERT_TRUE(dialog.plan().has_value()) << dialog.planError().toStdString();
    EXPECT_TRUE(dialog.plan()->loss.losses.join(u'\n').contains(QStringLiteral("confidence")));
    EXPECT_FALSE(dialog.confirmCheck()->isChecked());
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    dialog.confirmCheck()->click();

    QSignalSpy requested(&dialog, &ExportDialog::exportRequested);
    QTest::mouseClick(dialog.exportButton(), Qt::LeftButton);
    ASSERT_EQ(requested.count(), 1);
    const auto plan = requested.at(0).at(0).value<ExportPlan>();
    EXPECT_EQ(plan.format, formats->find(QStringLiteral("yolo")));
    EXPECT_EQ(plan.options.taskId, project->vehicles.id);
    EXPECT_EQ(plan.options.labels, ExportLabels::All);
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(ExportDialogTest, OnlyThePlanForTheLatestChoicesCounts)
{
    // The only worker is busy, so the first plan waits while the user changes their mind.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore gate;
    pool.start([&gate] { gate.acquire(); });
    ExportDialog dialog(formats, project->projectDir, {project->vehicles}, nullptr, &pool);
    QSignalSpy planned(&dialog, &ExportDialog::planChanged);
    // One task: nothing to choose.
    EXPECT_FALSE(dialog.taskCombo()->isVisibleTo(&dialog));
    dialog.setOutput(project->path(QStringLiteral("quick.json")));
    QTest::qWait(600); // the plan for human labels is queued
    dialog.labelsCombo()->setCurrentIndex(dialog.labelsCombo()->findData(int(ExportLabels::All)));
    QTest::qWait(600);
    EXPECT_TRUE(dialog.isPlanning());
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    EXPECT_TRUE(dialog.planLabel()->text().startsWith(QStringLiteral("Working out")));
    gate.release();

    // The first answer is dropped; the second is planned and shown.
    ASSERT_TRUE(waitForPlan(&dialog));
    ASSERT_TRUE(dialog.plan().has_value()) << dialog.planError().toStdString();
    EXPECT_EQ(planned.count(), 1);
    EXPECT_EQ(dialog.plan()->options.labels, ExportLabels::All);
    EXPECT_EQ(dialog.plan()->annotationCount, 3);

    // A folder where a file is wanted is refused before anything runs.
    typeInto(dialog.outputEdit(), project->mediaDir);
    EXPECT_FALSE(dialog.exportButton()->isEnabled());
    EXPECT_TRUE(dialog.blockReason().contains(QStringLiteral("is a folder")))
        << dialog.blockReason().toStdString();
}

TEST_F(ExportDialogTest, CancelLeavesNoFile)
{
    auto store = ProjectStore::open(project->projectDir);
    ASSERT_TRUE(store);
    const QString folder = project->path(QStringLiteral("cancelled"));
    ASSERT_TRUE(QDir().mkpath(folder));
    const QString output = QDir(folder).filePath(QStringLiteral("vehicles.json"));
    ExportOptions options;
    options.taskId = project->vehicles.id;
    auto plan = planExport(**store, *formats->find(QStringLiteral("coco")), output, options);
    ASSERT_TRUE(plan) << plan.errorString().toStdString();

    // The only worker is busy until the user has pressed Cancel: the export starts cancelled.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore gate;
    pool.start([&gate] { gate.acquire(); });
    QWidget window;
    ExportController controller(formats, *settings, &window, &pool);
    QSignalSpy finished(&controller, &ExportController::finished);
    ASSERT_TRUE(controller.start(*plan));
    EXPECT_TRUE(controller.isRunning());
    EXPECT_FALSE(controller.start(*plan)); // one at a time
    ASSERT_NE(controller.progressDialog(), nullptr);
    QTest::qWait(500); // the progress dialog shows once the export takes a while
    EXPECT_TRUE(controller.progressDialog()->isVisible());
    auto *cancel = controller.progressDialog()->findChild<QPushButton *>();
    ASSERT_NE(cancel, nullptr);
    QTest::mouseClick(cancel, Qt::LeftButton);
    gate.release();
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    const auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    EXPECT_TRUE(outcome.cancelled) << outcome.error.toStdString();
    EXPECT_FALSE(outcome.summary.has_value());
    EXPECT_FALSE(QFileInfo::exists(output));
    EXPECT_TRUE(
        QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty());
    EXPECT_EQ(controller.resultBox(), nullptr); // the user knows: no box to dismiss
    EXPECT_FALSE(controller.isRunning());
}

TEST_F(ExportDialogTest, AFailedExportNamesTheFile)
{
    auto store = ProjectStore::open(project->projectDir);
    ASSERT_TRUE(store);
    // The parent of the output is a file: nothing can be written there.
    const QString blocker = project->path(QStringLiteral("blocker"));
    ASSERT_TRUE(test::writeBytes(blocker, "not a folder"));
    const QString output = QDir(blocker).filePath(QStringLiteral("vehicles.json"));
    ExportOptions options;
    options.taskId = project->vehicles.id;
    auto plan = planExport(**store, *formats->find(QStringLiteral("coco")), output, options);
    if (!plan) {
        // Refused at planning already: the message names the place.
        EXPECT_TRUE(plan.errorString().contains(QStringLiteral("blocker")))
            << plan.errorString().toStdString();
        return;
    }
    QWidget window;
    ExportController controller(formats, *settings, &window);
    QSignalSpy finished(&controller, &ExportController::finished);
    ASSERT_TRUE(controller.start(*plan));
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    const auto outcome = finished.at(0).at(0).value<ExportOutcome>();
    EXPECT_FALSE(outcome.summary.has_value());
    EXPECT_FALSE(outcome.error.isEmpty());
    QMessageBox *box = controller.resultBox();
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->icon(), QMessageBox::Critical);
    EXPECT_TRUE(box->text().contains(QDir::toNativeSeparators(output)))
        << box->text().toStdString();
    EXPECT_FALSE(box->informativeText().isEmpty());
}

} // namespace

#include "exportdialogtest.moc"
