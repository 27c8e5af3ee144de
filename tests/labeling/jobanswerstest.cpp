// Labeling jobs over multi-label and span tasks: answers that are sets of classes or lists of
// spans, empty answers, the audit sample, a restart, and classes that changed. Two small
// deterministic learners written here stand in for learn/ (core never sees torch).
#include "core/formats/jsonlformat.h"
#include "core/import/importer.h"
#include "core/labeling/itemanswers.h"
#include "core/labeling/labelingjob.h"
#include "core/labeling/oracle.h"
#include "core/labeling/simulatedannotator.h"
#include "core/labeling/simulation.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

QStringList words(const QString &text)
{
    return text.split(u' ', Qt::SkipEmptyParts);
}

std::string json(const SimulationReport &report)
{
    return QJsonDocument(report.toJson()).toJson().toStdString();
}

// One naive Bayes per class, class against not-class, over the words of a text: independent
// probabilities per class, as a multi-label model's sigmoids are.
class MultiLabelBayesLearner : public Learner
{
public:
    QString name() const override { return u"multi-label-bayes"_s; }
    bool supports(TaskType type) const override { return type == TaskType::TextMultiLabel; }
    Result<void> reset(const LearnerSchema &schema) override
    {
        m_schema = schema;
        return {};
    }
    LearnerSchema schema() const override { return m_schema; }
    Result<TrainingReport> train(const QList<LearnerExample> &examples, const Progress &) override
    {
        const qsizetype classes = m_schema.classes.size();
        m_counts = QList<std::array<QHash<QString, double>, 2>>(classes);
        m_totals = QList<std::array<double, 2>>(classes, {0, 0});
        m_docs = QList<std::array<double, 2>>(classes, {0, 0});
        m_vocabulary.clear();
        for (const LearnerExample &e : examples) {
            for (qsizetype c = 0; c < classes; ++c) {
                const int side = e.truth.classes.contains(int(c)) ? 1 : 0;
                m_docs[c][side] += 1;
                for (const QString &w : words(e.item.text)) {
                    m_counts[c][side][w] += 1;
                    m_totals[c][side] += 1;
                    m_vocabulary.insert(w);
                }
            }
        }
        return TrainingReport{1, 0, 0};
    }
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &) override
    {
        QList<LearnerPrediction> result;
        for (const LearnerItem &item : items) {
            LearnerPrediction p;
            p.itemId = item.itemId;
            for (qsizetype c = 0; c < m_schema.classes.size(); ++c) {
                double logp[2];
                const double docs = m_docs[c][0] + m_docs[c][1];
                for (int side = 0; side < 2; ++side) {
                    logp[side] = std::log((m_docs[c][side] + 1) / (docs + 2));
                    for (const QString &w : words(item.text))
                        logp[side] += std::log((m_counts[c][side].value(w) + 1) /
                                               (m_totals[c][side] + m_vocabulary.size() + 1));
                }
                p.probabilities.push_back(float(1 / (1 + std::exp(logp[0] - logp[1]))));
            }
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
    LearnerSchema m_schema;
    QList<std::array<QHash<QString, double>, 2>> m_counts; // [class][outside, inside]
    QList<std::array<double, 2>> m_totals;
    QList<std::array<double, 2>> m_docs;
    QSet<QString> m_vocabulary;
};

// A gazetteer: each word is an entity of the class it was most often seen as, or none. A
// word's certainty is how often it was seen that way (add-one smoothed, unseen words 1/2),
// a span's confidence its word's, the whole tagging's the product over the words.
class GazetteerTagger : public Learner
{
public:
    QString name() const override { return u"gazetteer"_s; }
    bool supports(TaskType type) const override { return type == TaskType::Spans; }
    Result<void> reset(const LearnerSchema &schema) override
    {
        m_schema = schema;
        return {};
    }
    LearnerSchema schema() const override { return m_schema; }
    Result<TrainingReport> train(const QList<LearnerExample> &examples, const Progress &) override
    {
        m_seen.clear();
        for (const LearnerExample &e : examples) {
            for (const auto &[start, end, word] : tokens(e.item.text)) {
                int as = -1; // outside any entity
                for (const auto &[span, c] : e.truth.spans) {
                    if (span.start == start && span.end == end)
                        as = c;
                }
                m_seen[word][as] += 1;
            }
        }
        return TrainingReport{1, 0, 0};
    }
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &) override
    {
        QList<LearnerPrediction> result;
        for (const LearnerItem &item : items) {
            LearnerPrediction p;
            p.itemId = item.itemId;
            double whole = 1;
            for (const auto &[start, end, word] : tokens(item.text)) {
                const QHash<int, double> seen = m_seen.value(word);
                int best = -1;
                double bestCount = 0, total = 0;
                for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
                    total += it.value();
                    if (it.value() > bestCount) {
                        best = it.key();
                        bestCount = it.value();
                    }
                }
                const double sure = total > 0 ? bestCount / (total + 1) : 0.5;
                whole *= sure;
                if (best >= 0)
                    p.spans.append(PredictedSpan{Span{start, end}, best, float(sure)});
            }
            p.confidence = float(whole);
            p.features = std::vector<float>(8, 0.f);
            for (const QString &w : words(item.text))
                p.features[size_t(qHash(w) % 8)] += 1;
            result.append(p);
        }
        return result;
    }
    Result<void> saveCheckpoint(const QString &) const override { return {}; }
    Result<void> loadCheckpoint(const QString &, const LearnerSchema &) override { return {}; }

    // (start, end, word) of each space-separated word; the texts here are ASCII, so offsets
    // in QChar are code points.
    static QList<std::tuple<qint64, qint64, QString>> tokens(const QString &text)
    {
        QList<std::tuple<qint64, qint64, QString>> result;
        qint64 start = 0;
        for (const QString &w : text.split(u' ')) {
            if (!w.isEmpty())
                result.append({start, start + w.size(), w});
            start += w.size() + 1;
        }
        return result;
    }

