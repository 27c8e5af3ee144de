// fieldmark-cli job: start a labeling job over a task and follow it.
#include "cliapp.h"

#include "core/labeling/jobtrainer.h"
#include "core/labeling/labelingjob.h"
#include "core/store/projectstore.h"

#ifdef FIELDMARK_HAVE_LEARN
#include "learn/learners.h"
#include "learn/torchruntime.h"
#endif

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

QString phaseName(LabelingJob::Phase phase)
{
    switch (phase) {
    case LabelingJob::Phase::HumanLabeling:
        return u"waiting for people"_s;
    case LabelingJob::Phase::ReadyToTrain:
        return u"ready to train"_s;
    case LabelingJob::Phase::Done:
        return u"done"_s;
    }
    return {};
}

QJsonObject iterationJson(const IterationRecord &r)
{
    QJsonObject o{{u"number"_s, r.number},
                  {u"human"_s, r.human},
                  {u"machine"_s, r.machine},
                  {u"remaining"_s, r.remaining},
                  {u"trainSeconds"_s, r.trainSeconds},
                  {u"inferSeconds"_s, r.inferSeconds}};
    if (r.validationAccuracy)
        o.insert(u"validationAccuracy"_s, *r.validationAccuracy);
    if (r.threshold)
        o.insert(u"threshold"_s, *r.threshold);
    for (const QString &key : {u"auditSample"_s, u"audited"_s, u"auditAccuracy"_s}) {
        if (r.metrics.contains(key))
            o.insert(key, r.metrics.value(key));
    }
    return o;
}

QJsonObject auditJson(const AuditFigures &audit, const JobSettings &settings)
{
    QJsonObject o{{u"rate"_s, settings.effectiveAuditRate()},
                  {u"audited"_s, audit.audited},
                  {u"correct"_s, audit.correct},
                  {u"waiting"_s, audit.waiting}};
    if (const auto accuracy = audit.accuracy())
        o.insert(u"accuracy"_s, *accuracy);
    return o;
}

std::optional<qint64> count(const QString &text)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    return ok && value >= 0 ? std::optional<qint64>(value) : std::nullopt;
}

} // namespace

int CliApp::stepJob(ProjectStore &store, const QString &project, const QString &name)
{
    auto record = store.jobByName(name);
    if (!record)
        return fail(project, record.errorString());
    auto job = LabelingJob::open(store, record->id);
    if (!job)
        return fail(project, job.errorString());
    switch (job->phase()) {
    case LabelingJob::Phase::Done:
        m_out << "Job '" << name << "' is done: nothing left to train for\n";
        return Success;
    case LabelingJob::Phase::HumanLabeling:
        m_out << "Job '" << name << "' waits for people to label " << job->humanQueue().size()
              << " item(s) before it trains\n";
        return Success;
    case LabelingJob::Phase::ReadyToTrain:
        break;
    }
#ifdef FIELDMARK_HAVE_LEARN
    auto task = store.task(job->record().taskId);
    if (!task)
        return fail(project, task.errorString());
    std::unique_ptr<Learner> learner = createLearner(task->type);
    if (!learner)
        return fail(project,
                    u"no built-in learner for %1 tasks yet"_s.arg(taskTypeName(task->type)));
    configureTorchThreads();
    auto input = job->snapshot();
    if (!input)
        return fail(project, input.errorString());
    JobTrainer trainer(*learner, store.directory());
    auto output = trainer.run(*input, latestJobCheckpoint(store, job->id()));
    if (!output)
        return fail(project, output.errorString());
    auto summary = job->apply(*input, *output);
    if (!summary) {
        QFile::remove(QDir(store.directory()).absoluteFilePath(output->checkpointPath));
        return fail(project, summary.errorString());
    }
    const IterationRecord &r = summary->record;
    m_out << "Job '" << name << "' iteration " << r.number << ": " << summary->machineLabeled
          << " machine label(s) added; " << r.human << " by people, " << r.machine
          << " by the model, " << r.remaining << " left";
    if (r.validationAccuracy)
        m_out << ", validation accuracy " << QString::number(*r.validationAccuracy, 'f', 3);
    if (r.threshold)
        m_out << ", threshold " << QString::number(*r.threshold, 'f', 3);
    m_out << ", training " << QString::number(r.trainSeconds, 'f', 1) << " s, inference "
          << QString::number(r.inferSeconds, 'f', 1) << " s\n";
    if (summary->done)
        m_out << "The job is done\n";
    else
        m_out << summary->nextBatch << " item(s) for people next\n";
    return Success;
#else
    return fail(project, u"this build of %1 has no learners"_s.arg(kProgram));
#endif
}

