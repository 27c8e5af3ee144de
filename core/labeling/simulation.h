#pragma once

#include "core/labeling/labelingjob.h"

#include <QHash>
#include <QJsonObject>

namespace fieldmark {

struct SimulationOptions
{
    double errorRate = 0; // how often the simulated annotator picks a wrong class
    quint64 seed = 1;
    int maxIterations = 10000;
};

struct SimulationReport
{
    QList<IterationSummary> iterations;
    qint64 items = 0;
    qint64 humanLabels = 0;     // items people labeled (validation included)
    qint64 machineLabels = 0;   // items the model labeled
    qint64 unlabeled = 0;       // left when the job stopped (a limit on human labels)
    double machineAccuracy = 0; // of the machine labels against the truth
    double seconds = 0;

    double machineShare() const { return items > 0 ? double(machineLabels) / double(items) : 0; }
    QJsonObject toJson() const;
};

// Replays a whole job as it would run with people: an oracle answers every human request with
// the true class (`truth`: item id -> class position), wrongly at `errorRate`, and the learner
// trains after each batch, until the job is done. The job and its labels go to the store as in
// a real run, so a simulation can stop and go on after a restart.
Result<SimulationReport> simulateJob(ProjectStore &store, LabelingJob &job, Learner &learner,
                                     const QHash<qint64, int> &truth,
                                     const SimulationOptions &options = {},
                                     const Progress &progress = {});

} // namespace fieldmark
