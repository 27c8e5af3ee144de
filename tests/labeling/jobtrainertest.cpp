// JobTrainer: one iteration's training and prediction, checkpoints in the project and warm
// starts, with a learner written here that records what it was asked to do.
#include "core/labeling/jobtrainer.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

// Its "weights" are the number of examples it has trained on; a checkpoint holds that number.
class CountingLearner : public Learner
{
public:
    QString name() const override { return u"counting"_s; }
    bool supports(TaskType) const override { return true; }
    Result<void> reset(const LearnerSchema &schema) override
    {
        calls.append(u"reset"_s);
        m_schema = schema;
        weights = 0;
        return {};
    }
    LearnerSchema schema() const override { return m_schema; }
    Result<TrainingReport> train(const QList<LearnerExample> &examples,
                                 const Progress &progress) override
    {
        calls.append(u"train"_s);
        for (qint64 step = 1; step <= 3; ++step) {
            if (!progress.advance(step, 3))
                return makeError(u"cancelled"_s);
        }
        weights += int(examples.size());
        return TrainingReport{1, 0.5, 0.01};
    }
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &progress) override
    {
        calls.append(u"predict"_s);
        QList<LearnerPrediction> result;
        for (const LearnerItem &item : items) {
            result.append(LearnerPrediction{item.itemId, {0.75f, 0.25f}, {}, {}, {}, {}});
            if (!progress.advance(result.size(), items.size()))
                return makeError(u"cancelled"_s);
        }
        return result;
    }
    Result<void> saveCheckpoint(const QString &path) const override
    {
        calls.append(u"save"_s);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return makeError(file.errorString());
        file.write(QByteArray::number(weights));
        return file.commit() ? Result<void>() : makeError(file.errorString());
    }
    Result<void> loadCheckpoint(const QString &path, const LearnerSchema &) override
    {
        calls.append(u"load "_s + QFileInfo(path).fileName());
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(u"%1: cannot read the checkpoint"_s.arg(path));
        weights = file.readAll().toInt();
        return {};
    }

    mutable QStringList calls;
    int weights = 0;

private:
    LearnerSchema m_schema;
};

IterationInput inputFor(qint64 jobId, int number)
{
    IterationInput input;
    input.jobId = jobId;
    input.number = number;
    input.schema = LearnerSchema{TaskType::TextClassification, {u"yes"_s, u"no"_s}};
    for (qint64 id = 1; id <= 4; ++id) {
        LearnerItem item{id, ItemKind::Text, {}, u"text %1"_s.arg(id), {}};
        if (id <= 2)
            input.training.append(LearnerExample{item, LearnerTruth{{0}, {}, {}}});
        else if (id == 3)
            input.validation.append(LearnerExample{item, LearnerTruth{{1}, {}, {}}});
        else
            input.unlabeled.append(item);
    }
    return input;
}

class JobTrainerTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(m_dir.isValid()); }
    QString file(const QString &relative) const { return m_dir.filePath(relative); }

    QTemporaryDir m_dir;
};

TEST_F(JobTrainerTest, TrainsPredictsAndSavesTheCheckpointInTheProject)
{
    CountingLearner learner;
    JobTrainer trainer(learner, m_dir.path());
    QList<TrainingPhase> phases;
    auto output = trainer.run(inputFor(7, 1), {}, [&](TrainingPhase phase, qint64, qint64) {
        if (phases.isEmpty() || phases.constLast() != phase)
            phases.append(phase);
        return true;
    });
    ASSERT_TRUE(succeeds(output));
    EXPECT_EQ(output->checkpointPath, u"models/7/iteration-1.pt"_s);
    EXPECT_EQ(output->learner, u"counting"_s);
    ASSERT_EQ(output->validation.size(), 1);
    EXPECT_EQ(output->validation[0].itemId, 3);
    ASSERT_EQ(output->unlabeled.size(), 1);
    EXPECT_EQ(output->unlabeled[0].itemId, 4);
    EXPECT_EQ(learner.calls, (QStringList{u"reset"_s, u"train"_s, u"predict"_s, u"save"_s}));
    EXPECT_EQ(phases, (QList<TrainingPhase>{TrainingPhase::Preparing, TrainingPhase::Training,
                                            TrainingPhase::Predicting, TrainingPhase::Saving}));
    QFile saved(file(output->checkpointPath));
    ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
    EXPECT_EQ(saved.readAll(), "2");
}