private:
    LearnerSchema m_schema;
    QHash<QString, QHash<int, double>> m_seen; // word -> class (-1: none) -> count
};

class JobAnswersTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
    }

    // Texts with two words of each of their classes' vocabularies among noise; one in five
    // has none of the classes.
    void makeMultiLabel(int count)
    {
        auto task = m_store->addTask(u"topics"_s, TaskType::TextMultiLabel,
                                     {u"sport"_s, u"science"_s, u"music"_s});
        ASSERT_TRUE(task);
        m_task = *task;
        std::mt19937 engine(17);
        QList<Item> items;
        QList<LearnerTruth> truths;
        for (int i = 0; i < count; ++i) {
            LearnerTruth truth;
            QStringList text;
            if (i % 5 != 0) {
                for (int c = 0; c < 3; ++c) {
                    if (engine() % 2 == 0)
                        truth.classes.append(c);
                }
                if (truth.classes.isEmpty())
                    truth.classes.append(int(engine() % 3));
            }
            for (int c : std::as_const(truth.classes)) {
                for (int k = 0; k < 2; ++k)
                    text.append(u"c%1w%2"_s.arg(c).arg(engine() % 8));
            }
            for (int k = 0; k < 4; ++k)
                text.append(u"noise%1"_s.arg(engine() % 30));
            std::shuffle(text.begin(), text.end(), engine);
            items.append(textItem(text.join(u' ') + u" #"_s + QString::number(i), i));
            truths.append(truth);
        }
        addItems(items, truths);
    }

    // Sentences of filler words with zero to two entities: names (PER) and numbers (NUM);
    // two in five have none. (Sentences may repeat: items are told apart by their hash.)
    void makeSpans(int count)
    {
        auto task = m_store->addTask(u"entities"_s, TaskType::Spans, {u"PER"_s, u"NUM"_s});
        ASSERT_TRUE(task);
        m_task = *task;
        std::mt19937 engine(23);
        QList<Item> items;
        QList<LearnerTruth> truths;
        for (int i = 0; i < count; ++i) {
            const int entities = i % 5 < 2 ? 0 : int(engine() % 2) + 1;
            QStringList text;
            QList<int> entityClass;
            for (int k = 0; k < 5; ++k) {
                text.append(u"w%1"_s.arg(engine() % 25));
                entityClass.append(-1);
            }
            for (int e = 0; e < entities; ++e) {
                const int c = int(engine() % 2);
                const qsizetype at = qsizetype(engine() % quint32(text.size() + 1));
                text.insert(at, c == 0 ? u"Name%1"_s.arg(engine() % 15)
                                       : u"%1"_s.arg(engine() % 15 + 1900));
                entityClass.insert(at, c);
            }
            LearnerTruth truth;
            qint64 start = 0;
            for (qsizetype k = 0; k < text.size(); ++k) {
                if (entityClass[k] >= 0)
                    truth.spans.append({Span{start, start + text[k].size()}, entityClass[k]});
                start += text[k].size() + 1;
            }
            items.append(textItem(text.join(u' '), i));
            truths.append(truth);
        }
        addItems(items, truths);
    }

    static Item textItem(const QString &text, int i)
    {
        Item item;
        item.kind = ItemKind::Text;
        item.text = text;
        item.hash = "sha1:" + QByteArray::number(i);
        item.sourceRef = u"gen:%1"_s.arg(i);
        return item;
    }

    void addItems(const QList<Item> &items, const QList<LearnerTruth> &truths)
    {
        auto added = m_store->addItems(items);
        ASSERT_TRUE(added);
        for (qsizetype i = 0; i < added->addedIds.size(); ++i)
            m_truth.insert(added->addedIds[i], normalisedAnswer(truths[i]));
    }

    Result<LabelingJob> createJob(qint64 batch, qint64 validation, double auditRate = -1,
                                  qint64 auditMax = 100)
    {
        JobSettings settings;
        settings.batchSize = batch;
        settings.validationSize = validation;
        settings.auditRate = auditRate;
        settings.auditMax = auditMax;
        settings.seed = 3;
        return LabelingJob::create(*m_store, m_task.id, u"job"_s, settings);
    }

    void reopen()
    {
        m_store.reset();
        auto reopened = ProjectStore::open(m_dir.path());
        ASSERT_TRUE(reopened);
        m_store = std::move(reopened).value();
    }

    // The item's live answer, as the job reads it.
    std::optional<LearnerTruth> humanAnswer(qint64 item) const
    {
        const TaskAnswers answers = readTaskAnswers(*m_store, m_task);
        if (const auto it = answers.human.constFind(item); it != answers.human.cend())
            return *it;
        return std::nullopt;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    QHash<qint64, LearnerTruth> m_truth;
};

