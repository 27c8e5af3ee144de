// learn/: the text and image classifiers on small generated data sets.
#include "learn/imageclassifier.h"
#include "learn/learners.h"
#include "learn/textclassifier.h"
#include "learn/torchruntime.h"
#include "tests/core/resultassertions.h"

#include <QFile>
#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

class LearnEnvironment : public testing::Environment
{
public:
    void SetUp() override { configureTorchThreads(); }
};
[[maybe_unused]] const auto *const environment =
    testing::AddGlobalTestEnvironment(new LearnEnvironment);

LearnerSchema schemaOf(TaskType type, QStringList classes)
{
    LearnerSchema schema;
    schema.type = type;
    schema.classes = std::move(classes);
    return schema;
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

int argmax(const std::vector<float> &values)
{
    return int(std::max_element(values.begin(), values.end()) - values.begin());
}

// Single-label: the share of items whose most probable class is the true one.
// Multi-label: the share of (item, class) decisions at 0.5 that are right.
double accuracy(Learner &learner, const QList<LearnerExample> &examples, bool multiLabel)
{
    const QList<LearnerPrediction> predictions = predictAll(learner, examples);
    if (predictions.size() != examples.size())
        return 0;
    int right = 0;
    int total = 0;
    for (qsizetype i = 0; i < examples.size(); ++i) {
        const std::vector<float> &p = predictions.at(i).probabilities;
        const QList<int> &truth = examples.at(i).truth.classes;
        if (multiLabel) {
            for (int c = 0; c < int(p.size()); ++c) {
                right += (p[size_t(c)] >= 0.5f) == truth.contains(c);
                ++total;
            }
        } else {
            right += argmax(p) == truth.first();
            ++total;
        }
    }
    return double(right) / total;
}

// The mean probability given to the true class: rises as a model gets surer and righter.
double meanTrueProbability(Learner &learner, const QList<LearnerExample> &examples)
{
    const QList<LearnerPrediction> predictions = predictAll(learner, examples);
    double sum = 0;
    for (qsizetype i = 0; i < predictions.size(); ++i)
        sum += predictions.at(i).probabilities[size_t(examples.at(i).truth.classes.first())];
    return predictions.isEmpty() ? 0 : sum / double(predictions.size());
}

void expectSamePredictions(const QList<LearnerPrediction> &a, const QList<LearnerPrediction> &b)
{
    ASSERT_EQ(a.size(), b.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a.at(i).probabilities.size(), b.at(i).probabilities.size());
        for (size_t c = 0; c < a.at(i).probabilities.size(); ++c)
            EXPECT_NEAR(a.at(i).probabilities[c], b.at(i).probabilities[c], 1e-5) << i;
        EXPECT_EQ(a.at(i).features.size(), b.at(i).features.size());
    }
}

// A Progress that says stop after `batches` calls.
Progress stopAfter(int batches)
{
    auto calls = std::make_shared<int>(0);
    return Progress([calls, batches](qint64, qint64) { return ++*calls < batches; });
}

// ---- Texts: the class is given by two keywords among eight noise words ----

const QStringList kTextClasses = {u"sport"_s, u"cooking"_s, u"finance"_s};
const QList<QStringList> kKeywords = {
    {u"match"_s, u"goal"_s, u"team"_s, u"player"_s, u"league"_s, u"referee"_s},
    {u"recipe"_s, u"oven"_s, u"flour"_s, u"bake"_s, u"saucepan"_s, u"simmer"_s},
    {u"stock"_s, u"bank"_s, u"market"_s, u"loan"_s, u"invest"_s, u"dividend"_s}};

QString noisyText(std::mt19937 &rng, const QList<int> &classes)
{
    static const QStringList noise = [] {
        QStringList words;
        for (const char *w :
             {"the",   "a",     "of",    "and",   "today", "people", "said",  "new",   "when",
              "after", "about", "their", "would", "there", "could",  "first", "other", "some",
              "many",  "year",  "these", "most",  "where", "while",  "never", "again", "house",
              "light", "water", "green", "small", "large", "early",  "later", "north", "south",
              "river", "paper", "story", "music", "train", "phone",  "table", "chair", "window"})
            words.append(QString::fromLatin1(w));
        return words;
    }();
    QStringList words;
    for (int i = 0; i < 8; ++i)
        words.append(noise.at(int(rng() % noise.size())));
    for (int c : classes) {
        for (int i = 0; i < 2; ++i) {
            const QStringList &k = kKeywords.at(c);
            QString word = k.at(int(rng() % k.size()));
            if (rng() % 3 == 0) // some capitals and punctuation, as people write
                word = word.at(0).toUpper() + word.mid(1) + u',';
            words.append(word);
        }
    }
    std::shuffle(words.begin(), words.end(), rng);
    return words.join(u' ');
}