Result<JobSettings> CliApp::jobSettingsFrom(const QCommandLineParser &parser,
                                            const JobOptions &options)
{
    JobSettings settings;
    auto policy = labelingPolicyFromName(parser.value(options.policy));
    if (!policy)
        return makeError(u"--policy: "_s + policy.errorString());
    settings.policy = *policy;
    const std::pair<const QCommandLineOption *, qint64 *> sizes[] = {
        {&options.batch, &settings.batchSize},
        {&options.validation, &settings.validationSize},
        {&options.maxHuman, &settings.maxHumanLabels},
        {&options.auditMax, &settings.auditMax}};
    for (const auto &[option, value] : sizes) {
        if (!parser.isSet(*option))
            continue;
        const std::optional<qint64> n = count(parser.value(*option));
        if (!n)
            return makeError(u"--%1: expected a whole number, got '%2'"_s.arg(
                option->names().constFirst(), parser.value(*option)));
        *value = *n;
    }
    bool ok = false;
    settings.targetAccuracy = parser.value(options.target).toDouble(&ok);
    if (!ok || settings.targetAccuracy <= 0 || settings.targetAccuracy >= 1)
        return makeError(u"--target: expected an accuracy between 0 and 1, such as 0.95, got "
                         u"'%1'"_s.arg(parser.value(options.target)));
    if (parser.isSet(options.auditRate)) {
        settings.auditRate = parser.value(options.auditRate).toDouble(&ok);
        if (!ok || settings.auditRate < 0 || settings.auditRate >= 1)
            return makeError(u"--audit-rate: expected a share of the machine labels in [0, 1), "
                             u"such as 0.02, got '%1'"_s.arg(parser.value(options.auditRate)));
    }
    settings.seed = parser.value(options.seed).toULongLong(&ok);
    if (!ok)
        return makeError(
            u"--seed: expected a whole number, got '%1'"_s.arg(parser.value(options.seed)));
    return settings;
}

CliApp::JobOptions::JobOptions(QCommandLineParser &parser)
    : task(u"task"_s, u"The label task; needed when the project has several."_s, u"NAME"_s)
    , policy(u"policy"_s,
             u"fieldmark (small batches by uncertainty and diversity, per-class thresholds "
             u"with a lower confidence bound; the default) or groundtruth (SageMaker Ground "
             u"Truth's published policy)."_s,
             u"POLICY"_s, u"fieldmark"_s)
    , batch(u"batch"_s, u"Items per human batch (default: the policy's)."_s, u"N"_s)
    , validation(u"validation"_s,
                 u"Size of the human-labeled validation set (default: the "
                 u"policy's)."_s,
                 u"N"_s)
    , target(u"target"_s, u"Accuracy the machine labels must reach (default 0.95)."_s,
             u"ACCURACY"_s, u"0.95"_s)
    , maxHuman(u"max-human"_s, u"Stop when people have labeled this many items."_s, u"N"_s)
    , seed(u"seed"_s, u"Seed of the random choices (default 1)."_s, u"N"_s, u"1"_s)
    , auditRate(u"audit-rate"_s,
                u"Share of each iteration's machine labels sent to people to measure their "
                u"accuracy (default: 0.02 under fieldmark, 0 under groundtruth)."_s,
                u"RATE"_s)
    , auditMax(u"audit-max"_s, u"At most this many audited items per iteration (default 100)."_s,
               u"N"_s)
    , warmStart(u"warm-start"_s,
                u"Start from the latest model of this other project, trained for a task of the "
                u"same type and classes."_s,
                u"PROJECT_DIR"_s)
{
    parser.addOptions({task, policy, batch, validation, target, maxHuman, seed, warmStart});
    parser.addOptions({auditRate, auditMax});
}

