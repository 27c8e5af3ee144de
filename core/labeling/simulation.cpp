#include "simulation.h"

#include "core/labeling/itemanswers.h"
#include "core/labeling/jobtrainer.h"
#include "core/labeling/simulatedannotator.h"
#include "core/store/projectstore.h"

#include <QElapsedTimer>
#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

double SimulationReport::medianLatency() const
{
    if (latencies.isEmpty())
        return 0;
    QList<double> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype n = sorted.size();
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

QJsonObject SimulationReport::toJson() const
{
    QJsonArray list;
    for (qsizetype k = 0; k < iterations.size(); ++k) {
        const IterationSummary &s = iterations[k];
        const IterationRecord &r = s.record;
        QJsonObject o{{u"number"_s, r.number},
                      {u"human"_s, r.human},
                      {u"machine"_s, r.machine},
                      {u"remaining"_s, r.remaining},
                      {u"machineLabeled"_s, s.machineLabeled},
                      {u"nextBatch"_s, s.nextBatch},
                      {u"auditSample"_s, s.auditSample},
                      {u"trainSeconds"_s, r.trainSeconds},
                      {u"inferSeconds"_s, r.inferSeconds},
                      {u"latencySeconds"_s, latencies.value(k)}};
        if (r.validationAccuracy)
            o.insert(u"validationAccuracy"_s, *r.validationAccuracy);
        if (r.threshold)
            o.insert(u"threshold"_s, *r.threshold);
        o.insert(u"thresholds"_s, r.metrics.value(u"thresholds"_s));
        list.append(o);
    }
    QJsonObject json{
        {u"items"_s, items},
        {u"humanLabels"_s, humanLabels},
        {u"machineLabels"_s, machineLabels},
        {u"unlabeled"_s, unlabeled},
        {u"machineShare"_s, machineShare()},
        {u"machineAccuracy"_s, machineAccuracy},
        {u"audited"_s, audit.audited},
        {u"auditCorrect"_s, audit.correct},
        {u"auditAccuracy"_s, audit.accuracy() ? QJsonValue(*audit.accuracy()) : QJsonValue()},
        {u"seconds"_s, seconds},
        {u"medianLatencySeconds"_s, medianLatency()},
        {u"iterations"_s, list}};
    if (entityF1) {
        json.insert(u"entityPrecision"_s, *entityPrecision);
        json.insert(u"entityRecall"_s, *entityRecall);
        json.insert(u"entityF1"_s, *entityF1);
    }
    return json;
}

Result<SimulationReport> simulateJob(ProjectStore &store, LabelingJob &job, Learner &learner,
                                     const QHash<qint64, LearnerTruth> &truth,
                                     const SimulationOptions &options, const Progress &progress)
{
    QElapsedTimer clock;
    clock.start();
    auto task = store.task(job.record().taskId);
    if (!task)
        return task.error();
    SimulatedAnnotator annotator(store, *task, truth, options.errorRate, options.seed);

    JobTrainer trainer(learner, store.directory());
    SimulationReport report;
    for (int round = 0; round < options.maxIterations; ++round) {
        if (job.phase() == LabelingJob::Phase::Done)
            break;
        // People label what the job asks for.
        if (auto answered = annotator.answer(job.humanQueue()); !answered)
            return answered.error();

        QElapsedTimer latency;
        latency.start();
        auto input = job.snapshot();
        if (!input)
            return input.error();
        // The learner's own steps only ask whether to go on; progress counts iterations.
        auto output =
            trainer.run(*input, latestJobCheckpoint(store, job.id()),
                        [&](TrainingPhase, qint64, qint64) { return progress.advance(round, -1); });
        if (!output)
            return output.error();
        auto applied = job.apply(*input, *output);
        if (!applied)
            return applied.error();
        report.iterations.append(*applied);
        report.latencies.append(double(latency.nsecsElapsed()) / 1e9);
        if (!progress.advance(round + 1, -1))
            return makeError(u"cancelled"_s);
    }

    // The outcome, against the truth.
    const TaskAnswers answers = readTaskAnswers(store, *task);
    qint64 machineCorrect = 0, predictedEntities = 0, trueEntities = 0, matchedEntities = 0;
    for (auto it = answers.machine.cbegin(); it != answers.machine.cend(); ++it) {
        const auto known = truth.constFind(it.key());
        const LearnerTruth right =
            known == truth.cend() ? LearnerTruth{} : normalisedAnswer(*known);
        machineCorrect += known != truth.cend() && sameAnswer(*it, right) ? 1 : 0;
        predictedEntities += it->spans.size();
        trueEntities += right.spans.size();
        matchedEntities += matchingSpans(*it, right);
    }
    report.items = store.itemCount(itemKindForTaskType(task->type));
    report.humanLabels = answers.human.size();
    report.machineLabels = answers.machine.size();
    report.unlabeled = report.items - report.humanLabels - report.machineLabels;
    report.machineAccuracy =
        answers.machine.isEmpty() ? 0 : double(machineCorrect) / double(answers.machine.size());
    if (task->type == TaskType::Spans) {
        // No entity claimed is no entity wrong; none to find is none missed.
        const double precision =
            predictedEntities > 0 ? double(matchedEntities) / double(predictedEntities) : 1;
        const double recall = trueEntities > 0 ? double(matchedEntities) / double(trueEntities) : 1;
        report.entityPrecision = precision;
        report.entityRecall = recall;
        report.entityF1 =
            precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }
    report.audit = job.audit();
    report.seconds = double(clock.nsecsElapsed()) / 1e9;
    return report;
}

} // namespace fieldmark
