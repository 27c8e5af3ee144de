// The labeling job as a state machine in the store, replayed with a simulated annotator and a
// small naive Bayes learner written here (core never sees torch).
#include "core/labeling/labelingjob.h"
#include "core/labeling/simulation.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

// Multinomial naive Bayes over words: enough to learn keyword classes, and honest about its
// confidence only roughly, which is what calibration is for.
class NaiveBayesLearner : public Learner
{
public:
    QString name() const override { return u"naive-bayes"_s; }
    bool supports(TaskType type) const override { return type == TaskType::TextClassification; }
    Result<void> reset(const LearnerSchema &schema) override
    {
        m_schema = schema;
        m_counts = QList<QHash<QString, double>>(schema.classes.size());
        m_totals = QList<double>(schema.classes.size(), 0);
        m_docs = QList<double>(schema.classes.size(), 0);
        return {};
    }
    LearnerSchema schema() const override { return m_schema; }
    Result<TrainingReport> train(const QList<LearnerExample> &examples, const Progress &) override
    {
        // Counts are recomputed from all labels: no drift between calls.
        if (auto fresh = reset(m_schema); !fresh)
            return fresh.error();
        for (const LearnerExample &e : examples) {
            const int c = e.truth.classes.value(0);
            m_docs[c] += 1;
            for (const QString &w : words(e.item.text)) {
                m_counts[c][w] += 1;
                m_totals[c] += 1;
                m_vocabulary.insert(w);
            }
        }
        return TrainingReport{1, 0, 0};
    }
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &) override
    {
        QList<LearnerPrediction> result;
        const double docs = std::accumulate(m_docs.begin(), m_docs.end(), 0.0);
        for (const LearnerItem &item : items) {
            std::vector<double> logp(size_t(m_schema.classes.size()));
            for (qsizetype c = 0; c < m_schema.classes.size(); ++c) {
                logp[size_t(c)] = std::log((m_docs[c] + 1) / (docs + double(m_docs.size())));
                for (const QString &w : words(item.text))
                    logp[size_t(c)] += std::log((m_counts[c].value(w) + 1) /
                                                (m_totals[c] + double(m_vocabulary.size()) + 1));
            }
            const double top = *std::max_element(logp.begin(), logp.end());
            double sum = 0;
            for (double &v : logp)
                sum += (v = std::exp(v - top));
            LearnerPrediction p;
            p.itemId = item.itemId;
            for (double v : logp)
                p.probabilities.push_back(float(v / sum));
            p.features = std::vector<float>(8, 0.f);
            for (const QString &w : words(item.text))
                p.features[size_t(qHash(w) % 8)] += 1;
            result.append(p);
        }
        return result;
    }
    Result<void> saveCheckpoint(const QString &) const override { return {}; }
    Result<void> loadCheckpoint(const QString &, const LearnerSchema &) override { return {}; }

private:
    static QStringList words(const QString &text) { return text.split(u' ', Qt::SkipEmptyParts); }

    LearnerSchema m_schema;
    QList<QHash<QString, double>> m_counts;
    QList<double> m_totals;
    QList<double> m_docs;
    QSet<QString> m_vocabulary;
};

class LabelingJobTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        makeProject(m_dir.path());
    }

    // A project of 400 generated texts in three classes at `path`, as m_store.
    void makeProject(const QString &path)
    {
        m_truth.clear();
        auto store = ProjectStore::create(path);
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
        auto task = m_store->addTask(u"topic"_s, TaskType::TextClassification,
                                     {u"sport"_s, u"science"_s, u"music"_s});
        ASSERT_TRUE(task);
        m_task = *task;
        // Texts with two words of their class's vocabulary (one in ten borrowed from another
        // class) among noise: learnable, not trivially.
        std::mt19937 engine(11);
        QList<Item> items;
        QList<int> classes;
        for (int i = 0; i < 400; ++i) {
            const int c = i % 3;
            QStringList words;
            for (int k = 0; k < 2; ++k) {
                const int from = engine() % 10 == 0 ? int(engine() % 3) : c;
                words.append(u"c%1w%2"_s.arg(from).arg(engine() % 12));
            }
            for (int k = 0; k < 4; ++k)
                words.append(u"noise%1"_s.arg(engine() % 40));
            Item item;
            item.kind = ItemKind::Text;
            item.text = words.join(u' ') + u" #"_s + QString::number(i);
            item.hash = "sha1:" + QByteArray::number(i);
            item.sourceRef = u"gen:%1"_s.arg(i);
            items.append(item);
            classes.append(c);
        }
        auto added = m_store->addItems(items);
        ASSERT_TRUE(added);
        for (qsizetype i = 0; i < added->addedIds.size(); ++i)
            m_truth.insert(added->addedIds[i], classes[i]);
    }

    Result<LabelingJob> createJob(LabelingPolicy policy, qint64 batch = 0, qint64 validation = 0,
                                  quint64 seed = 5)
    {
        JobSettings settings;
        settings.policy = policy;
        settings.batchSize = batch;
        settings.validationSize = validation;
        settings.seed = seed;
        return LabelingJob::create(*m_store, m_task.id, labelingPolicyName(policy), settings);
    }

    QHash<qint64, LearnerTruth> oracle() const
    {
        QHash<qint64, LearnerTruth> truth;
        for (auto it = m_truth.cbegin(); it != m_truth.cend(); ++it)
            truth.insert(it.key(), LearnerTruth{{it.value()}, {}, {}});
        return truth;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    QHash<qint64, int> m_truth;
};