TEST_F(JobAnswersTest, AMultiLabelJobRunsToTheEndAboveTheTarget)
{
    makeMultiLabel(400);
    auto job = createJob(30, 120, 0.1);
    ASSERT_TRUE(succeeds(job));
    MultiLabelBayesLearner learner;
    auto report = simulateJob(*m_store, *job, learner, m_truth);
    ASSERT_TRUE(succeeds(report));
    EXPECT_EQ(job->phase(), LabelingJob::Phase::Done);
    EXPECT_EQ(report->unlabeled, 0) << json(*report);
    EXPECT_EQ(report->humanLabels + report->machineLabels, 400);
    EXPECT_GT(report->machineLabels, 100) << json(*report);
    EXPECT_GE(report->machineAccuracy, 0.95) << json(*report);

    // One class tag per chosen class, each with its own confidence; the texts with none of
    // the classes the model was sure of are its "nothing to label".
    const TaskAnswers answers = readTaskAnswers(*m_store, m_task);
    qsizetype severalClasses = 0;
    for (auto it = answers.machine.cbegin(); it != answers.machine.cend(); ++it)
        severalClasses += it->classes.size() > 1 ? 1 : 0;
    EXPECT_GT(severalClasses, 0);
    EXPECT_FALSE(answers.modelSkipped.isEmpty());
    for (qint64 item : answers.modelSkipped) {
        EXPECT_TRUE(answers.machine.value(item).classes.isEmpty());
        EXPECT_TRUE(m_store->annotations(item, m_task.id).isEmpty());
    }
    for (const Annotation &a : m_store->taskAnnotations(m_task.id)) {
        if (a.provenance.state == LabelState::Machine) {
            ASSERT_TRUE(a.provenance.confidence.has_value());
            EXPECT_GE(*a.provenance.confidence, 0.5);
        }
    }
    // The store counts the same items: machine answers await review (labels) or are skips
    // by the model; people's empty answers are skips too.
    const TaskStatus status = m_store->taskStatus(m_task.id);
    EXPECT_EQ(status.awaitingReview + status.skipped + status.human + status.accepted, 400);
    EXPECT_EQ(status.awaitingReview, answers.machine.size() - answers.modelSkipped.size());
    // The audit sample went to people, and the report says what they found: a machine answer
    // was wrong where the person rejected a proposal or added a class of their own.
    qint64 sampled = 0;
    for (const IterationSummary &s : report->iterations)
        sampled += s.auditSample;
    EXPECT_GT(sampled, 5);
    EXPECT_EQ(report->audit.audited, sampled) << json(*report);
    EXPECT_EQ(report->audit.waiting, 0);
    qint64 corrected = 0;
    for (const JobItemRecord &item : m_store->jobItems(job->id())) {
        if (item.role != u"audit"_s)
            continue;
        bool fixed = false;
        for (const Annotation &a : m_store->annotations(item.itemId, m_task.id))
            fixed = fixed || a.provenance.state == LabelState::Rejected ||
                    a.provenance.state == LabelState::Human;
        corrected += fixed ? 1 : 0;
        ASSERT_TRUE(humanAnswer(item.itemId).has_value());
        EXPECT_TRUE(sameAnswer(*humanAnswer(item.itemId), m_truth.value(item.itemId)));
    }
    EXPECT_EQ(report->audit.audited - report->audit.correct, corrected);
    ASSERT_TRUE(report->audit.accuracy().has_value());
    EXPECT_EQ(report->toJson().value(u"auditAccuracy"_s).toDouble(), *report->audit.accuracy());
}