int CliApp::runJob(const QStringList &args)
{
    const QString command = u"job"_s;
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Labeling jobs: people label a validation set and batches, a model trains after each "
        u"batch and labels what it is sure of.\n"
        u"  job PROJECT start NAME   create a job over the task and queue its first items\n"
        u"  job PROJECT step NAME    train once the queue is labeled: machine labels, next "
        u"batch\n"
        u"  job PROJECT status [NAME] [--json]   where a job stands, and its iterations"_s);
    parser.addPositionalArgument(u"PROJECT_DIR"_s, u"The project."_s);
    parser.addPositionalArgument(u"ACTION"_s, u"start, step or status."_s);
    parser.addPositionalArgument(u"NAME"_s, u"The job's name."_s, u"[NAME]"_s);
    const JobOptions options(parser);
    const QCommandLineOption jsonOption(u"json"_s, u"status: print JSON."_s);
    parser.addOption(jsonOption);
    if (const int code = parse(parser, command, args, {u"PROJECT_DIR"_s, u"ACTION"_s}, 3);
        code >= 0)
        return code;
    const QStringList positional = parser.positionalArguments();
    const QString project = positional.at(0);
    const QString action = positional.at(1);
    const QString name = positional.value(2);
    if (action != "start"_L1 && action != "step"_L1 && action != "status"_L1)
        return usageError(parser, command,
                          u"unknown action '%1' (start, step or status)"_s.arg(action));
    std::unique_ptr<ProjectStore> store = openProject(project);
    if (!store)
        return Failure;

    if (action == "start"_L1) {
        if (name.isEmpty())
            return usageError(parser, command, u"start needs a NAME for the job"_s);
        const Result<LabelTask> task = chooseTask(*store, parser.value(options.task));
        if (!task)
            return fail(project, task.errorString());
        auto settings = jobSettingsFrom(parser, options);
        if (!settings)
            return usageError(parser, command, settings.errorString());
        auto job =
            createLabelingJob(*store, task->id, name, *settings, parser.value(options.warmStart));
        if (!job)
            return fail(project, job.errorString());
        m_out << "Started labeling job '" << name << "' on task '" << task->name << "' ("
              << labelingPolicyName(settings->policy) << " policy): " << job->humanQueue().size()
              << " item(s) for people first\n";
        if (parser.isSet(options.warmStart))
            m_out << "Its model starts from the latest model of " << parser.value(options.warmStart)
                  << '\n';
        return Success;
    }
    if (action == "step"_L1) {
        if (name.isEmpty())
            return usageError(parser, command, u"step needs the NAME of the job"_s);
        return stepJob(*store, project, name);
    }

    QList<JobRecord> records = store->jobs();
    if (!name.isEmpty()) {
        auto one = store->jobByName(name);
        if (!one)
            return fail(project, one.errorString());
        records = {*one};
    }
    QJsonArray all;
    for (const JobRecord &record : std::as_const(records)) {
        auto job = LabelingJob::open(*store, record.id);
        if (!job)
            return fail(project, job.errorString());
        const QList<IterationRecord> iterations = job->iterations();
        const qsizetype waiting = job->humanQueue().size();
        const AuditFigures audit = job->audit();
        if (parser.isSet(jsonOption)) {
            QJsonArray list;
            for (const IterationRecord &r : iterations)
                list.append(iterationJson(r));
            all.append(QJsonObject{{u"name"_s, record.name},
                                   {u"policy"_s, record.policy},
                                   {u"phase"_s, phaseName(job->phase())},
                                   {u"waiting"_s, waiting},
                                   {u"audit"_s, auditJson(audit, job->settings())},
                                   {u"iterations"_s, list}});
            continue;
        }
        m_out << "Job '" << record.name << "' (" << record.policy
              << "): " << phaseName(job->phase());
        if (waiting)
            m_out << ", " << waiting << " item(s) waiting for people";
        m_out << '\n';
        if (const auto accuracy = audit.accuracy())
            m_out << "  audit: " << audit.correct << " of " << audit.audited
                  << " sampled machine labels right (estimated accuracy of all machine "
                     "labels "
                  << QString::number(*accuracy, 'f', 3) << ")"
                  << (audit.waiting ? u", %1 waiting"_s.arg(audit.waiting) : QString()) << '\n';
        else if (audit.waiting)
            m_out << "  audit: " << audit.waiting << " sampled machine label(s) waiting\n";
        for (const IterationRecord &r : iterations) {
            m_out << "  iteration " << r.number << ": " << r.human << " by people, " << r.machine
                  << " by the model, " << r.remaining << " left";
            if (r.validationAccuracy)
                m_out << ", validation accuracy " << QString::number(*r.validationAccuracy, 'f', 3);
            m_out << '\n';
        }
    }
    if (parser.isSet(jsonOption))
        m_out << QJsonDocument(all).toJson(QJsonDocument::Indented);
    else if (records.isEmpty())
        m_out << "No labeling jobs yet (" << kProgram << " job " << project << " start NAME)\n";
    return Success;
}

} // namespace fieldmark
