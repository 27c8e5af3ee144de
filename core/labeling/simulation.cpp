#include "simulation.h"

#include "core/labeling/jobtrainer.h"
#include "core/store/projectstore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <random>

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
    return QJsonObject{{u"items"_s, items},
                       {u"humanLabels"_s, humanLabels},
                       {u"machineLabels"_s, machineLabels},
                       {u"unlabeled"_s, unlabeled},
                       {u"machineShare"_s, machineShare()},
                       {u"machineAccuracy"_s, machineAccuracy},
                       {u"seconds"_s, seconds},
                       {u"medianLatencySeconds"_s, medianLatency()},
                       {u"iterations"_s, list}};
}

Result<SimulationReport> simulateJob(ProjectStore &store, LabelingJob &job, Learner &learner,
                                     const QHash<qint64, int> &truth,
                                     const SimulationOptions &options, const Progress &progress)
{
    QElapsedTimer clock;
    clock.start();
    auto task = store.task(job.record().taskId);
    if (!task)
        return task.error();
    QHash<int, qint64> classIds;
    for (const LabelClass &c : task->classes)
        classIds.insert(c.position, c.id);
    auto oracle = store.annotatorId(u"simulated annotator"_s);
    if (!oracle)
        return oracle.error();
    std::mt19937_64 engine(options.seed);
    std::uniform_real_distribution<double> coin(0, 1);

    JobTrainer trainer(learner, store.directory());
    SimulationReport report;
    for (int round = 0; round < options.maxIterations; ++round) {
        if (job.phase() == LabelingJob::Phase::Done)
            break;
        // People label what the job asks for.
        QList<Annotation> answers;
        for (qint64 item : job.humanQueue()) {
            const auto known = truth.constFind(item);
            if (known == truth.cend())
                return makeError(u"the oracle has no label for item %1"_s.arg(item));
            int position = *known;
            if (options.errorRate > 0 && coin(engine) < options.errorRate && classIds.size() > 1) {
                const QList<int> others = classIds.keys();
                do {
                    position = others[qsizetype(engine() % quint64(others.size()))];
                } while (position == *known);
            }
            Annotation a;
            a.itemId = item;
            a.taskId = task->id;
            a.classId = classIds.value(position);
            a.shape = ClassTag{};
            a.provenance.annotatorId = *oracle;
            answers.append(a);
        }
        if (auto added = store.addAnnotations(answers, u"simulation"_s); !added)
            return added.error();

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
    qint64 machineCorrect = 0;
    QSet<qint64> human, machine;
    for (const Annotation &a : store.taskAnnotations(task->id)) {
        const LabelClass *c = task->classById(a.classId);
        if (!c || a.provenance.state == LabelState::Rejected)
            continue;
        if (a.provenance.state == LabelState::Machine) {
            machine.insert(a.itemId);
            machineCorrect += truth.value(a.itemId, -1) == c->position ? 1 : 0;
        } else {
            human.insert(a.itemId);
        }
    }
    report.items = store.itemCount(itemKindForTaskType(task->type));
    report.humanLabels = human.size();
    report.machineLabels = machine.size();
    report.unlabeled = report.items - report.humanLabels - report.machineLabels;
    report.machineAccuracy =
        machine.isEmpty() ? 0 : double(machineCorrect) / double(machine.size());
    report.seconds = double(clock.nsecsElapsed()) / 1e9;
    return report;
}

} // namespace fieldmark