TEST_F(JobAnswersTest, ASpanJobLabelsEntitiesAndTextsWithoutThem)
{
    makeSpans(500);
    auto job = createJob(30, 150);
    ASSERT_TRUE(succeeds(job));
    GazetteerTagger learner;
    auto report = simulateJob(*m_store, *job, learner, m_truth);
    ASSERT_TRUE(succeeds(report));
    EXPECT_EQ(job->phase(), LabelingJob::Phase::Done);
    EXPECT_EQ(report->unlabeled, 0) << json(*report);
    EXPECT_GT(report->machineLabels, 150) << json(*report);
    EXPECT_GE(report->machineAccuracy, 0.95) << json(*report);
    ASSERT_TRUE(report->entityF1.has_value());
    EXPECT_GE(*report->entityF1, 0.95) << json(*report);
    EXPECT_TRUE(report->toJson().contains(u"entityRecall"_s));

    const TaskAnswers answers = readTaskAnswers(*m_store, m_task);
    // Texts without entities: people's skips among the human answers, the model's among its.
    qsizetype humanEmpty = 0, machineEmpty = 0, machineEntities = 0;
    for (auto it = answers.human.cbegin(); it != answers.human.cend(); ++it)
        humanEmpty += it->spans.isEmpty() ? 1 : 0;
    for (auto it = answers.machine.cbegin(); it != answers.machine.cend(); ++it) {
        machineEmpty += it->spans.isEmpty() ? 1 : 0;
        machineEntities += it->spans.size();
    }
    EXPECT_GT(humanEmpty, 0);
    EXPECT_GT(machineEmpty, 0);
    EXPECT_EQ(machineEmpty, answers.modelSkipped.size());
    EXPECT_GT(machineEntities, 0);
    // Each machine span carries its own confidence, and its class is the task's.
    for (const Annotation &a : m_store->taskAnnotations(m_task.id)) {
        if (a.provenance.state != LabelState::Machine)
            continue;
        EXPECT_EQ(shapeKind(a.shape), ShapeKind::Span);
        EXPECT_TRUE(a.provenance.confidence.has_value());
        EXPECT_NE(m_task.classById(a.classId), nullptr);
    }
    // The validation set, the batches and the audits all held texts without entities, and the
    // job learned from them.
    const IterationRecord last = job->iterations().constLast();
    EXPECT_EQ(last.human, answers.human.size());
    EXPECT_EQ(last.remaining, 0);
}