QList<LearnerExample> textExamples(int perClass, unsigned seed, qint64 firstId = 1)
{
    std::mt19937 rng(seed);
    QList<LearnerExample> examples;
    for (int i = 0; i < perClass; ++i) {
        for (int c = 0; c < int(kTextClasses.size()); ++c) {
            LearnerExample e;
            e.item.itemId = firstId + examples.size();
            e.item.kind = ItemKind::Text;
            e.item.text = noisyText(rng, {c});
            e.truth.classes = {c};
            examples.append(e);
        }
    }
    return examples;
}

QList<LearnerExample> multiLabelTextExamples(int count, unsigned seed)
{
    std::mt19937 rng(seed);
    QList<LearnerExample> examples;
    for (int i = 0; i < count; ++i) {
        QList<int> classes;
        for (int c = 0; c < int(kTextClasses.size()); ++c) {
            if (rng() % 2)
                classes.append(c);
        }
        LearnerExample e;
        e.item.itemId = i + 1;
        e.item.kind = ItemKind::Text;
        e.item.text = noisyText(rng, classes);
        e.truth.classes = classes;
        examples.append(e);
    }
    return examples;
}

TEST(TextClassifier, LearnsKeywordClassesAndGivesProbabilitiesThatSumToOne)
{
    TextClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextClassification, kTextClasses))));
    const Result<TrainingReport> report = learner.train(textExamples(30, 1), {});
    ASSERT_TRUE(succeeds(report));
    // 90 examples are 3 batches: more passes than the default 5 to reach the minimum steps.
    EXPECT_EQ(report->epochs, 14);

    const QList<LearnerExample> heldOut = textExamples(20, 99, 1000);
    EXPECT_GT(accuracy(learner, heldOut, false), 0.9);
    for (const LearnerPrediction &p : predictAll(learner, heldOut)) {
        ASSERT_EQ(p.probabilities.size(), 3u);
        float sum = 0;
        for (float v : p.probabilities)
            sum += v;
        EXPECT_NEAR(sum, 1.0f, 1e-5);
        EXPECT_EQ(p.features.size(), size_t(TextClassifierLearner::Options{}.dimension));
    }
}

TEST(TextClassifier, MultiLabelPredictsEachKeywordClassOnItsOwn)
{
    TextClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextMultiLabel, kTextClasses))));
    ASSERT_TRUE(succeeds(learner.train(multiLabelTextExamples(120, 2), {})));
    EXPECT_GT(accuracy(learner, multiLabelTextExamples(60, 77), true), 0.9);
}

TEST(TextClassifier, TokensIncludeWordsBigramsAndCharacterGrams)
{
    TextClassifierLearner learner;
    // "ab cd": 2 words, 1 bigram, and per word "<ab>": 2 trigrams + 1 four-gram.
    EXPECT_EQ(learner.featureRows(u"Ab, cd!"_s).size(), 2u + 1u + 3u + 3u);
    EXPECT_EQ(learner.featureRows(u"ab cd"_s), learner.featureRows(u"AB  CD."_s));
    EXPECT_TRUE(learner.featureRows(u"  ,;"_s).empty());
}

TEST(TextClassifier, CheckpointPredictsTheSameAfterLoading)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"text.ckpt"_s);
    const LearnerSchema schema = schemaOf(TaskType::TextClassification, kTextClasses);
    TextClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schema)));
    ASSERT_TRUE(succeeds(learner.train(textExamples(10, 3), {})));
    ASSERT_TRUE(succeeds(learner.saveCheckpoint(path)));

    TextClassifierLearner loaded;
    ASSERT_TRUE(succeeds(loaded.loadCheckpoint(path, schema)));
    EXPECT_EQ(loaded.schema(), schema);
    const QList<LearnerExample> heldOut = textExamples(5, 4);
    expectSamePredictions(predictAll(learner, heldOut), predictAll(loaded, heldOut));
    // The optimizer came along too: training goes on from the loaded state.
    EXPECT_TRUE(succeeds(loaded.train(textExamples(5, 5), {})));
}

