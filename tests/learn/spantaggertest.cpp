// learn/: the span tagger on generated sentences with names and numbers.
#include "learn/spantagger.h"
#include "core/model/textoffsets.h"
#include "learn/torchruntime.h"
#include "tests/core/resultassertions.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <tuple>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

const QStringList kClasses = {u"NAME"_s, u"NUM"_s};

LearnerSchema spanSchema(QStringList classes = kClasses)
{
    LearnerSchema schema;
    schema.type = TaskType::Spans;
    schema.classes = std::move(classes);
    return schema;
}

// A made-up capitalised name, so held-out sentences hold names never seen in training; some
// end in a decomposed accent (e + U+0301), a combining mark inside the word.
QString nameOf(std::mt19937 &rng)
{
    static const QStringList syllables = {u"ka"_s,  u"lo"_s,  u"mi"_s, u"ren"_s, u"tas"_s,
                                          u"vel"_s, u"dor"_s, u"an"_s, u"bri"_s, u"sen"_s,
                                          u"ul"_s,  u"om"_s,  u"jo"_s, u"pe"_s,  u"ru"_s};
    QString name;
    const int count = 2 + int(rng() % 2);
    for (int i = 0; i < count; ++i)
        name += syllables.at(int(rng() % syllables.size()));
    if (rng() % 5 == 0)
        name += u"e\u0301"_s;
    return name.at(0).toUpper() + name.mid(1);
}

QString numberOf(std::mt19937 &rng)
{
    switch (rng() % 4) {
    case 0:
        return QString::number(1 + rng() % 99);
    case 1:
        return u"%1,%2"_s.arg(1 + rng() % 9).arg(rng() % 1000, 3, 10, QChar(u'0'));
    case 2:
        return u"%1.%2"_s.arg(rng() % 20).arg(rng() % 10);
    default:
        return QString::number(1900 + rng() % 120);
    }
}

// Sentences from templates: P a person (one or two names), N a number; an emoji (some of them
// several code points, one a ZWJ sequence) now and then between words, and the full stop
// written against the last word half of the time.
QList<LearnerExample> sentences(int count, unsigned seed, qint64 firstId = 1)
{
    static const QList<QStringList> templates = {
        {u"P"_s, u"met"_s, u"P"_s, u"in"_s, u"the"_s, u"morning"_s},
        {u"P"_s, u"paid"_s, u"N"_s, u"dollars"_s, u"for"_s, u"N"_s, u"books"_s},
        {u"In"_s, u"N"_s, u","_s, u"P"_s, u"moved"_s, u"to"_s, u"the"_s, u"city"_s},
        {u"The"_s, u"report"_s, u"says"_s, u"P"_s, u"sold"_s, u"N"_s, u"cars"_s},
        {u"Yesterday"_s, u"P"_s, u"and"_s, u"P"_s, u"walked"_s, u"N"_s, u"miles"_s},
        {u"N"_s, u"people"_s, u"waited"_s, u"for"_s, u"P"_s},
        {u"She"_s, u"gave"_s, u"P"_s, u"N"_s, u"apples"_s, u"and"_s, u"left"_s},
        {u"Nobody"_s, u"came"_s, u"to"_s, u"the"_s, u"meeting"_s}};
    static const QStringList emoji = {u"\U0001F389"_s, u"\U0001F469\u200D\U0001F52C"_s,
                                      u"\U0001F44D\U0001F3FD"_s};
    std::mt19937 rng(seed);
    QList<LearnerExample> examples;
    for (int n = 0; n < count; ++n) {
        LearnerExample e;
        e.item.itemId = firstId + n;
        e.item.kind = ItemKind::Text;
        const QStringList &words = templates.at(int(rng() % templates.size()));
        const int emojiAt = rng() % 3 == 0 ? int(rng() % words.size()) : -1;
        QString text;
        for (int i = 0; i < int(words.size()); ++i) {
            if (i == emojiAt)
                text += emoji.at(int(rng() % emoji.size())) + u' ';
            QString piece = words.at(i);
            int cls = -1;
            if (piece == u"P"_s) {
                piece = nameOf(rng);
                if (rng() % 2)
                    piece += u' ' + nameOf(rng);
                cls = 0;
            } else if (piece == u"N"_s) {
                piece = numberOf(rng);
                cls = 1;
            }
            const qint64 start = codePointLength(text);
            text += piece;
            if (cls >= 0)
                e.truth.spans.append({Span{start, codePointLength(text)}, cls});
            text += u' ';
        }
        text = text.trimmed() + (rng() % 2 ? u"."_s : u" ."_s);
        e.item.text = text;
        examples.append(e);
    }
    return examples;
}

QList<LearnerItem> itemsOf(const QList<LearnerExample> &examples)
{
    QList<LearnerItem> items;
    for (const LearnerExample &e : examples)
        items.append(e.item);
    return items;
}

QList<LearnerPrediction> predictAll(Learner &learner, const QList<LearnerExample> &examples)
{
    Result<QList<LearnerPrediction>> predictions = learner.predict(itemsOf(examples), {});
    EXPECT_TRUE(succeeds(predictions));
    return predictions ? *predictions : QList<LearnerPrediction>{};
}

