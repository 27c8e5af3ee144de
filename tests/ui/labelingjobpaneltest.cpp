// The labeling job in the application: the panel and its controller, with a small learner
// written here (ui never sees torch), driven through the main window as an annotator would.
#include "uitestutil.h"

#include "ui/browser/itembrowser.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/editorcontroller.h"
#include "ui/labeling/jobsettingsdialog.h"
#include "ui/labeling/labelingjobcontroller.h"
#include "ui/labeling/labelingjobpanel.h"
#include "ui/mainwindow.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <gtest/gtest.h>

#include <atomic>

using namespace fieldmark;
using namespace Qt::StringLiterals;

namespace {

// What a test can make the learner do, from the GUI thread while it runs on the worker.
struct LearnerControls
{
    std::atomic_bool block{false}; // train waits (and so can be cancelled) until cleared
    std::atomic_bool fail{false};  // train fails with kFailure
    std::atomic_int trainings{0};
    std::atomic_int loads{0}; // checkpoints loaded
};

const QString kFailure = u"the test learner refuses to train (as asked)"_s;

// Reads the class from the words: "lovely" texts are the first class. It is wrong, and unsure,
// about "hard" texts, so those go back to people; its confidence in the others varies by item.
class KeywordLearner : public Learner
{
public:
    explicit KeywordLearner(std::shared_ptr<LearnerControls> controls)
        : m_controls(std::move(controls))
    {}

    QString name() const override { return u"keywords"_s; }
    bool supports(TaskType type) const override { return type == TaskType::TextClassification; }
    Result<void> reset(const LearnerSchema &schema) override
    {
        m_schema = schema;
        return {};
    }
    LearnerSchema schema() const override { return m_schema; }
    Result<TrainingReport> train(const QList<LearnerExample> &examples,
                                 const Progress &progress) override
    {
        ++m_controls->trainings;
        if (m_controls->fail)
            return makeError(kFailure);
        // Ten seconds at most, so a broken test cannot hang.
        for (int wait = 0; m_controls->block && wait < 2000; ++wait) {
            if (!progress.advance(1, 4))
                return makeError(u"cancelled"_s);
            QThread::msleep(5);
        }
        for (qint64 step = 1; step <= 4; ++step) {
            if (!progress.advance(step, 4))
                return makeError(u"cancelled"_s);
        }
        return TrainingReport{1, 0.1, 0.25 + 0.01 * double(examples.size())};
    }
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &progress) override
    {
        QList<LearnerPrediction> result;
        for (const LearnerItem &item : items) {
            const bool lovely = item.text.contains(u"lovely"_s);
            const bool hard = item.text.contains(u"hard"_s);
            const float sure = hard ? 0.55f : 0.9f + float(item.itemId % 9) / 100.f;
            // Hard texts get the other class.
            const bool first = lovely != hard;
            result.append(LearnerPrediction{item.itemId,
                                            {first ? sure : 1.f - sure, first ? 1.f - sure : sure},
                                            {},
                                            {},
                                            {},
                                            {}});
            if (!progress.advance(result.size(), items.size()))
                return makeError(u"cancelled"_s);
        }
        return result;
    }
    Result<void> saveCheckpoint(const QString &path) const override
    {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return makeError(file.errorString());
        file.write(m_schema.classes.join(u',').toUtf8());
        return file.commit() ? Result<void>() : makeError(file.errorString());
    }
    Result<void> loadCheckpoint(const QString &path, const LearnerSchema &) override
    {
        ++m_controls->loads;
        return QFile::exists(path) ? Result<void>()
                                   : makeError(u"%1: no such checkpoint"_s.arg(path));
    }

private:
    std::shared_ptr<LearnerControls> m_controls;
    LearnerSchema m_schema;
};

class LabelingJobPanelTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_root.isValid());
        m_projectDir = m_root.filePath(u"reviews"_s);
        auto store = ProjectStore::create(m_projectDir);
        ASSERT_TRUE(store) << store.errorString().toStdString();
        auto task =
            (*store)->addTask(u"sentiment"_s, TaskType::TextClassification, {u"good"_s, u"bad"_s});
        ASSERT_TRUE(task);
        QList<Item> items;
        for (int i = 0; i < 60; ++i) {
            Item item;
            item.kind = ItemKind::Text;
            item.text =
                u"%1%2 film number %3"_s
                    .arg(i % 6 == 0 ? u"hard "_s : QString(), i % 2 ? u"awful"_s : u"lovely"_s)
                    .arg(i);
            item.hash = "sha1:review" + QByteArray::number(i);
            item.sourceRef = u"reviews:%1"_s.arg(i + 1);
            items.append(item);
        }
        ASSERT_TRUE((*store)->addItems(items));
        openWindow();
    }

    void TearDown() override
    {
        window.reset();
        settings.reset();
    }

    void openWindow()
    {
        settings = std::make_unique<QSettings>(m_root.filePath(u"ui.ini"_s), QSettings::IniFormat);
        window = std::make_unique<MainWindow>(*settings);
        window->setLearnerFactory([controls = m_controls](TaskType) {
            return std::make_unique<KeywordLearner>(controls);
        });
        window->resize(1280, 800);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        ASSERT_TRUE(window->openProject(m_projectDir));
        window->findChild<QDockWidget *>(u"labelingJobDock"_s)->raise();
    }

    LabelingJobController *jobs() const { return window->labelingJob(); }
    LabelingJobPanel *panel() const { return window->labelingJobPanel(); }

    JobSettings smallBatches() const
    {
        JobSettings settings;
        settings.policy = LabelingPolicy::GroundTruth;
        settings.validationSize = 10;
        settings.batchSize = 5;
        return settings;
    }

    // The true class of a review, as its words say.
    qint64 truthOf(qint64 itemId) const
    {
        const LabelTask &task = window->editor()->task();
        const bool lovely = window->store()->item(itemId)->text.contains(u"lovely"_s);
        return task.classByName(lovely ? u"good"_s : u"bad"_s)->id;
    }

    // Labels `count` items of the job's queue (all with -1) with the class keys' action.
    void labelQueue(qsizetype count = -1)
    {
        const QList<qint64> queue = jobs()->job()->humanQueue();
        ASSERT_FALSE(queue.isEmpty());
        for (qint64 item : queue.mid(0, count)) {
            ASSERT_TRUE(window->browser()->setCurrentItem(item));
            window->editor()->activateClass(truthOf(item));
            QCoreApplication::processEvents();
        }
    }

    bool waitForIterations(qsizetype count)
    {
        return test::waitUntil(
            [&] { return !jobs()->isTraining() && jobs()->job()->iterations().size() >= count; });
    }

    QList<Annotation> machineLabels() const
    {
        QList<Annotation> found;
        for (const Annotation &a : window->store()->taskAnnotations(window->editor()->task().id)) {
            if (a.provenance.state == LabelState::Machine)
                found.append(a);
        }
        return found;
    }

    // Another project with a trained model of a text task with these classes.
    QString projectWithModel(const QString &name, const QStringList &classes)
    {
        const QString dir = m_root.filePath(name);
        auto store = ProjectStore::create(dir);
        EXPECT_TRUE(store);
        if (!store)
            return dir;
        auto task = (*store)->addTask(u"sentiment"_s, TaskType::TextClassification, classes);
        EXPECT_TRUE(task);
        EXPECT_TRUE(QDir().mkpath(dir + u"/models/1"_s));
        QFile weights(dir + u"/models/1/iteration-1.pt"_s);
        EXPECT_TRUE(weights.open(QIODevice::WriteOnly));
        weights.write(classes.join(u',').toUtf8());
        CheckpointRecord record;
        record.taskId = task->id;
        record.learner = u"keywords"_s;
        record.path = u"models/1/iteration-1.pt"_s;
        record.classes = classes.join(u'\n');
        EXPECT_TRUE((*store)->addCheckpoint(record));
        return dir;
    }

    QTemporaryDir m_root;
    QString m_projectDir;
    std::shared_ptr<LearnerControls> m_controls = std::make_shared<LearnerControls>();
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<MainWindow> window;
};