TEST(TextClassifier, CheckpointForOtherClassesIsRefusedNamingFileAndClass)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"other.ckpt"_s);
    TextClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextClassification, kTextClasses))));
    ASSERT_TRUE(succeeds(learner.saveCheckpoint(path)));

    TextClassifierLearner other;
    const LearnerSchema wanted =
        schemaOf(TaskType::TextClassification, {u"sport"_s, u"cooking"_s, u"politics"_s});
    EXPECT_TRUE(failsMentioning(other.loadCheckpoint(path, wanted),
                                {path, u"'finance'"_s, u"'politics'"_s}));
    EXPECT_TRUE(failsMentioning(
        other.loadCheckpoint(path, schemaOf(TaskType::TextMultiLabel, kTextClasses)),
        {path, u"text-multilabel"_s}));
    EXPECT_TRUE(other.schema().classes.isEmpty()); // nothing was loaded

    const QString unwritable = dir.filePath(u"no-such-folder/model.ckpt"_s);
    EXPECT_TRUE(failsMentioning(learner.saveCheckpoint(unwritable), {unwritable}));
    EXPECT_FALSE(QFile::exists(unwritable));
    EXPECT_TRUE(failsMentioning(other.saveCheckpoint(path), {u"no model"_s}));
}

TEST(TextClassifier, DamagedOrForeignCheckpointIsAnErrorNamingTheFile)
{
    QTemporaryDir dir;
    const QString junk = dir.filePath(u"junk.ckpt"_s);
    QFile file(junk);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("not a checkpoint at all");
    file.close();
    const LearnerSchema schema = schemaOf(TaskType::TextClassification, kTextClasses);
    TextClassifierLearner learner;
    EXPECT_TRUE(failsMentioning(learner.loadCheckpoint(junk, schema), {junk, u"checkpoint"_s}));
    EXPECT_TRUE(failsMentioning(learner.loadCheckpoint(dir.filePath(u"missing.ckpt"_s), schema),
                                {u"missing.ckpt"_s}));

    // An image model's checkpoint is not a text model's.
    const QString image = dir.filePath(u"image.ckpt"_s);
    ImageClassifierLearner imageLearner;
    ASSERT_TRUE(
        succeeds(imageLearner.reset(schemaOf(TaskType::ImageClassification, {u"a"_s, u"b"_s}))));
    ASSERT_TRUE(succeeds(imageLearner.saveCheckpoint(image)));
    EXPECT_TRUE(failsMentioning(learner.loadCheckpoint(image, schema), {image, u"image-cnn"_s}));
}

TEST(TextClassifier, WarmStartKeepsImproving)
{
    TextClassifierLearner::Options options;
    options.epochs = 2;
    options.minSteps = 0; // A alone must leave room to improve
    TextClassifierLearner learner(options);
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextClassification, kTextClasses))));
    const QList<LearnerExample> heldOut = textExamples(20, 98, 1000);
    ASSERT_TRUE(succeeds(learner.train(textExamples(15, 6), {})));
    const double afterA = meanTrueProbability(learner, heldOut);
    ASSERT_TRUE(succeeds(learner.train(textExamples(15, 7, 500), {})));
    const double afterB = meanTrueProbability(learner, heldOut);
    EXPECT_GT(afterA, 1.0 / 3.0); // A taught something
    EXPECT_GT(afterB, afterA + 0.02);
}

TEST(TextClassifier, CancelLeavesTheModelAsBefore)
{
    TextClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextClassification, kTextClasses))));
    ASSERT_TRUE(succeeds(learner.train(textExamples(5, 8), {})));
    const QList<LearnerExample> heldOut = textExamples(5, 9);
    const QList<LearnerPrediction> before = predictAll(learner, heldOut);
    EXPECT_TRUE(
        failsMentioning(learner.train(textExamples(30, 10), stopAfter(3)), {u"cancelled"_s}));
    expectSamePredictions(before, predictAll(learner, heldOut));
    EXPECT_TRUE(failsMentioning(learner.predict(itemsOf(heldOut), stopAfter(1)), {u"cancelled"_s}));
}