using Entity = std::tuple<qint64, qint64, int>;

// Entity F1: a predicted span counts only with the exact offsets and class.
double entityF1(const QList<LearnerExample> &examples, const QList<LearnerPrediction> &predictions)
{
    if (predictions.size() != examples.size())
        return 0;
    int right = 0, predicted = 0, truth = 0;
    for (qsizetype i = 0; i < examples.size(); ++i) {
        std::set<Entity> expected;
        for (const auto &[span, cls] : examples.at(i).truth.spans)
            expected.insert({span.start, span.end, cls});
        truth += int(expected.size());
        for (const PredictedSpan &p : predictions.at(i).spans) {
            ++predicted;
            right += expected.count({p.span.start, p.span.end, p.classPosition});
        }
    }
    return right == 0 ? 0 : 2.0 * right / double(predicted + truth);
}

void expectSamePredictions(const QList<LearnerPrediction> &a, const QList<LearnerPrediction> &b)
{
    ASSERT_EQ(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a.at(i).spans.size(), b.at(i).spans.size()) << i;
        for (qsizetype s = 0; s < a.at(i).spans.size(); ++s) {
            EXPECT_EQ(a.at(i).spans.at(s).span, b.at(i).spans.at(s).span);
            EXPECT_NEAR(a.at(i).spans.at(s).confidence, b.at(i).spans.at(s).confidence, 1e-5);
        }
        ASSERT_TRUE(a.at(i).confidence && b.at(i).confidence) << i;
        EXPECT_NEAR(*a.at(i).confidence, *b.at(i).confidence, 1e-5) << i;
    }
}

Progress stopAfter(int calls)
{
    auto seen = std::make_shared<int>(0);
    return Progress([seen, calls](qint64, qint64) { return ++*seen < calls; });
}

class SpanTagger : public testing::Test
{
protected:
    static void SetUpTestSuite() { configureTorchThreads(); }
};

TEST_F(SpanTagger, WordsAreCutAtWordBoundariesAndCountedInCodePoints)
{
    // "Zoé" with a combining acute (4 code points), a ZWJ emoji sequence (3 code points, 5 UTF-16
    // units), "Jürgen" precomposed, the full stop against the word.
    const QString text = u"Zoe\u0301 \U0001F469\u200D\U0001F52C met J\u00FCrgen."_s;
    const QList<Span> words = SpanTaggerLearner::words(text);
    const QList<Span> expected = {{0, 4}, {5, 8}, {9, 12}, {13, 19}, {19, 20}};
    EXPECT_EQ(words, expected);
    EXPECT_EQ(codePointLength(text), 20);
    EXPECT_TRUE(SpanTaggerLearner::words(u"  \t "_s).isEmpty());
}

TEST_F(SpanTagger, LearnsNamesAndNumbersWithExactOffsets)
{
    SpanTaggerLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    const QList<LearnerExample> heldOut = sentences(200, 99, 1000);
    EXPECT_LT(entityF1(heldOut, predictAll(learner, heldOut)), 0.5); // it had to learn
    ASSERT_TRUE(succeeds(learner.train(sentences(400, 1), {})));

    const QList<LearnerPrediction> predictions = predictAll(learner, heldOut);
    // Exact offsets in code points, through emoji and combining marks.
    EXPECT_GT(entityF1(heldOut, predictions), 0.95);
    double rightConfidence = 0, wrongConfidence = 0;
    int right = 0, wrong = 0;
    for (qsizetype i = 0; i < predictions.size(); ++i) {
        const LearnerPrediction &p = predictions.at(i);
        EXPECT_EQ(p.itemId, heldOut.at(i).item.itemId);
        EXPECT_EQ(p.features.size(), size_t(SpanTaggerLearner::Options{}.hidden));
        ASSERT_TRUE(p.confidence) << i; // the tagger always knows
        EXPECT_GE(*p.confidence, 0.0f);
        EXPECT_LE(*p.confidence, 1.0f);
        std::set<Entity> predicted, truth;
        for (const PredictedSpan &s : p.spans) {
            EXPECT_GT(s.confidence, 0.0f);
            EXPECT_LE(s.confidence, 1.0f);
            // The whole answer is never surer than any of its parts.
            EXPECT_LE(*p.confidence, s.confidence + 1e-6f);
            predicted.insert({s.span.start, s.span.end, s.classPosition});
        }
        for (const auto &[span, cls] : heldOut.at(i).truth.spans)
            truth.insert({span.start, span.end, cls});
        if (predicted == truth) {
            rightConfidence += *p.confidence;
            ++right;
        } else {
            wrongConfidence += *p.confidence;
            ++wrong;
        }
    }
    ASSERT_GT(right, 0);
    if (wrong > 0) { // a wrong answer is less sure, on average, than a right one
        EXPECT_LT(wrongConfidence / wrong, rightConfidence / right);
    }
}

