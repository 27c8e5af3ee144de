#include "annotatedproject.h"
#include "uitestutil.h"

#include "ui/annotationimportcontroller.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/dialogs/importannotationsdialog.h"
#include "ui/jobprogressdialog.h"
#include "ui/mainwindow.h"
#include "ui/tasks/taskpanel.h"

#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QThreadPool>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace fieldmark;
using fieldmark::test::AnnotatedProject;

namespace {

constexpr int kWaitMs = 10000;

// A COCO file beside the project's images: a new car box on red, the car box red already has,
// a zebra (a class the task lacks) on green, a record whose bbox is not numbers, and a car box
// on extra.png, an image the project does not have yet.
const char kCocoWithProblems[] = R"({
  "images": [
    {"id": 1, "file_name": "red.png", "width": 320, "height": 200},
    {"id": 2, "file_name": "green.png", "width": 200, "height": 320},
    {"id": 3, "file_name": "extra.png", "width": 120, "height": 90}
  ],
  "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "zebra"}],
  "annotations": [
    {"id": 1, "image_id": 1, "category_id": 1, "bbox": [30, 40, 50, 20], "area": 1000, "iscrowd": 0},
    {"id": 2, "image_id": 1, "category_id": 1, "bbox": [10, 10, 50, 40], "area": 2000, "iscrowd": 0},
    {"id": 3, "image_id": 2, "category_id": 2, "bbox": [10, 10, 20, 20], "area": 400, "iscrowd": 0},
    {"id": 4, "image_id": 1, "category_id": 1, "bbox": "oops", "area": 0, "iscrowd": 0},
    {"id": 5, "image_id": 3, "category_id": 1, "bbox": [5, 5, 20, 20], "area": 400, "iscrowd": 0}
  ]
}
)";

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

void tick(QCheckBox *box)
{
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(4, box->height() / 2));
}

bool waitForPlan(const ImportAnnotationsDialog *dialog)
{
    return QTest::qWaitFor([dialog] { return !dialog->isPlanning(); }, kWaitMs);
}

class ImportAnnotationsDialogTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        project = AnnotatedProject::create();
        ASSERT_TRUE(project);
        settings = std::make_unique<QSettings>(project->path(QStringLiteral("ui.ini")),
                                               QSettings::IniFormat);
        ASSERT_TRUE(test::makeImage(120, 90, Qt::darkCyan)
                        .save(project->media(QStringLiteral("extra.png"))));
        cocoPath = project->media(QStringLiteral("labels.json"));
        ASSERT_TRUE(test::writeBytes(cocoPath, QByteArray(kCocoWithProblems)));
    }

    std::unique_ptr<AnnotatedProject> project;
    std::unique_ptr<QSettings> settings;
    std::shared_ptr<const FormatRegistry> formats =
        std::make_shared<const FormatRegistry>(FormatRegistry::builtIn());
    QString cocoPath;
};