TEST_F(JobAnswersTest, EmptyAnswersArePeoplesAndTheModelsSkips)
{
    makeSpans(100);
    // Sixty validation answers, all right, are enough for the lower bound to reach 95%.
    auto job = createJob(10, 60, 0);
    ASSERT_TRUE(job);
    // People answer: texts without entities become their "nothing to label".
    SimulatedAnnotator person(*m_store, m_task, m_truth, 0, 1);
    const QList<qint64> queue = job->humanQueue();
    ASSERT_EQ(queue.size(), 70);
    ASSERT_TRUE(succeeds(person.answer(queue)));
    EXPECT_TRUE(job->humanQueue().isEmpty());
    auto input = job->snapshot();
    ASSERT_TRUE(succeeds(input));
    qsizetype emptyExamples = 0;
    for (const LearnerExample &e : input->training + input->validation)
        emptyExamples += e.truth.spans.isEmpty() ? 1 : 0;
    qsizetype emptyTruths = 0;
    for (qint64 item : queue)
        emptyTruths += m_truth.value(item).spans.isEmpty() ? 1 : 0;
    EXPECT_GT(emptyTruths, 0);
    EXPECT_EQ(emptyExamples, emptyTruths);
    EXPECT_EQ(input->unlabeled.size(), 30);

    // The model is sure of every answer, empty ones included.
    IterationOutput output;
    const auto sure = [&](qint64 item) {
        LearnerPrediction p;
        p.itemId = item;
        for (const auto &[span, c] : m_truth.value(item).spans)
            p.spans.append(PredictedSpan{span, c, 0.99f});
        p.confidence = 0.99f;
        return p;
    };
    for (const LearnerExample &e : std::as_const(input->validation))
        output.validation.append(sure(e.item.itemId));
    for (const LearnerItem &item : std::as_const(input->unlabeled))
        output.unlabeled.append(sure(item.itemId));
    auto summary = job->apply(*input, output);
    ASSERT_TRUE(succeeds(summary));
    EXPECT_EQ(summary->machineLabeled, 30);
    EXPECT_TRUE(summary->done);
    const TaskAnswers answers = readTaskAnswers(*m_store, m_task);
    for (const LearnerItem &item : std::as_const(input->unlabeled)) {
        ASSERT_TRUE(answers.machine.contains(item.itemId));
        EXPECT_TRUE(sameAnswer(answers.machine.value(item.itemId), m_truth.value(item.itemId)));
        const bool empty = m_truth.value(item.itemId).spans.isEmpty();
        EXPECT_EQ(answers.modelSkipped.contains(item.itemId), empty);
        if (empty) {
            EXPECT_TRUE(m_store->skipReason(item.itemId, m_task.id).contains(u"no entities"_s));
        }
    }
    // The store counts the model's empty answers as skipped, its entities as awaiting review.
    const TaskStatus status = m_store->taskStatus(m_task.id);
    EXPECT_EQ(status.skipped, emptyTruths + answers.modelSkipped.size());
    EXPECT_EQ(status.awaitingReview, 30 - answers.modelSkipped.size());

    // Without an item-level confidence, a tagging is as sure as its least sure span, and no
    // span at all is no evidence.
    LearnerPrediction two;
    two.spans = {PredictedSpan{Span{0, 3}, 0, 0.9f}, PredictedSpan{Span{4, 6}, 1, 0.7f}};
    EXPECT_NEAR(machineAnswer(TaskType::Spans, two).confidence, 0.7, 1e-6);
    EXPECT_EQ(machineAnswer(TaskType::Spans, LearnerPrediction{}).confidence, 0);
    // Multi-label: the least certain class decides, and no class above 1/2 is an empty set.
    LearnerPrediction classes;
    classes.probabilities = {0.1f, 0.8f, 0.3f};
    const MachineAnswer m = machineAnswer(TaskType::TextMultiLabel, classes);
    EXPECT_EQ(m.answer.classes, QList<int>{1});
    EXPECT_NEAR(m.confidence, 0.7, 1e-6);
    classes.probabilities = {0.1f, 0.2f, 0.05f};
    EXPECT_TRUE(machineAnswer(TaskType::TextMultiLabel, classes).answer.classes.isEmpty());
}