TEST_F(SpanTagger, EmptyTextIsSurelyWithoutSpansAndBatchesDoNotChangeAnswers)
{
    SpanTaggerLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    ASSERT_TRUE(succeeds(learner.train(sentences(100, 2), {})));
    QList<LearnerExample> examples = sentences(30, 3);
    examples[4].item.text = u"   "_s;
    examples[4].truth.spans.clear();
    const QList<LearnerPrediction> together = predictAll(learner, examples);
    ASSERT_EQ(together.size(), examples.size());
    EXPECT_TRUE(together.at(4).spans.isEmpty());
    EXPECT_EQ(together.at(4).confidence, 1.0f); // set, and sure
    // One at a time (no padding to other texts' length) gives the same answers.
    for (qsizetype i = 0; i < examples.size(); i += 7)
        expectSamePredictions({together.at(i)}, predictAll(learner, {examples.at(i)}));
}

TEST_F(SpanTagger, CheckpointPredictsTheSameAfterLoadingAndRefusesOtherClasses)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"spans.ckpt"_s);
    SpanTaggerLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    ASSERT_TRUE(succeeds(learner.train(sentences(60, 4), {})));
    ASSERT_TRUE(succeeds(learner.saveCheckpoint(path)));

    SpanTaggerLearner loaded;
    ASSERT_TRUE(succeeds(loaded.loadCheckpoint(path, spanSchema())));
    EXPECT_EQ(loaded.schema(), spanSchema());
    const QList<LearnerExample> heldOut = sentences(20, 5);
    expectSamePredictions(predictAll(learner, heldOut), predictAll(loaded, heldOut));
    EXPECT_TRUE(succeeds(loaded.train(sentences(20, 6), {}))); // the optimizer came along

    SpanTaggerLearner other;
    EXPECT_TRUE(failsMentioning(other.loadCheckpoint(path, spanSchema({u"NAME"_s, u"DATE"_s})),
                                {path, u"'NUM'"_s, u"'DATE'"_s}));
    EXPECT_TRUE(other.schema().classes.isEmpty());
    SpanTaggerLearner::Options wider;
    wider.hidden = 32;
    SpanTaggerLearner otherSize(wider);
    EXPECT_TRUE(failsMentioning(otherSize.loadCheckpoint(path, spanSchema()), {path, u"hidden"_s}));
}

TEST_F(SpanTagger, WarmStartKeepsImproving)
{
    SpanTaggerLearner::Options options;
    options.epochs = 1;
    options.minSteps = 0;
    SpanTaggerLearner learner(options);
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    const QList<LearnerExample> heldOut = sentences(100, 98, 1000);
    ASSERT_TRUE(succeeds(learner.train(sentences(80, 7), {})));
    const double afterA = entityF1(heldOut, predictAll(learner, heldOut));
    ASSERT_TRUE(succeeds(learner.train(sentences(160, 8, 500), {})));
    EXPECT_GT(entityF1(heldOut, predictAll(learner, heldOut)), afterA + 0.05);
}

TEST_F(SpanTagger, CancelLeavesTheModelAsBefore)
{
    SpanTaggerLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    ASSERT_TRUE(succeeds(learner.train(sentences(30, 9), {})));
    const QList<LearnerExample> heldOut = sentences(20, 10);
    const QList<LearnerPrediction> before = predictAll(learner, heldOut);
    EXPECT_TRUE(failsMentioning(learner.train(sentences(200, 11), stopAfter(5)), {u"cancelled"_s}));
    expectSamePredictions(before, predictAll(learner, heldOut));
    EXPECT_TRUE(failsMentioning(learner.predict(itemsOf(heldOut), stopAfter(1)), {u"cancelled"_s}));
}

TEST_F(SpanTagger, BadInputIsAnErrorNamingTheItem)
{
    SpanTaggerLearner learner;
    EXPECT_TRUE(failsMentioning(learner.train(sentences(2, 1), {}), {u"reset"_s}));
    EXPECT_TRUE(failsMentioning(
        learner.reset(LearnerSchema{TaskType::TextClassification, kClasses}), {u"text-class"_s}));
    ASSERT_TRUE(succeeds(learner.reset(spanSchema())));
    const QList<LearnerExample> clean = sentences(10, 12);
    const QList<LearnerPrediction> before = predictAll(learner, clean);

    QList<LearnerExample> examples = clean;
    examples[2].truth.spans = {{Span{0, 2}, 5}};
    EXPECT_TRUE(failsMentioning(learner.train(examples, {}),
                                {QString::number(examples[2].item.itemId), u"5"_s}));
    const qint64 length = codePointLength(examples[3].item.text);
    examples[2].truth.spans.clear();
    examples[3].truth.spans = {{Span{length - 1, length + 4}, 0}};
    EXPECT_TRUE(
        failsMentioning(learner.train(examples, {}),
                        {QString::number(examples[3].item.itemId), QString::number(length + 4)}));
    expectSamePredictions(before, predictAll(learner, clean)); // nothing was learnt

    QList<LearnerExample> blank = sentences(2, 13);
    for (LearnerExample &e : blank) {
        e.item.text = u" "_s;
        e.truth.spans.clear();
    }
    EXPECT_TRUE(failsMentioning(learner.train(blank, {}), {u"word"_s}));
}

} // namespace
} // namespace fieldmark