TEST_F(ImportAnnotationsDialogTest, ProblemsHoldTheImportUntilTheValidPartIsChosen)
{
    MainWindow window(*settings);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QAction *action = window.action(QStringLiteral("actionImportAnnotations"));
    ASSERT_NE(action, nullptr);
    EXPECT_FALSE(action->isEnabled());
    EXPECT_FALSE(action->toolTip().isEmpty());
    ASSERT_TRUE(window.openProject(project->projectDir));
    ASSERT_TRUE(action->isEnabled());
    EXPECT_EQ(window.itemModel()->rowCount(), 3);

    action->trigger();
    ImportAnnotationsDialog *dialog = window.annotationImportController()->dialog();
    ASSERT_NE(dialog, nullptr);
    ASSERT_TRUE(QTest::qWaitForWindowExposed(dialog));
    chooseByKeyboard(dialog->formatCombo(), QStringLiteral("coco"));
    chooseByKeyboard(dialog->taskCombo(), project->vehicles.id);
    EXPECT_TRUE(dialog->addItemsCheck()->isChecked());
    EXPECT_FALSE(dialog->addClassesCheck()->isChecked());
    EXPECT_FALSE(dialog->validPartCheck()->isChecked());
    typeInto(dialog->pathEdit(), cocoPath);

    ASSERT_TRUE(waitForPlan(dialog));
    ASSERT_TRUE(dialog->plan().has_value()) << dialog->planError().toStdString();
    const AnnotationImportPlan &plan = *dialog->plan();
    EXPECT_EQ(plan.matchedItems, 2);
    EXPECT_EQ(plan.missingItems, 1);
    EXPECT_EQ(plan.annotations, 2);
    EXPECT_EQ(plan.alreadyPresent, 1);
    EXPECT_EQ(plan.unknownClasses, QStringList{QStringLiteral("zebra")});
    EXPECT_EQ(dialog->matchedLabel()->text(), QStringLiteral("2"));
    EXPECT_EQ(dialog->missingLabel()->text(), QStringLiteral("1 (added to the project)"));
    EXPECT_EQ(dialog->annotationsLabel()->text(), QStringLiteral("2"));
    EXPECT_EQ(dialog->unknownClassesLabel()->text(),
              QStringLiteral("zebra (their labels are skipped)"));

    // The bad record, by file and JSON path, with the reason.
    QTableWidget *problems = dialog->problemTable();
    ASSERT_TRUE(problems->isVisibleTo(dialog));
    ASSERT_EQ(problems->rowCount(), 1);
    EXPECT_EQ(problems->item(0, 0)->text(), QStringLiteral("labels.json: annotations[3].bbox"));
    EXPECT_TRUE(problems->item(0, 0)->toolTip().contains(QDir::toNativeSeparators(cocoPath)));
    EXPECT_TRUE(problems->item(0, 1)->text().contains(QStringLiteral("4 numbers")))
        << problems->item(0, 1)->text().toStdString();
    EXPECT_FALSE(dialog->importButton()->isEnabled());
    EXPECT_TRUE(dialog->blockReason().contains(QStringLiteral("valid part")));

    // Adding the unknown class is a new plan: the zebra comes along.
    tick(dialog->addClassesCheck());
    EXPECT_TRUE(dialog->isPlanning());
    ASSERT_TRUE(waitForPlan(dialog));
    ASSERT_TRUE(dialog->plan().has_value()) << dialog->planError().toStdString();
    EXPECT_EQ(dialog->plan()->annotations, 3);
    EXPECT_EQ(dialog->unknownClassesLabel()->text(), QStringLiteral("zebra (added to the task)"));
    EXPECT_FALSE(dialog->importButton()->isEnabled());

    QTest::qWait(50);
    dialog->grab().save(
        test::screenshotPath(QStringLiteral("importannotationsdialog-problems.png")));

    tick(dialog->validPartCheck());
    EXPECT_FALSE(dialog->isPlanning()); // only whether Import may go ahead depends on it
    ASSERT_TRUE(dialog->importButton()->isEnabled()) << dialog->blockReason().toStdString();

    QSignalSpy finished(window.annotationImportController(), &AnnotationImportController::finished);
    QTest::mouseClick(dialog->importButton(), Qt::LeftButton);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    const auto outcome = finished.at(0).at(0).value<AnnotationImportOutcome>();
    ASSERT_TRUE(outcome.summary.has_value()) << outcome.error.toStdString();
    EXPECT_EQ(outcome.summary->annotationsAdded, 3);
    EXPECT_EQ(outcome.summary->itemsAdded, 1);
    EXPECT_EQ(outcome.summary->classesAdded, QStringList{QStringLiteral("zebra")});

    // The store holds them...
    ProjectStore *store = window.store();
    ASSERT_NE(store, nullptr);
    const QList<Annotation> onRed = store->annotations(project->itemIds[0], project->vehicles.id);
    ASSERT_EQ(onRed.size(), 2);
    EXPECT_TRUE(std::any_of(onRed.begin(), onRed.end(), [](const Annotation &a) {
        return a.shape == Shape(Box{30, 40, 50, 20});
    }));
    EXPECT_EQ(store->itemCount(), 4);
    // ...and the window shows them: the new image in the browser, the new class in the task.
    EXPECT_EQ(window.itemModel()->rowCount(), 4);
    ASSERT_EQ(window.taskPanel()->currentTaskId(), project->vehicles.id);
    QTreeWidget *classes = window.taskPanel()->classTree();
    ASSERT_EQ(classes->topLevelItemCount(), 4);
    EXPECT_EQ(classes->topLevelItem(3)->text(0), QStringLiteral("zebra"));
    EXPECT_EQ(classes->topLevelItem(0)->text(2), QStringLiteral("3")); // car: 1 + 2 imported

    QMessageBox *box = window.annotationImportController()->resultBox();
    ASSERT_NE(box, nullptr);
    EXPECT_TRUE(box->text().startsWith(QStringLiteral("Added 3 annotations.")))
        << box->text().toStdString();
    EXPECT_TRUE(box->detailedText().contains(QStringLiteral("annotations[3].bbox")));
    EXPECT_TRUE(action->isEnabled());
}