TEST(TextClassifier, BadInputIsAnErrorNotACrash)
{
    TextClassifierLearner learner;
    EXPECT_TRUE(failsMentioning(learner.train(textExamples(2, 1), {}), {u"reset"_s}));
    EXPECT_TRUE(
        failsMentioning(learner.reset(schemaOf(TaskType::Boxes, {u"car"_s})), {u"boxes"_s}));
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::TextClassification, kTextClasses))));
    QList<LearnerExample> examples = textExamples(2, 1);
    examples[1].truth.classes = {7};
    EXPECT_TRUE(failsMentioning(learner.train(examples, {}),
                                {QString::number(examples[1].item.itemId), u"7"_s}));
    examples[1].truth.classes.clear();
    for (LearnerExample &e : examples)
        e.truth.classes.clear();
    EXPECT_TRUE(failsMentioning(learner.train(examples, {}), {u"class"_s}));
}

// ---- Images: horizontal stripes, vertical stripes or a bright disc (pattern 3: plain), with
// noise ----

const QStringList kImageClasses = {u"horizontal"_s, u"vertical"_s, u"disc"_s};

cv::Mat patternImage(int pattern, std::mt19937 &rng)
{
    const int size = 40;
    std::uniform_int_distribution<int> phase(0, 9);
    std::normal_distribution<float> noise(0, 20);
    cv::Mat image(size, size, CV_8UC3, cv::Scalar(60, 60, 60));
    const int offset = phase(rng);
    const cv::Scalar bright(200 + rng() % 50, 180 + rng() % 70, 190 + rng() % 60);
    if (pattern == 0 || pattern == 1) {
        for (int i = 0; i < size; ++i) {
            if (((i + offset) / 5) % 2 == 0)
                continue;
            if (pattern == 0)
                cv::line(image, {0, i}, {size - 1, i}, bright);
            else
                cv::line(image, {i, 0}, {i, size - 1}, bright);
        }
    } else if (pattern == 2) {
        cv::circle(image, {size / 2 + offset - 5, size / 2 + phase(rng) - 5}, 9, bright, -1);
    }
    for (auto it = image.begin<cv::Vec3b>(); it != image.end<cv::Vec3b>(); ++it) {
        for (int c = 0; c < 3; ++c)
            (*it)[c] = cv::saturate_cast<uchar>((*it)[c] + noise(rng));
    }
    return image;
}

QList<LearnerExample> imageExamples(const QTemporaryDir &dir, int perClass, unsigned seed)
{
    std::mt19937 rng(seed);
    QList<LearnerExample> examples;
    for (int i = 0; i < perClass; ++i) {
        for (int c = 0; c < int(kImageClasses.size()); ++c) {
            LearnerExample e;
            e.item.itemId = seed * 10000 + examples.size();
            e.item.path = dir.filePath(u"s%1-%2.png"_s.arg(seed).arg(examples.size()));
            e.item.size = QSize(40, 40);
            EXPECT_TRUE(cv::imwrite(e.item.path.toStdString(), patternImage(c, rng)));
            e.truth.classes = {c};
            examples.append(e);
        }
    }
    return examples;
}

// Multi-label: "stripes" (horizontal stripes over the background) and "disc", either or both.
QList<LearnerExample> multiLabelImageExamples(const QTemporaryDir &dir, int count, unsigned seed)
{
    std::mt19937 rng(seed);
    QList<LearnerExample> examples;
    for (int i = 0; i < count; ++i) {
        const bool stripes = rng() % 2;
        const bool disc = rng() % 2;
        cv::Mat image = patternImage(stripes ? 0 : 3, rng);
        if (disc)
            cv::circle(image, {12 + int(rng() % 16), 12 + int(rng() % 16)}, 8,
                       cv::Scalar(0, 0, 255), -1);
        LearnerExample e;
        e.item.itemId = i + 1;
        e.item.path = dir.filePath(u"m%1-%2.png"_s.arg(seed).arg(i));
        EXPECT_TRUE(cv::imwrite(e.item.path.toStdString(), image));
        if (stripes)
            e.truth.classes.append(0);
        if (disc)
            e.truth.classes.append(1);
        examples.append(e);
    }
    return examples;
}

