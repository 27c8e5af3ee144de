#include "calibration.h"

#include <algorithm>
#include <cmath>

namespace fieldmark {

double wilsonLowerBound(int successes, int trials, double z)
{
    if (trials <= 0)
        return 0;
    const double n = trials;
    const double p = successes / n;
    const double z2 = z * z;
    const double centre = p + z2 / (2 * n);
    const double spread = z * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return std::max(0.0, (centre - spread) / (1 + z2 / n));
}

Threshold calibrateThreshold(QList<ScoredAnswer> answers, double target, ThresholdRule rule)
{
    std::sort(answers.begin(), answers.end(), [](const ScoredAnswer &a, const ScoredAnswer &b) {
        return a.confidence > b.confidence;
    });
    Threshold best;
    int covered = 0;
    int correct = 0;
    for (qsizetype i = 0; i < answers.size(); ++i) {
        ++covered;
        correct += answers[i].correct ? 1 : 0;
        // A threshold sits only where the confidence changes: equal scores go together.
        if (i + 1 < answers.size() && answers[i + 1].confidence == answers[i].confidence)
            continue;
        const double accuracy = double(correct) / covered;
        const double bound = wilsonLowerBound(correct, covered);
        const double measured = rule == ThresholdRule::PointEstimate ? accuracy : bound;
        if (measured >= target) {
            // Lower thresholds cover more; keep the lowest that still meets the target.
            best.value = answers[i].confidence;
            best.covered = covered;
            best.correct = correct;
            best.accuracy = accuracy;
            best.lowerBound = bound;
        }
    }
    return best;
}

QList<Threshold> calibratePerClass(const QList<ScoredAnswer> &answers, int classCount,
                                   double target, ThresholdRule rule)
{
    QList<QList<ScoredAnswer>> byClass(classCount);
    for (const ScoredAnswer &answer : answers) {
        if (answer.predictedClass >= 0 && answer.predictedClass < classCount)
            byClass[answer.predictedClass].append(answer);
    }
    QList<Threshold> thresholds;
    thresholds.reserve(classCount);
    for (const QList<ScoredAnswer> &group : std::as_const(byClass))
        thresholds.append(calibrateThreshold(group, target, rule));
    return thresholds;
}

} // namespace fieldmark