TEST_F(JobAnswersTest, TheAuditMeasuresMachineLabelsAndCorrectsTheWrongOnes)
{
    makeSpans(120);
    auto job = createJob(10, 60, 0.5, 6);
    ASSERT_TRUE(job);
    SimulatedAnnotator person(*m_store, m_task, m_truth, 0, 1);
    ASSERT_TRUE(succeeds(person.answer(job->humanQueue())));
    auto input = job->snapshot();
    ASSERT_TRUE(succeeds(input));
    // A sure model, right on the validation set, that misses the first entity of some texts
    // and sees one in a text that has none.
    IterationOutput output;
    const auto predict = [&](qint64 item, bool wrong) {
        LearnerPrediction p;
        p.itemId = item;
        const LearnerTruth truth = m_truth.value(item);
        for (qsizetype k = wrong && !truth.spans.isEmpty() ? 1 : 0; k < truth.spans.size(); ++k)
            p.spans.append(PredictedSpan{truth.spans[k].first, truth.spans[k].second, 0.99f});
        if (wrong && truth.spans.isEmpty())
            p.spans.append(PredictedSpan{Span{0, 2}, 0, 0.99f});
        p.confidence = 0.99f;
        return p;
    };
    for (const LearnerExample &e : std::as_const(input->validation))
        output.validation.append(predict(e.item.itemId, false));
    for (qsizetype i = 0; i < input->unlabeled.size(); ++i)
        output.unlabeled.append(predict(input->unlabeled[i].itemId, i % 2 == 0));
    auto summary = job->apply(*input, output);
    ASSERT_TRUE(succeeds(summary));
    EXPECT_EQ(summary->machineLabeled, 50);
    EXPECT_EQ(summary->auditSample, 6); // half of 50, capped at 6
    EXPECT_FALSE(summary->done);        // the audit waits for people
    EXPECT_EQ(job->phase(), LabelingJob::Phase::HumanLabeling);
    const QList<qint64> audit = job->humanQueue();
    ASSERT_EQ(audit.size(), 6);
    EXPECT_EQ(job->audit().waiting, 6);
    qsizetype wrong = 0;
    const TaskAnswers before = readTaskAnswers(*m_store, m_task);
    for (qint64 item : audit) {
        ASSERT_TRUE(before.machine.contains(item));
        wrong += sameAnswer(before.machine.value(item), m_truth.value(item)) ? 0 : 1;
    }
    ASSERT_GT(wrong, 0);
    ASSERT_LT(wrong, 6);

    // The auditor gives their own answer without touching the proposals: the job lets it
    // stand, rejecting what the model proposed and lifting the model's "nothing to label".
    QList<Annotation> theirs;
    for (qint64 item : audit) {
        const LearnerTruth truth = m_truth.value(item);
        if (truth.spans.isEmpty()) {
            ASSERT_TRUE(m_store->setSkipped(item, m_task.id, u"no entities"_s));
            continue;
        }
        for (const auto &[span, c] : truth.spans)
            theirs.append(Annotation{0, item, m_task.id, m_task.classes[c].id, span, {}});
    }
    ASSERT_TRUE(m_store->addAnnotations(theirs));
    EXPECT_TRUE(job->humanQueue().isEmpty());
    auto next = job->snapshot();
    ASSERT_TRUE(succeeds(next));
    IterationOutput nothing;
    for (const LearnerExample &e : std::as_const(next->validation))
        nothing.validation.append(predict(e.item.itemId, false));
    for (const LearnerItem &item : std::as_const(next->unlabeled))
        nothing.unlabeled.append(LearnerPrediction{item.itemId, {}, {}, {}, 0.f, {}});
    auto settled = job->apply(*next, nothing);
    ASSERT_TRUE(succeeds(settled));
    const AuditFigures figures = job->audit();
    EXPECT_EQ(figures.audited, 6);
    EXPECT_EQ(figures.correct, 6 - wrong);
    EXPECT_EQ(figures.waiting, 0);
    // The six answers stand for the iteration's 50 machine labels: weights sum to 50, and
    // with one iteration the weighted estimate is the plain share.
    EXPECT_NEAR(figures.weight, 50.0, 1e-9);
    ASSERT_TRUE(figures.accuracy().has_value());
    EXPECT_NEAR(*figures.accuracy(), double(6 - wrong) / 6, 1e-12);
    EXPECT_NEAR(settled->record.metrics.value(u"auditAccuracy"_s).toDouble(), double(6 - wrong) / 6,
                1e-12);
    for (qint64 item : audit) {
        const std::optional<LearnerTruth> answer = humanAnswer(item);
        ASSERT_TRUE(answer.has_value());
        EXPECT_TRUE(sameAnswer(*answer, m_truth.value(item)));
        for (const Annotation &a : m_store->annotations(item, m_task.id))
            EXPECT_NE(a.provenance.state, LabelState::Machine);
        // A person's skip stays; the model's is gone where the text has entities.
        EXPECT_EQ(m_store->skipReason(item, m_task.id).isEmpty(),
                  !m_truth.value(item).spans.isEmpty());
    }
    // The figures survive a restart and reach the job's status.
    const qint64 id = job->id();
    reopen();
    auto again = LabelingJob::open(*m_store, id);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->audit().audited, 6);
    EXPECT_EQ(again->phase(), LabelingJob::Phase::Done);
}