TEST_F(LabelingJobPanelTest, AJobStartedInTheDialogTrainsAndFillsInMachineLabels)
{
    EXPECT_TRUE(panel()->phaseLabel()->text().contains(u"Start one"_s));
    EXPECT_TRUE(panel()->startButton()->isEnabled());
    EXPECT_FALSE(panel()->pauseButton()->isEnabled());

    // The settings dialog, filled in as a person would.
    bool filled = false;
    QTimer::singleShot(0, [&] {
        auto *dialog = qobject_cast<JobSettingsDialog *>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        dialog->nameEdit()->setText(u"first pass"_s);
        dialog->policyCombo()->setCurrentIndex(
            dialog->policyCombo()->findData(labelingPolicyName(LabelingPolicy::GroundTruth)));
        dialog->batchSpin()->setValue(5);
        dialog->validationSpin()->setValue(10);
        filled = true;
        dialog->buttons()->button(QDialogButtonBox::Ok)->click();
    });
    ASSERT_TRUE(panel()->startWithDialog());
    ASSERT_TRUE(filled);
    ASSERT_NE(jobs()->job(), nullptr);
    EXPECT_EQ(jobs()->job()->record().name, u"first pass"_s);
    EXPECT_EQ(jobs()->job()->settings().batchSize, 5);
    EXPECT_EQ(jobs()->waiting(), 15);
    EXPECT_TRUE(panel()->phaseLabel()->text().contains(u"Label 15 more item(s)"_s))
        << panel()->phaseLabel()->text().toStdString();
    EXPECT_FALSE(panel()->startButton()->isEnabled());

    labelQueue(14);
    EXPECT_EQ(m_controls->trainings, 0);
    EXPECT_TRUE(panel()->phaseLabel()->text().contains(u"Label 1 more item(s)"_s));
    labelQueue();
    ASSERT_TRUE(waitForIterations(1));

    // The confident answers are machine labels, with the model's confidence; "hard" reviews
    // (which it gets wrong) went back to people.
    const QList<Annotation> machine = machineLabels();
    ASSERT_FALSE(machine.isEmpty());
    for (const Annotation &a : machine) {
        EXPECT_EQ(a.classId, truthOf(a.itemId));
        ASSERT_TRUE(a.provenance.confidence.has_value());
        EXPECT_GT(*a.provenance.confidence, 0.89);
    }
    EXPECT_EQ(panel()->historyTable()->rowCount(), 1);
    EXPECT_EQ(panel()->historyTable()->item(0, LabelingJobPanel::MachineColumn)->text(),
              QString::number(machine.size()));
    EXPECT_TRUE(QFile::exists(m_projectDir + u"/models/1/iteration-1.pt"_s));

    // The browser's "awaiting review" lists them lowest confidence first.
    window->browser()->setStateFilter(int(ItemLabelState::AwaitingReview));
    ItemListModel *model = window->itemModel();
    ASSERT_EQ(model->rowCount(), machine.size());
    QHash<qint64, double> confidence;
    for (const Annotation &a : machine)
        confidence.insert(a.itemId, *a.provenance.confidence);
    for (int row = 1; row < model->rowCount(); ++row)
        EXPECT_LE(confidence.value(model->itemId(row - 1)), confidence.value(model->itemId(row)));
    EXPECT_LT(confidence.value(model->itemId(0)),
              confidence.value(model->itemId(model->rowCount() - 1)));
    window->browser()->setStateFilter(ItemBrowser::kAllStates);

    // Batch after batch until people have labeled every item the model could not.
    for (int round = 2; round < 10 && jobs()->job()->phase() != LabelingJob::Phase::Done; ++round) {
        labelQueue();
        ASSERT_TRUE(waitForIterations(round));
    }
    ASSERT_EQ(jobs()->job()->phase(), LabelingJob::Phase::Done);
    EXPECT_TRUE(panel()->phaseLabel()->text().startsWith(u"Done"_s));
    EXPECT_GE(panel()->historyTable()->rowCount(), 2);
    EXPECT_TRUE(panel()->startButton()->isEnabled());

    auto *dock = window->findChild<QDockWidget *>(u"labelingJobDock"_s);
    dock->setFloating(true);
    dock->resize(520, 640);
    QCoreApplication::processEvents();
    const QImage shot = dock->grab().toImage();
    ASSERT_TRUE(shot.save(test::screenshotPath(u"labeling-job-panel.png"_s)));
}

TEST_F(LabelingJobPanelTest, PauseCancelsTheTrainingAndResumeRunsItAgain)
{
    ASSERT_TRUE(jobs()->start(window->editor()->task().id, u"paused"_s, smallBatches()));
    m_controls->block = true;
    labelQueue();
    ASSERT_TRUE(test::waitUntil([&] { return m_controls->trainings == 1; }));
    EXPECT_TRUE(jobs()->isTraining());
    EXPECT_TRUE(panel()->progressBar()->isVisible());
    EXPECT_TRUE(panel()->pauseButton()->isEnabled());
    ASSERT_TRUE(test::waitUntil([&] {
        return panel()->phaseLabel()->text().startsWith(u"Training\u2026 step 1 of 4"_s);
    })) << panel()->phaseLabel()->text().toStdString();
    ASSERT_TRUE(
        panel()->grab().toImage().save(test::screenshotPath(u"labeling-job-panel-training.png"_s)));

    QTest::mouseClick(panel()->pauseButton(), Qt::LeftButton);
    EXPECT_FALSE(jobs()->isTraining());
    EXPECT_TRUE(jobs()->isPaused());
    EXPECT_TRUE(panel()->phaseLabel()->text().startsWith(u"Paused"_s))
        << panel()->phaseLabel()->text().toStdString();
    EXPECT_TRUE(panel()->resumeButton()->isEnabled());
    EXPECT_FALSE(panel()->progressBar()->isVisible());
    // Let the cancelled run wind down: it leaves nothing behind.
    m_controls->block = false;
    QTest::qWait(100);
    EXPECT_TRUE(jobs()->job()->iterations().isEmpty());
    EXPECT_TRUE(machineLabels().isEmpty());
    EXPECT_FALSE(QFile::exists(m_projectDir + u"/models/1/iteration-1.pt"_s));

    QTest::mouseClick(panel()->resumeButton(), Qt::LeftButton);
    ASSERT_TRUE(waitForIterations(1));
    EXPECT_EQ(m_controls->trainings, 2);
    EXPECT_FALSE(machineLabels().isEmpty());
    EXPECT_FALSE(jobs()->isPaused());
}

