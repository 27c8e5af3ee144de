#include "simulation.h"

#include "core/store/projectstore.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>

#include <random>

using namespace Qt::StringLiterals;

namespace fieldmark {

QJsonObject SimulationReport::toJson() const
{
    QJsonArray list;
    for (const IterationSummary &s : iterations) {
        const IterationRecord &r = s.record;
        QJsonObject o{{u"number"_s, r.number},
                      {u"human"_s, r.human},
                      {u"machine"_s, r.machine},
                      {u"remaining"_s, r.remaining},
                      {u"machineLabeled"_s, s.machineLabeled},
                      {u"nextBatch"_s, s.nextBatch},
                      {u"trainSeconds"_s, r.trainSeconds},
                      {u"inferSeconds"_s, r.inferSeconds}};
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

        auto input = job.snapshot();
        if (!input)
            return input.error();
        if (!(learner.schema() == input->schema)) {
            if (auto reset = learner.reset(input->schema); !reset)
                return reset.error();
        }
        // The validation set calibrates the thresholds; the model never trains on it.
        auto trained = learner.train(input->training, progress);
        if (!trained)
            return trained.error();
        QList<LearnerItem> toPredict;
        for (const LearnerExample &e : std::as_const(input->validation))
            toPredict.append(e.item);
        toPredict += input->unlabeled;
        QElapsedTimer inferClock;
        inferClock.start();
        auto predicted = learner.predict(toPredict, progress);
        if (!predicted)
            return predicted.error();
        IterationOutput output;
        output.training = *trained;
        output.inferSeconds = double(inferClock.nsecsElapsed()) / 1e9;
        output.learner = learner.name();
        output.validation = predicted->mid(0, input->validation.size());
        output.unlabeled = predicted->mid(input->validation.size());
        auto applied = job.apply(*input, output);
        if (!applied)
            return applied.error();
        report.iterations.append(*applied);
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