TEST_F(JobTrainerTest, KeepsItsLearnerBetweenIterationsAndWarmStartsAFreshOne)
{
    CountingLearner learner;
    JobTrainer trainer(learner, m_dir.path());
    auto first = trainer.run(inputFor(7, 1), {});
    ASSERT_TRUE(succeeds(first));
    learner.calls.clear();
    auto second = trainer.run(inputFor(7, 2), first->checkpointPath);
    ASSERT_TRUE(succeeds(second));
    EXPECT_EQ(learner.calls, (QStringList{u"train"_s, u"predict"_s, u"save"_s}));
    EXPECT_EQ(learner.weights, 4);

    // After a restart: a new learner starts from the job's latest checkpoint.
    CountingLearner fresh;
    JobTrainer again(fresh, m_dir.path());
    auto third = again.run(inputFor(7, 3), second->checkpointPath);
    ASSERT_TRUE(succeeds(third));
    EXPECT_EQ(fresh.calls, (QStringList{u"reset"_s, u"load iteration-2.pt"_s, u"train"_s,
                                        u"predict"_s, u"save"_s}));
    EXPECT_EQ(fresh.weights, 6);

    // Another job's input: the learner's weights are not its own.
    fresh.calls.clear();
    auto other = again.run(inputFor(8, 1), {});
    ASSERT_TRUE(succeeds(other));
    EXPECT_EQ(fresh.calls.value(0), u"reset"_s);
    EXPECT_EQ(fresh.weights, 2);
}

TEST_F(JobTrainerTest, CancelledRunWritesNothingAndTheNextStartsFromTheCheckpoint)
{
    CountingLearner learner;
    JobTrainer trainer(learner, m_dir.path());
    auto first = trainer.run(inputFor(7, 1), {});
    ASSERT_TRUE(succeeds(first));

    // Cancelled once predicting: training has changed the weights, but nothing is saved.
    auto cancelled =
        trainer.run(inputFor(7, 2), first->checkpointPath, [](TrainingPhase phase, qint64, qint64) {
            return phase != TrainingPhase::Predicting;
        });
    EXPECT_TRUE(failsMentioning(cancelled, {u"cancelled"_s}));
    EXPECT_FALSE(QFile::exists(file(u"models/7/iteration-2.pt"_s)));
    EXPECT_EQ(learner.weights, 4);

    learner.calls.clear();
    auto retried = trainer.run(inputFor(7, 2), first->checkpointPath);
    ASSERT_TRUE(succeeds(retried));
    EXPECT_EQ(learner.calls.mid(0, 2), (QStringList{u"reset"_s, u"load iteration-1.pt"_s}));
    EXPECT_EQ(learner.weights, 4);
}

TEST_F(JobTrainerTest, AMissingCheckpointIsAnErrorNamingIt)
{
    CountingLearner learner;
    JobTrainer trainer(learner, m_dir.path());
    auto output = trainer.run(inputFor(7, 2), u"models/7/iteration-1.pt"_s);
    EXPECT_TRUE(failsMentioning(output, {u"iteration-1.pt"_s}));
    EXPECT_FALSE(QDir(file(u"models"_s)).exists());
}

TEST_F(JobTrainerTest, WarmStartTakesTheLatestModelOfTheSameClasses)
{
    auto other = ProjectStore::create(file(u"other"_s));
    ASSERT_TRUE(succeeds(other));
    auto pets = (*other)->addTask(u"pets"_s, TaskType::TextClassification, {u"cat"_s, u"dog"_s});
    auto moods = (*other)->addTask(u"moods"_s, TaskType::TextClassification, {u"yes"_s, u"no"_s});
    ASSERT_TRUE(succeeds(pets));
    ASSERT_TRUE(succeeds(moods));
    const auto addModel = [&](const LabelTask &task, const QString &path) {
        ASSERT_TRUE(QDir().mkpath(QFileInfo(file(u"other/"_s + path)).absolutePath()));
        QFile weights(file(u"other/"_s + path));
        ASSERT_TRUE(weights.open(QIODevice::WriteOnly));
        weights.write("2");
        CheckpointRecord record;
        record.taskId = task.id;
        record.learner = u"counting"_s;
        record.path = path;
        record.classes = LearnerSchema::of(task).classes.join(u'\n');
        ASSERT_TRUE(succeeds((*other)->addCheckpoint(record)));
    };
    addModel(*moods, u"models/1/iteration-1.pt"_s);
    addModel(*pets, u"models/2/iteration-1.pt"_s);

    // The latest model is of other classes; the one before fits.
    const LearnerSchema schema{TaskType::TextClassification, {u"yes"_s, u"no"_s}};
    auto found = findWarmStart(file(u"other"_s), schema);
    ASSERT_TRUE(succeeds(found));
    EXPECT_EQ(found->path, file(u"other/models/1/iteration-1.pt"_s));
    EXPECT_EQ(found->learner, u"counting"_s);

    // Nothing fits: the latest model's refusal names the project and the classes.
    const LearnerSchema birds{TaskType::TextClassification, {u"owl"_s, u"no"_s}};
    EXPECT_TRUE(failsMentioning(findWarmStart(file(u"other"_s), birds),
                                {u"the model of project "_s + file(u"other"_s),
                                 u"class 1 is 'cat' there and 'owl' here"_s}));
    const LearnerSchema images{TaskType::ImageClassification, {u"yes"_s, u"no"_s}};
    EXPECT_TRUE(
        failsMentioning(findWarmStart(file(u"other"_s), images), {u"has no trained model"_s}));
}

} // namespace
} // namespace fieldmark