TEST_F(JobAnswersTest, AMultiLabelJobGoesOnAfterARestart)
{
    makeMultiLabel(400);
    auto job = createJob(30, 120);
    ASSERT_TRUE(job);
    MultiLabelBayesLearner learner;
    SimulationOptions two;
    two.maxIterations = 2;
    auto first = simulateJob(*m_store, *job, learner, m_truth, two);
    ASSERT_TRUE(succeeds(first));
    ASSERT_EQ(first->iterations.size(), 2);
    ASSERT_NE(job->phase(), LabelingJob::Phase::Done);
    // Mid-way: the next batch (and perhaps an audit sample) waits for people.
    const qint64 id = job->id();
    const QList<qint64> waiting = job->humanQueue();
    const AuditFigures audit = job->audit();
    reopen();
    auto again = LabelingJob::open(*m_store, id);
    ASSERT_TRUE(succeeds(again));
    EXPECT_EQ(again->humanQueue(), waiting);
    EXPECT_EQ(again->audit().waiting, audit.waiting);
    EXPECT_EQ(again->iterations().size(), 2);

    MultiLabelBayesLearner fresh;
    auto rest = simulateJob(*m_store, *again, fresh, m_truth);
    ASSERT_TRUE(succeeds(rest));
    EXPECT_EQ(again->phase(), LabelingJob::Phase::Done);
    EXPECT_EQ(again->iterations().constFirst().number, 1);
    EXPECT_EQ(again->iterations().size(), 2 + rest->iterations.size());
    EXPECT_EQ(rest->iterations.constFirst().record.number, 3);
    EXPECT_EQ(rest->unlabeled, 0);
    EXPECT_GE(rest->machineAccuracy, 0.95) << json(*rest);
}

TEST_F(JobAnswersTest, AnswersForOtherClassesAreRefused)
{
    makeMultiLabel(60);
    auto job = createJob(10, 20);
    ASSERT_TRUE(job);
    SimulatedAnnotator person(*m_store, m_task, m_truth, 0, 1);
    ASSERT_TRUE(succeeds(person.answer(job->humanQueue())));
    auto input = job->snapshot();
    ASSERT_TRUE(succeeds(input));
    IterationOutput output;
    for (const LearnerExample &e : std::as_const(input->validation))
        output.validation.append(LearnerPrediction{e.item.itemId, {0.9f, 0.1f}, {}, {}, {}, {}});
    for (const LearnerItem &item : std::as_const(input->unlabeled))
        output.unlabeled.append(LearnerPrediction{item.itemId, {0.9f, 0.1f, 0.1f}, {}, {}, {}, {}});
    // Two probabilities for three classes.
    EXPECT_TRUE(
        failsMentioning(job->apply(*input, output), {u"2 probabilities"_s, u"3 classes"_s}));

    // A class added while the model trained: its output positions no longer cover the task.
    ASSERT_TRUE(m_store->addClass(m_task.id, u"politics"_s));
    for (LearnerPrediction &p : output.validation)
        p.probabilities.push_back(0.1f);
    EXPECT_TRUE(failsMentioning(job->apply(*input, output), {u"classes"_s, u"politics"_s}));
    // Nothing was written.
    EXPECT_TRUE(job->iterations().isEmpty());
    EXPECT_EQ(m_store->taskStatus(m_task.id).awaitingReview, 0);
}