TEST_F(LabelingJobTest, GroundTruthPolicyRunsToTheEndAboveTheTarget)
{
    auto job = createJob(LabelingPolicy::GroundTruth);
    ASSERT_TRUE(succeeds(job));
    // Ground Truth's sizes: 20% validation below 5,000 items, batches of 1,000.
    EXPECT_EQ(job->humanQueue().size(), 400);
    NaiveBayesLearner learner;
    auto report = simulateJob(*m_store, *job, learner, oracle());
    ASSERT_TRUE(succeeds(report));
    EXPECT_EQ(job->phase(), LabelingJob::Phase::Done);
    EXPECT_EQ(report->unlabeled, 0);
    EXPECT_EQ(report->humanLabels, 400); // one batch of 1,000 takes everything
}

TEST_F(LabelingJobTest, FieldmarkPolicyMachineLabelsMeetTheTarget)
{
    auto job = createJob(LabelingPolicy::Fieldmark, 30, 120);
    ASSERT_TRUE(succeeds(job));
    NaiveBayesLearner learner;
    auto report = simulateJob(*m_store, *job, learner, oracle());
    ASSERT_TRUE(succeeds(report));
    EXPECT_EQ(job->phase(), LabelingJob::Phase::Done);
    EXPECT_EQ(report->unlabeled, 0); // every item labeled, by people or the model
    EXPECT_GT(report->machineLabels, 0);
    EXPECT_EQ(report->humanLabels + report->machineLabels, 400);
    // Each iteration is in the store, with its figures.
    const QList<IterationRecord> stored = job->iterations();
    ASSERT_EQ(stored.size(), report->iterations.size());
    EXPECT_EQ(stored.constLast().remaining, 0);
    ASSERT_TRUE(stored.constFirst().validationAccuracy.has_value());
    // Machine labels await review, credited to the job's model.
    const TaskStatus status = m_store->taskStatus(m_task.id);
    EXPECT_EQ(status.awaitingReview, report->machineLabels);
}

// The thresholds hold the accuracy's lower confidence bound to the target at each iteration,
// so one job may still come out a little below it by chance; over many jobs (seeds) the
// machine labels together must meet it, and no job fall far below.
TEST_F(LabelingJobTest, FieldmarkPolicyMeetsTheTargetOverManyJobs)
{
    qint64 machine = 0;
    double correct = 0;
    for (quint64 seed = 1; seed <= 20; ++seed) {
        QTemporaryDir dir;
        ASSERT_TRUE(dir.isValid());
        makeProject(dir.path());
        auto job = createJob(LabelingPolicy::Fieldmark, 30, 120, seed);
        ASSERT_TRUE(succeeds(job));
        NaiveBayesLearner learner;
        auto report = simulateJob(*m_store, *job, learner, oracle());
        ASSERT_TRUE(succeeds(report));
        EXPECT_EQ(report->unlabeled, 0) << "seed " << seed;
        EXPECT_GE(report->machineAccuracy, 0.9)
            << "seed " << seed << ": " << report->machineLabels << " machine labels\n"
            << QJsonDocument(report->toJson()).toJson().toStdString();
        machine += report->machineLabels;
        correct += report->machineAccuracy * double(report->machineLabels);
        m_store.reset();
    }
    ASSERT_GT(machine, 0);
    EXPECT_GE(correct / double(machine), 0.95) << machine << " machine labels";
}

