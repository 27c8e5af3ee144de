#pragma once

#include "core/labeling/labelingjob.h"

#include <QHash>
#include <QJsonObject>

#include <optional>

namespace fieldmark {

struct SimulationOptions
{
    double errorRate = 0; // how often the simulated annotator's answer for an item is wrong
    quint64 seed = 1;
    int maxIterations = 10000;
};

struct SimulationReport
{
    QList<IterationSummary> iterations;
    // Per iteration, seconds from the completed human batch to the pre-filled labels
    // (snapshot, training, prediction, calibration and writing).
    QList<double> latencies;
    qint64 items = 0;
    qint64 humanLabels = 0;   // items people labeled (validation included)
    qint64 machineLabels = 0; // items the model labeled
    qint64 unlabeled = 0;     // left when the job stopped (a limit on human labels)
    // Of the machine answers against the truth, each item's answer as a whole (exact match).
    double machineAccuracy = 0;
    // Span tasks: the machine's entities against the true ones (exact span and class).
    std::optional<double> entityPrecision, entityRecall, entityF1;
    AuditFigures audit; // what people said of the sampled machine labels
    double seconds = 0;

    double machineShare() const { return items > 0 ? double(machineLabels) / double(items) : 0; }
    double medianLatency() const;
    QJsonObject toJson() const;
};

// Replays a whole job as it would run with people: an oracle answers every human request
// (validation, batches, audits) with the true answer (`truth`: item id -> classes or spans by
// class position; see SimulatedAnnotator), wrongly at `errorRate`, and the learner trains after
// each batch, until the job is done. The job and its labels go to the store as in a real run,
// so a simulation can stop and go on after a restart.
Result<SimulationReport> simulateJob(ProjectStore &store, LabelingJob &job, Learner &learner,
                                     const QHash<qint64, LearnerTruth> &truth,
                                     const SimulationOptions &options = {},
                                     const Progress &progress = {});

} // namespace fieldmark