TEST_F(LabelingJobPanelTest, TheJobGoesOnAfterTheProjectIsReopened)
{
    ASSERT_TRUE(jobs()->start(window->editor()->task().id, u"long"_s, smallBatches()));
    const qint64 jobId = jobs()->job()->id();
    labelQueue(6);
    EXPECT_EQ(jobs()->waiting(), 9);

    window->closeProject();
    EXPECT_EQ(jobs()->job(), nullptr);
    EXPECT_TRUE(panel()->phaseLabel()->text().contains(u"Open a project"_s));
    ASSERT_TRUE(window->openProject(m_projectDir));
    ASSERT_NE(jobs()->job(), nullptr);
    EXPECT_EQ(jobs()->job()->id(), jobId);
    EXPECT_EQ(jobs()->waiting(), 9);
    EXPECT_TRUE(panel()->titleLabel()->text().startsWith(u"long"_s));

    labelQueue();
    ASSERT_TRUE(waitForIterations(1));
    EXPECT_FALSE(machineLabels().isEmpty());

    // And after a restart of the whole window, with the model's checkpoint to start from.
    window.reset();
    openWindow();
    ASSERT_NE(jobs()->job(), nullptr);
    EXPECT_EQ(jobs()->job()->id(), jobId);
    EXPECT_EQ(panel()->historyTable()->rowCount(), 1);
    labelQueue();
    ASSERT_TRUE(waitForIterations(2));
}

TEST_F(LabelingJobPanelTest, AFailingLearnerShowsItsErrorAndPausesTheJob)
{
    ASSERT_TRUE(jobs()->start(window->editor()->task().id, u"failing"_s, smallBatches()));
    m_controls->fail = true;
    labelQueue();
    ASSERT_TRUE(test::waitUntil([&] { return jobs()->isPaused(); }));
    EXPECT_FALSE(jobs()->isTraining());
    EXPECT_TRUE(panel()->errorLabel()->isVisible());
    EXPECT_EQ(panel()->errorLabel()->text(), kFailure);
    EXPECT_TRUE(panel()->resumeButton()->isEnabled());
    EXPECT_TRUE(jobs()->job()->iterations().isEmpty());

    // Once the cause is gone, resume trains.
    m_controls->fail = false;
    QTest::mouseClick(panel()->resumeButton(), Qt::LeftButton);
    ASSERT_TRUE(waitForIterations(1));
    EXPECT_FALSE(panel()->errorLabel()->isVisible());
}

TEST_F(LabelingJobPanelTest, AJobStartsFromAnotherProjectsModelOfTheSameClasses)
{
    const QString birds = projectWithModel(u"birds"_s, {u"owl"_s, u"bad"_s});
    const Result<void> refused =
        jobs()->start(window->editor()->task().id, u"chained"_s, smallBatches(), birds);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(refused.errorString().contains(u"the model of project "_s + birds))
        << refused.errorString().toStdString();
    EXPECT_TRUE(refused.errorString().contains(u"class 1 is 'owl' there and 'good' here"_s))
        << refused.errorString().toStdString();
    EXPECT_TRUE(window->store()->jobs().isEmpty());
    EXPECT_EQ(jobs()->job(), nullptr);

    const QString reviews = projectWithModel(u"older reviews"_s, {u"good"_s, u"bad"_s});
    QTimer::singleShot(0, [&] {
        auto *dialog = qobject_cast<JobSettingsDialog *>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        dialog->batchSpin()->setValue(5);
        dialog->validationSpin()->setValue(10);
        dialog->warmStartEdit()->setText(reviews);
        EXPECT_TRUE(dialog->grab().toImage().save(
            test::screenshotPath(u"labeling-job-settings-dialog.png"_s)));
        dialog->buttons()->button(QDialogButtonBox::Ok)->click();
    });
    ASSERT_TRUE(panel()->startWithDialog());
    ASSERT_NE(jobs()->job(), nullptr);
    const QString copied = m_projectDir + u"/models/%1/warm-start.pt"_s.arg(jobs()->job()->id());
    EXPECT_TRUE(QFile::exists(copied));

    // The first training starts from the copied model.
    labelQueue();
    ASSERT_TRUE(waitForIterations(1));
    EXPECT_EQ(m_controls->loads, 1);
}

} // namespace
