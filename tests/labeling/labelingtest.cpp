// core/labeling: threshold calibration and the choice of the next human batch.
#include "core/labeling/batchselection.h"
#include "core/labeling/calibration.h"
#include "core/labeling/learner.h"

#include <QSet>

#include <gtest/gtest.h>

#include <random>

namespace fieldmark {
namespace {

ScoredAnswer answer(double confidence, bool correct, int predictedClass = 0)
{
    return ScoredAnswer{confidence, correct, predictedClass};
}

TEST(Calibration, WilsonBoundMatchesKnownValues)
{
    EXPECT_DOUBLE_EQ(wilsonLowerBound(0, 0), 0);
    // 95 of 100 right: the point estimate is 0.95, the one-sided 95% bound 0.9008.
    EXPECT_NEAR(wilsonLowerBound(95, 100), 0.90084, 1e-5);
    EXPECT_NEAR(wilsonLowerBound(20, 20), 0.88084, 1e-5);
    // All right: the bound rises with the count and never reaches 1.
    EXPECT_LT(wilsonLowerBound(20, 20), wilsonLowerBound(200, 200));
    EXPECT_LT(wilsonLowerBound(200, 200), 1.0);
    EXPECT_GT(wilsonLowerBound(200, 200), 0.98);
}

TEST(Calibration, PointEstimatePicksTheLowestThresholdMeetingTheTarget)
{
    // From the top: 10 right, then a wrong one at 0.85, then 9 right, then wrong ones.
    QList<ScoredAnswer> answers;
    for (int i = 0; i < 10; ++i)
        answers.append(answer(0.99 - i * 0.01, true)); // 0.99 .. 0.90
    answers.append(answer(0.85, false));
    for (int i = 0; i < 9; ++i)
        answers.append(answer(0.80 - i * 0.01, true)); // 0.80 .. 0.72
    answers.append(answer(0.50, false));
    answers.append(answer(0.40, false));
    const Threshold t = calibrateThreshold(answers, 0.95, ThresholdRule::PointEstimate);
    ASSERT_TRUE(t.value.has_value());
    // 19 of 20 at 0.72 is exactly 95%; going lower adds only mistakes.
    EXPECT_DOUBLE_EQ(*t.value, 0.72);
    EXPECT_EQ(t.covered, 20);
    EXPECT_EQ(t.correct, 19);
    EXPECT_DOUBLE_EQ(t.accuracy, 0.95);
}

TEST(Calibration, TheLowerBoundRuleNeedsEnoughEvidence)
{
    QList<ScoredAnswer> few;
    for (int i = 0; i < 10; ++i)
        few.append(answer(0.9 + i * 0.001, true));
    // Ten right answers pass the point estimate but prove little.
    EXPECT_TRUE(calibrateThreshold(few, 0.95, ThresholdRule::PointEstimate).value);
    EXPECT_FALSE(calibrateThreshold(few, 0.95, ThresholdRule::LowerBound).value);

    QList<ScoredAnswer> many = few;
    for (int i = 0; i < 90; ++i)
        many.append(answer(0.8 + i * 0.001, true));
    const Threshold t = calibrateThreshold(many, 0.95, ThresholdRule::LowerBound);
    ASSERT_TRUE(t.value.has_value());
    EXPECT_GE(t.lowerBound, 0.95);
    EXPECT_EQ(t.covered, 100);
}

TEST(Calibration, TiesAreTakenOrLeftTogether)
{
    // Three answers at 0.9, one of them wrong: 0.9 cannot be a 95% threshold by itself.
    const QList<ScoredAnswer> answers{answer(0.9, true), answer(0.9, false), answer(0.9, true)};
    EXPECT_FALSE(calibrateThreshold(answers, 0.95, ThresholdRule::PointEstimate).value);
}

TEST(Calibration, PerClassThresholdsFollowEachClassesOwnAccuracy)
{
    QList<ScoredAnswer> answers;
    std::mt19937 engine(3);
    std::uniform_real_distribution<double> score(0.5, 1.0);
    for (int i = 0; i < 400; ++i) {
        // Class 0 is always right; class 1 is right only above 0.9.
        const double c = score(engine);
        answers.append(answer(c, true, 0));
        answers.append(answer(c, c > 0.9, 1));
    }
    const QList<Threshold> t = calibratePerClass(answers, 3, 0.95, ThresholdRule::LowerBound);
    ASSERT_EQ(t.size(), 3);
    ASSERT_TRUE(t[0].value && t[1].value);
    EXPECT_LT(*t[0].value, 0.52);
    EXPECT_GT(*t[1].value, 0.9);
    EXPECT_FALSE(t[2].value); // no answers for class 2: nothing machine-labeled there
}

TEST(BatchSelection, RandomBatchesAreReproducibleAndDistinct)
{
    QList<qsizetype> candidates;
    for (qsizetype i = 0; i < 100; ++i)
        candidates.append(i * 2);
    const QList<qsizetype> a = randomBatch(candidates, 30, 7);
    EXPECT_EQ(a, randomBatch(candidates, 30, 7));
    EXPECT_NE(a, randomBatch(candidates, 30, 8));
    const QSet<qsizetype> unique(a.begin(), a.end());
    EXPECT_EQ(unique.size(), 30);
    for (qsizetype i : a)
        EXPECT_TRUE(candidates.contains(i));
    EXPECT_EQ(randomBatch(candidates, 500, 1).size(), 100);
}

TEST(BatchSelection, LeastMarginTakesTheClosestCalls)
{
    const std::vector<std::vector<float>> p{
        {0.9f, 0.1f}, {0.5f, 0.5f}, {0.6f, 0.4f}, {0.55f, 0.45f}, {0.2f, 0.8f}};
    EXPECT_EQ(leastMarginBatch(p, {0, 1, 2, 3, 4}, 3), (QList<qsizetype>{1, 3, 2}));
    // Only candidates count: item 1 is labeled already.
    EXPECT_EQ(leastMarginBatch(p, {0, 2, 3, 4}, 2), (QList<qsizetype>{3, 2}));
}

TEST(BatchSelection, KCenterSpreadsOverClusters)
{
    // Three tight clusters of 20 points; a batch of three takes one from each.
    std::vector<std::vector<float>> features;
    std::mt19937 engine(5);
    std::normal_distribution<float> noise(0, 0.05f);
    const float centres[3][2] = {{0, 0}, {10, 0}, {0, 10}};
    QList<qsizetype> candidates;
    for (int c = 0; c < 3; ++c) {
        for (int i = 0; i < 20; ++i) {
            features.push_back({centres[c][0] + noise(engine), centres[c][1] + noise(engine)});
            candidates.append(qsizetype(features.size() - 1));
        }
    }
    const QList<qsizetype> batch = kCenterBatch(features, candidates, {}, 3);
    QSet<qsizetype> clusters;
    for (qsizetype i : batch)
        clusters.insert(i / 20);
    EXPECT_EQ(clusters.size(), 3);

    // With the first cluster covered by labels, two picks go to the other two.
    const QList<qsizetype> rest = kCenterBatch(features, candidates.mid(20), {0, 1, 2}, 2);
    QSet<qsizetype> restClusters;
    for (qsizetype i : rest)
        restClusters.insert(i / 20);
    EXPECT_EQ(restClusters, (QSet<qsizetype>{1, 2}));
}

TEST(BatchSelection, UncertainAndDiverseAvoidsNearDuplicates)
{
    // Ten near-identical uncertain items and ten spread-out, slightly less uncertain ones: a
    // batch of 5 should not spend itself on the duplicates.
    std::vector<std::vector<float>> features;
    std::vector<std::vector<float>> probabilities;
    QList<qsizetype> candidates;
    for (int i = 0; i < 10; ++i) {
        features.push_back({0.0f, float(i) * 1e-3f});
        probabilities.push_back({0.5f, 0.5f});
        candidates.append(i);
    }
    for (int i = 0; i < 10; ++i) {
        features.push_back({float(i + 1) * 5.0f, 0.0f});
        probabilities.push_back({0.52f, 0.48f});
        candidates.append(10 + i);
    }
    const QList<qsizetype> batch =
        uncertainDiverseBatch(probabilities, features, candidates, {}, 5);
    ASSERT_EQ(batch.size(), 5);
    int duplicates = 0;
    for (qsizetype i : batch)
        duplicates += i < 10 ? 1 : 0;
    EXPECT_LE(duplicates, 1);
    // Plain least-margin would have taken five of the duplicates.
    for (qsizetype i : leastMarginBatch(probabilities, candidates, 5))
        EXPECT_LT(i, 10);
}

TEST(LearnerSchema, ClassesByPositionWithGaps)
{
    LabelTask task;
    task.type = TaskType::TextClassification;
    task.classes = {LabelClass{7, QStringLiteral("spam"), {}, {}, 2},
                    LabelClass{3, QStringLiteral("ham"), {}, {}, 0}};
    const LearnerSchema schema = LearnerSchema::of(task);
    EXPECT_EQ(schema.classes,
              (QStringList{QStringLiteral("ham"), QString(), QStringLiteral("spam")}));
}

TEST(LearnerSchema, AMismatchNamesTheCheckpointAndEveryDifference)
{
    const LearnerSchema saved{TaskType::ImageClassification,
                              {QStringLiteral("cat"), QStringLiteral("dog")}};
    EXPECT_TRUE(checkSchemaMatches(saved, saved, QStringLiteral("a.pt")));
    const LearnerSchema renamed{
        TaskType::ImageClassification,
        {QStringLiteral("cat"), QStringLiteral("wolf"), QStringLiteral("bird")}};
    const Result<void> refused = checkSchemaMatches(saved, renamed, QStringLiteral("/p/a.pt"));
    ASSERT_FALSE(refused);
    const QString message = refused.errorString();
    EXPECT_TRUE(message.contains(QStringLiteral("/p/a.pt"))) << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("'dog' there and 'wolf' here")))
        << message.toStdString();
    EXPECT_TRUE(message.contains(QStringLiteral("'bird' is new"))) << message.toStdString();
    const LearnerSchema texts{TaskType::TextClassification, saved.classes};
    EXPECT_FALSE(checkSchemaMatches(saved, texts, QStringLiteral("a.pt")));
}

} // namespace
} // namespace fieldmark
