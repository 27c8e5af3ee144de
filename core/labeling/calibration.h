#pragma once

#include <QList>

#include <optional>

namespace fieldmark {

// One validation item as the model saw it: how sure it was of its answer, and whether the
// answer was right (the validation set has human labels).
struct ScoredAnswer
{
    double confidence = 0;
    bool correct = false;
    int predictedClass = -1; // the class position the model chose (per-class thresholds)
};

// How sure the model must be before its answers become machine labels.
struct Threshold
{
    // Answers with confidence >= value are machine-labeled. Unset: no threshold reaches the
    // target, so nothing is machine-labeled.
    std::optional<double> value;
    int covered = 0;       // validation answers at or above it
    int correct = 0;       // of those, right
    double accuracy = 0;   // correct / covered (the point estimate)
    double lowerBound = 0; // one-sided lower confidence bound on that accuracy
};

enum class ThresholdRule {
    // Ground Truth's published rule: the lowest threshold whose validation accuracy (the point
    // estimate) is at least the target.
    PointEstimate,
    // The lowest threshold whose accuracy's one-sided 95% Wilson lower bound is at least the
    // target: small validation sets cannot pass by luck.
    LowerBound,
};

// The one-sided Wilson score lower bound of a proportion `successes / trials` (z = 1.645,
// 95% one-sided); 0 for no trials.
double wilsonLowerBound(int successes, int trials, double z = 1.6448536269514722);

// The lowest threshold over `answers` whose answers at or above it meet `target` under
// `rule`. Ties in confidence are taken or left together, since one threshold cannot split
// them.
Threshold calibrateThreshold(QList<ScoredAnswer> answers, double target, ThresholdRule rule);

// One threshold per class position (answers grouped by predictedClass), for classes whose own
// answers reach the target; `classCount` entries, unset where a class does not.
QList<Threshold> calibratePerClass(const QList<ScoredAnswer> &answers, int classCount,
                                   double target, ThresholdRule rule);

} // namespace fieldmark