TEST_F(JobAnswersTest, ASpanOfAClassTheTaskLacksIsRefused)
{
    makeSpans(40);
    auto job = createJob(5, 10);
    ASSERT_TRUE(job);
    SimulatedAnnotator person(*m_store, m_task, m_truth, 0, 1);
    ASSERT_TRUE(succeeds(person.answer(job->humanQueue())));
    auto input = job->snapshot();
    ASSERT_TRUE(succeeds(input));
    IterationOutput bad;
    for (const LearnerExample &e : std::as_const(input->validation))
        bad.validation.append(LearnerPrediction{e.item.itemId, {}, {}, {}, 0.9f, {}});
    for (const LearnerItem &item : std::as_const(input->unlabeled)) {
        LearnerPrediction p{item.itemId, {}, {}, {}, 0.9f, {}};
        p.spans.append(PredictedSpan{Span{0, 1}, 5, 0.9f});
        bad.unlabeled.append(p);
    }
    EXPECT_TRUE(failsMentioning(job->apply(*input, bad), {u"class position 5"_s, u"entities"_s}));
    EXPECT_TRUE(job->iterations().isEmpty());
}

TEST_F(JobAnswersTest, TheOracleReadsSetsOfClassesAndSpansAndEmptyAnswers)
{
    const auto addTexts = [&](const QStringList &texts) {
        QList<Item> items;
        for (const QString &text : texts) {
            Item item;
            item.kind = ItemKind::Text;
            item.text = text;
            item.hash = textHash(text);
            items.append(item);
        }
        auto added = m_store->addItems(items);
        EXPECT_TRUE(added);
        return added ? added->addedIds : QList<qint64>{};
    };
    const auto write = [&](const QString &name, const QByteArray &lines) {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        EXPECT_TRUE(file.open(QIODevice::WriteOnly));
        file.write(lines);
        return path;
    };
    const JsonlFormat jsonl;

    auto topics = m_store->addTask(u"topics"_s, TaskType::TextMultiLabel,
                                   {u"sport"_s, u"science"_s, u"music"_s});
    ASSERT_TRUE(topics);
    const QList<qint64> ids = addTexts({u"goal and guitar"_s, u"nothing here"_s, u"atoms"_s});
    ASSERT_EQ(ids.size(), 3);
    auto oracle =
        readOracle(*m_store, topics->id, jsonl,
                   write(u"topics.jsonl"_s,
                         "{\"text\": \"goal and guitar\", \"label\": [\"music\", \"sport\"]}\n"
                         "{\"text\": \"nothing here\", \"label\": []}\n"
                         "{\"text\": \"atoms\", \"label\": [\"science\"]}\n"
                         "{\"text\": \"not in the project\", \"label\": [\"sport\"]}\n"));
    ASSERT_TRUE(succeeds(oracle));
    EXPECT_EQ(oracle->unmatched, 1);
    ASSERT_EQ(oracle->truth.size(), 3);
    EXPECT_EQ(oracle->truth.value(ids[0]).classes, (QList<int>{0, 2}));
    EXPECT_TRUE(oracle->truth.contains(ids[1]));
    EXPECT_TRUE(isEmptyAnswer(oracle->truth.value(ids[1])));
    EXPECT_EQ(oracle->truth.value(ids[2]).classes, QList<int>{1});

    auto names = m_store->addTask(u"names"_s, TaskType::Spans, {u"PER"_s, u"NUM"_s});
    ASSERT_TRUE(names);
    auto spans = readOracle(
        *m_store, names->id, jsonl,
        write(u"names.jsonl"_s, "{\"text\": \"goal and guitar\", \"entities\": [[9, 15, \"PER\"], "
                                "[0, 4, \"NUM\"]]}\n"
                                "{\"text\": \"nothing here\", \"entities\": []}\n"));
    ASSERT_TRUE(succeeds(spans));
    ASSERT_EQ(spans->truth.size(), 2);
    const LearnerTruth first = spans->truth.value(ids[0]);
    ASSERT_EQ(first.spans.size(), 2);
    EXPECT_EQ(first.spans[0], (std::pair<Span, int>{Span{0, 4}, 1})); // normalised: by start
    EXPECT_EQ(first.spans[1], (std::pair<Span, int>{Span{9, 15}, 0}));
    EXPECT_TRUE(isEmptyAnswer(spans->truth.value(ids[1])));
    EXPECT_FALSE(spans->truth.contains(ids[2])); // the file does not name it

    // A class the task lacks is the file's problem, named.
    EXPECT_TRUE(failsMentioning(
        readOracle(
            *m_store, names->id, jsonl,
            write(u"bad.jsonl"_s, "{\"text\": \"atoms\", \"entities\": [[0, 5, \"ORG\"]]}\n")),
        {u"ORG"_s}));
}

} // namespace
} // namespace fieldmark