TEST_F(ImportAnnotationsDialogTest, AFileThatIsNotJsonSaysWhere)
{
    const QString broken = project->media(QStringLiteral("broken.json"));
    ASSERT_TRUE(test::writeBytes(broken, QByteArray("{\n  \"images\": [\n    {\"id\": 1,,}\n")));
    ImportAnnotationsDialog dialog(formats, project->projectDir,
                                   {project->vehicles, project->regions});
    ASSERT_TRUE(dialog.setFormat(QStringLiteral("coco")));
    dialog.setPath(broken);
    ASSERT_TRUE(waitForPlan(&dialog));
    EXPECT_FALSE(dialog.plan().has_value());
    EXPECT_TRUE(dialog.planError().contains(broken + QStringLiteral(":3:")))
        << dialog.planError().toStdString();
    EXPECT_TRUE(dialog.planLabel()->text().contains(QStringLiteral("broken.json")));
    EXPECT_FALSE(dialog.problemTable()->isVisibleTo(&dialog));
    EXPECT_FALSE(dialog.importButton()->isEnabled());
}

TEST_F(ImportAnnotationsDialogTest, APlanForEarlierChoicesIsStoppedAndDropped)
{
    // The only worker is busy, so the first plan waits while the user changes their mind.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore gate;
    pool.start([&gate] { gate.acquire(); });
    ImportAnnotationsDialog dialog(formats, project->projectDir, {project->vehicles}, nullptr,
                                   &pool);
    QSignalSpy planned(&dialog, &ImportAnnotationsDialog::planChanged);
    ASSERT_TRUE(dialog.setFormat(QStringLiteral("coco")));
    dialog.setPath(cocoPath);
    QTest::qWait(600); // the plan without new classes is queued
    dialog.addClassesCheck()->setChecked(true);
    QTest::qWait(600);
    EXPECT_TRUE(dialog.isPlanning());
    EXPECT_FALSE(dialog.importButton()->isEnabled());
    gate.release();

    ASSERT_TRUE(waitForPlan(&dialog));
    ASSERT_TRUE(dialog.plan().has_value()) << dialog.planError().toStdString();
    EXPECT_EQ(planned.count(), 1);
    EXPECT_EQ(dialog.plan()->annotations, 3); // with the zebra
}

TEST_F(ImportAnnotationsDialogTest, CancelLeavesTheProjectAsItWas)
{
    auto store = ProjectStore::open(project->projectDir);
    ASSERT_TRUE(store);
    AnnotationImportOptions options;
    options.taskId = project->vehicles.id;
    options.importValidPart = true;
    auto plan =
        planAnnotationImport(**store, *formats->find(QStringLiteral("coco")), cocoPath, options);
    ASSERT_TRUE(plan) << plan.errorString().toStdString();
    ASSERT_GT(plan->annotations, 0);
    const qsizetype before = (*store)->taskAnnotations(project->vehicles.id).size();

    // The only worker is busy until the user has pressed Cancel.
    QThreadPool pool;
    pool.setMaxThreadCount(1);
    QSemaphore gate;
    pool.start([&gate] { gate.acquire(); });
    QWidget window;
    AnnotationImportController controller(formats, *settings, &window, &pool);
    QSignalSpy finished(&controller, &AnnotationImportController::finished);
    QSignalSpy imported(&controller, &AnnotationImportController::annotationsImported);
    ASSERT_TRUE(controller.start(project->projectDir, *plan, options));
    ASSERT_NE(controller.progressDialog(), nullptr);
    QTest::qWait(500); // the progress dialog shows once the import takes a while
    ASSERT_TRUE(controller.progressDialog()->isVisible());
    auto *cancel = controller.progressDialog()->findChild<QPushButton *>();
    ASSERT_NE(cancel, nullptr);
    QTest::mouseClick(cancel, Qt::LeftButton);
    gate.release();
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
    const auto outcome = finished.at(0).at(0).value<AnnotationImportOutcome>();
    EXPECT_TRUE(outcome.cancelled) << outcome.error.toStdString();
    EXPECT_EQ(imported.count(), 0);
    EXPECT_EQ((*store)->taskAnnotations(project->vehicles.id).size(), before);
    EXPECT_EQ((*store)->itemCount(), 3);
    EXPECT_EQ((*store)->task(project->vehicles.id)->classes.size(), 3);
}

} // namespace