class ImageClassifier : public testing::Test
{
protected:
    QTemporaryDir m_dir;
};

TEST_F(ImageClassifier, LearnsPatternsAndGivesProbabilitiesThatSumToOne)
{
    ImageClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::ImageClassification, kImageClasses))));
    const QList<LearnerExample> examples = imageExamples(m_dir, 20, 1);
    // Predicting first fills the cache of decoded images that training then reads.
    EXPECT_LT(accuracy(learner, examples, false), 0.9);
    ASSERT_TRUE(succeeds(learner.train(examples, {})));
    const QList<LearnerExample> heldOut = imageExamples(m_dir, 10, 2);
    EXPECT_GT(accuracy(learner, heldOut, false), 0.9);
    for (const LearnerPrediction &p : predictAll(learner, heldOut)) {
        ASSERT_EQ(p.probabilities.size(), 3u);
        float sum = 0;
        for (float v : p.probabilities)
            sum += v;
        EXPECT_NEAR(sum, 1.0f, 1e-5);
        EXPECT_EQ(p.features.size(), 128u);
    }
}

TEST_F(ImageClassifier, MultiLabelPredictsEachClassOnItsOwn)
{
    ImageClassifierLearner learner;
    ASSERT_TRUE(
        succeeds(learner.reset(schemaOf(TaskType::ImageMultiLabel, {u"stripes"_s, u"disc"_s}))));
    ASSERT_TRUE(succeeds(learner.train(multiLabelImageExamples(m_dir, 60, 3), {})));
    EXPECT_GT(accuracy(learner, multiLabelImageExamples(m_dir, 30, 4), true), 0.9);
}

TEST_F(ImageClassifier, CheckpointPredictsTheSameAfterLoadingAndRefusesOtherClasses)
{
    const QString path = m_dir.filePath(u"image.ckpt"_s);
    const LearnerSchema schema = schemaOf(TaskType::ImageClassification, kImageClasses);
    ImageClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schema)));
    ASSERT_TRUE(succeeds(learner.train(imageExamples(m_dir, 4, 5), {})));
    ASSERT_TRUE(succeeds(learner.saveCheckpoint(path)));

    ImageClassifierLearner loaded;
    ASSERT_TRUE(succeeds(loaded.loadCheckpoint(path, schema)));
    const QList<LearnerExample> heldOut = imageExamples(m_dir, 3, 6);
    expectSamePredictions(predictAll(learner, heldOut), predictAll(loaded, heldOut));

    ImageClassifierLearner other;
    EXPECT_TRUE(
        failsMentioning(other.loadCheckpoint(path, schemaOf(TaskType::ImageClassification,
                                                            {u"horizontal"_s, u"vertical"_s})),
                        {path, u"'disc'"_s}));
    ImageClassifierLearner::Options bigger;
    bigger.imageSize = 64;
    ImageClassifierLearner otherSize(bigger);
    EXPECT_TRUE(failsMentioning(otherSize.loadCheckpoint(path, schema), {path, u"imageSize"_s}));
}

TEST_F(ImageClassifier, WarmStartKeepsImproving)
{
    ImageClassifierLearner::Options options;
    options.epochs = 3;
    ImageClassifierLearner learner(options);
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::ImageClassification, kImageClasses))));
    const QList<LearnerExample> heldOut = imageExamples(m_dir, 10, 7);
    ASSERT_TRUE(succeeds(learner.train(imageExamples(m_dir, 10, 8), {})));
    const double afterA = meanTrueProbability(learner, heldOut);
    ASSERT_TRUE(succeeds(learner.train(imageExamples(m_dir, 10, 9), {})));
    const double afterB = meanTrueProbability(learner, heldOut);
    EXPECT_GT(afterB, afterA + 0.02);
}