TEST_F(LabelingJobTest, TheJobSurvivesARestartAndWaitsForItsQueue)
{
    auto job = createJob(LabelingPolicy::Fieldmark, 20, 60);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->phase(), LabelingJob::Phase::HumanLabeling);
    const QList<qint64> queue = job->humanQueue();
    ASSERT_EQ(queue.size(), 80);
    EXPECT_TRUE(failsMentioning(job->snapshot(), {u"waits for 80"_s}));

    // Label all but one, then "restart": a new connection, the job opened by id.
    QList<Annotation> labels;
    for (qsizetype i = 0; i + 1 < queue.size(); ++i) {
        Annotation a;
        a.itemId = queue[i];
        a.taskId = m_task.id;
        a.classId = m_task.classes[m_truth.value(queue[i])].id;
        a.shape = ClassTag{};
        labels.append(a);
    }
    ASSERT_TRUE(m_store->addAnnotations(labels));
    const qint64 id = job->id();
    m_store.reset();
    auto reopened = ProjectStore::open(m_dir.path());
    ASSERT_TRUE(reopened);
    m_store = std::move(reopened).value();
    auto again = LabelingJob::open(*m_store, id);
    ASSERT_TRUE(succeeds(again));
    EXPECT_EQ(again->humanQueue(), QList<qint64>{queue.constLast()});
    // Skipping the last one ("nothing to label") releases the queue.
    ASSERT_TRUE(m_store->setSkipped(queue.constLast(), m_task.id, u"empty text"_s));
    EXPECT_EQ(again->phase(), LabelingJob::Phase::ReadyToTrain);
    auto input = again->snapshot();
    ASSERT_TRUE(succeeds(input));
    EXPECT_EQ(input->validation.size() + input->training.size(), 79);
    EXPECT_EQ(input->unlabeled.size(), 400 - 80);
    EXPECT_EQ(input->number, 1);
}

TEST_F(LabelingJobTest, PeopleKeepWhatTheyLabelWhileTheModelTrains)
{
    auto job = createJob(LabelingPolicy::GroundTruth, 50, 100);
    ASSERT_TRUE(job);
    QList<Annotation> labels;
    for (qint64 item : job->humanQueue()) {
        Annotation a;
        a.itemId = item;
        a.taskId = m_task.id;
        a.classId = m_task.classes[m_truth.value(item)].id;
        a.shape = ClassTag{};
        labels.append(a);
    }
    ASSERT_TRUE(m_store->addAnnotations(labels));
    auto input = job->snapshot();
    ASSERT_TRUE(input);
    // The model is sure of everything; meanwhile a person labels one unlabeled item.
    IterationOutput output;
    for (qsizetype i = 0; i < input->validation.size(); ++i) {
        LearnerPrediction p;
        p.probabilities = {0, 0, 0};
        p.probabilities[size_t(input->validation[i].truth.classes[0])] = 1;
        output.validation.append(p);
    }
    for (const LearnerItem &item : input->unlabeled) {
        LearnerPrediction p;
        p.probabilities = {0, 0, 0};
        p.probabilities[size_t(m_truth.value(item.itemId))] = 1;
        output.unlabeled.append(p);
    }
    const qint64 mine = input->unlabeled.constFirst().itemId;
    ASSERT_TRUE(m_store->addAnnotation(
        Annotation{0, mine, m_task.id, m_task.classes[2].id, ClassTag{}, {}}));
    auto summary = job->apply(*input, output);
    ASSERT_TRUE(succeeds(summary));
    EXPECT_EQ(summary->machineLabeled, input->unlabeled.size() - 1);
    EXPECT_TRUE(summary->done);
    const QList<Annotation> onMine = m_store->annotations(mine, m_task.id);
    ASSERT_EQ(onMine.size(), 1);
    EXPECT_EQ(onMine[0].provenance.state, LabelState::Human);

    // A learner answering for the wrong number of items is refused.
    output.unlabeled.removeLast();
    EXPECT_TRUE(failsMentioning(job->apply(*input, output), {u"answered for"_s}));
}

TEST_F(LabelingJobTest, AMaximumOfHumanLabelsStopsTheJob)
{
    JobSettings settings;
    settings.batchSize = 40;
    settings.validationSize = 60;
    settings.maxHumanLabels = 140;
    auto job = LabelingJob::create(*m_store, m_task.id, u"capped"_s, settings);
    ASSERT_TRUE(job);
    NaiveBayesLearner learner;
    auto report = simulateJob(*m_store, *job, learner, oracle());
    ASSERT_TRUE(succeeds(report));
    EXPECT_LE(report->humanLabels, 140);
    EXPECT_EQ(job->phase(), LabelingJob::Phase::Done);
}

TEST_F(LabelingJobTest, BoxesAndMasksWaitForTheirOwnLoop)
{
    auto boxes = m_store->addTask(u"cars"_s, TaskType::Boxes, {u"car"_s});
    ASSERT_TRUE(boxes);
    EXPECT_TRUE(failsMentioning(LabelingJob::create(*m_store, boxes->id, u"x"_s, {}),
                                {u"cars"_s, u"boxes"_s}));
    JobSettings bad;
    bad.targetAccuracy = 1.5;
    EXPECT_TRUE(failsMentioning(JobSettings::fromJson(bad.toJson()), {u"target accuracy"_s}));
}

} // namespace
} // namespace fieldmark