TEST_F(ImageClassifier, CancelLeavesTheModelAsBefore)
{
    ImageClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::ImageClassification, kImageClasses))));
    ASSERT_TRUE(succeeds(learner.train(imageExamples(m_dir, 3, 10), {})));
    const QList<LearnerExample> heldOut = imageExamples(m_dir, 3, 11);
    const QList<LearnerPrediction> before = predictAll(learner, heldOut);
    // Batch norm statistics are part of the model: they must come back too.
    EXPECT_TRUE(failsMentioning(learner.train(imageExamples(m_dir, 20, 12), stopAfter(4)),
                                {u"cancelled"_s}));
    expectSamePredictions(before, predictAll(learner, heldOut));
}

TEST_F(ImageClassifier, CorruptImageIsAnErrorNamingTheFile)
{
    ImageClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::ImageClassification, kImageClasses))));
    const QList<LearnerExample> clean = imageExamples(m_dir, 2, 13);
    const QList<LearnerPrediction> before = predictAll(learner, clean);
    const QString bad = m_dir.filePath(u"broken.png"_s);
    QFile file(bad);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG\r\n\x1a\n this is not really a PNG");
    file.close();
    QList<LearnerExample> examples = clean;
    examples[3].item.path = bad;
    EXPECT_TRUE(failsMentioning(learner.train(examples, {}), {bad}));
    EXPECT_TRUE(failsMentioning(learner.predict(itemsOf(examples), {}), {bad}));
    examples[3].item.path = m_dir.filePath(u"gone.png"_s);
    EXPECT_TRUE(failsMentioning(learner.train(examples, {}), {u"gone.png"_s}));
    // A failed train() leaves the model as it was.
    expectSamePredictions(before, predictAll(learner, clean));
}

TEST_F(ImageClassifier, LargePhotoReadAtReducedScaleLooksTheSameToTheModel)
{
    ImageClassifierLearner learner;
    ASSERT_TRUE(succeeds(learner.reset(schemaOf(TaskType::ImageClassification, kImageClasses))));
    ASSERT_TRUE(succeeds(learner.train(imageExamples(m_dir, 10, 14), {})));
    // A 1024x768 photo of wide stripes, once with its size known (decoded at 1/8 scale) and
    // once as a copy without it (decoded in full).
    cv::Mat photo(768, 1024, CV_8UC3, cv::Scalar(60, 60, 60));
    for (int y = 0; y < 768; y += 96)
        cv::rectangle(photo, {0, y}, {1023, y + 47}, cv::Scalar(220, 210, 200), -1);
    LearnerItem known;
    known.itemId = 1;
    known.path = m_dir.filePath(u"photo.jpg"_s);
    known.size = QSize(1024, 768);
    ASSERT_TRUE(cv::imwrite(known.path.toStdString(), photo));
    LearnerItem unknown = known;
    unknown.itemId = 2;
    unknown.path = m_dir.filePath(u"photo-copy.jpg"_s);
    unknown.size = QSize();
    ASSERT_TRUE(QFile::copy(known.path, unknown.path));

    const Result<QList<LearnerPrediction>> predictions = learner.predict({known, unknown}, {});
    ASSERT_TRUE(succeeds(predictions));
    for (size_t c = 0; c < 3; ++c)
        EXPECT_NEAR(predictions->at(0).probabilities[c], predictions->at(1).probabilities[c], 0.05);
    EXPECT_EQ(argmax(predictions->at(0).probabilities), 0); // horizontal stripes
}

TEST(Learners, RegistryCreatesALearnerForEachSupportedType)
{
    for (TaskType type : learnableTaskTypes()) {
        std::unique_ptr<Learner> learner = createLearner(type);
        ASSERT_TRUE(learner) << taskTypeName(type).toStdString();
        EXPECT_TRUE(learner->supports(type));
    }
    EXPECT_EQ(createLearner(TaskType::ImageClassification)->name(), u"image-cnn"_s);
    EXPECT_EQ(createLearner(TaskType::TextMultiLabel)->name(), u"text-ngrams"_s);
    EXPECT_EQ(createLearner(TaskType::Spans)->name(), u"span-tagger"_s);
    EXPECT_FALSE(createLearner(TaskType::Boxes));
    EXPECT_FALSE(createLearner(TaskType::Segmentation));
}

} // namespace
} // namespace fieldmark
