#include "jobtrainer.h"

#include "core/store/projectstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <optional>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

Error cancelled()
{
    return makeError(u"cancelled"_s);
}

} // namespace

QString trainingPhaseName(TrainingPhase phase)
{
    switch (phase) {
    case TrainingPhase::Preparing:
        return u"preparing"_s;
    case TrainingPhase::Training:
        return u"training"_s;
    case TrainingPhase::Predicting:
        return u"predicting"_s;
    case TrainingPhase::Saving:
        return u"saving"_s;
    }
    return {};
}

QString jobCheckpointPath(qint64 jobId, int iteration)
{
    return u"models/%1/iteration-%2.pt"_s.arg(jobId).arg(iteration);
}

QString latestJobCheckpoint(const ProjectStore &store, qint64 jobId)
{
    const QList<CheckpointRecord> all = store.checkpoints(jobId);
    return all.isEmpty() ? QString() : all.constLast().path;
}

JobTrainer::JobTrainer(Learner &learner, QString projectDirectory)
    : m_learner(&learner)
    , m_directory(std::move(projectDirectory))
{}

Result<IterationOutput> JobTrainer::run(const IterationInput &input,
                                        const QString &latestCheckpoint,
                                        const TrainingProgress &progress)
{
    const auto report = [&](TrainingPhase phase, qint64 step, qint64 total) {
        return !progress || progress(phase, step, total);
    };
    const QDir project(m_directory);
    if (!report(TrainingPhase::Preparing, 0, -1))
        return cancelled();

    // A learner whose weights stand for something else starts again from the job's checkpoint.
    const bool fresh = m_jobId != input.jobId || !(m_learner->schema() == input.schema);
    if (fresh || m_checkpoint != latestCheckpoint) {
        m_jobId = 0;
        if (Result<void> reset = m_learner->reset(input.schema); !reset)
            return reset.error();
        if (!latestCheckpoint.isEmpty()) {
            if (Result<void> loaded = m_learner->loadCheckpoint(
                    project.absoluteFilePath(latestCheckpoint), input.schema);
                !loaded)
                return loaded.error();
        }
        m_jobId = input.jobId;
        m_checkpoint = latestCheckpoint;
    }
    // From here until the new checkpoint is saved the weights are this run's own: if it stops
    // half-way, the next run starts from the checkpoint again.
    m_jobId = 0;

    // The validation set calibrates the thresholds; the model never trains on it.
    auto trained = m_learner->train(input.training, Progress([&](qint64 done, qint64 total) {
                                        return report(TrainingPhase::Training, done, total);
                                    }));
    if (!trained)
        return trained.error();

    QList<LearnerItem> toPredict;
    toPredict.reserve(input.validation.size() + input.unlabeled.size());
    for (const LearnerExample &e : input.validation)
        toPredict.append(e.item);
    toPredict += input.unlabeled;
    QElapsedTimer inferClock;
    inferClock.start();
    auto predicted = m_learner->predict(toPredict, Progress([&](qint64 done, qint64 total) {
                                            return report(TrainingPhase::Predicting, done, total);
                                        }));
    if (!predicted)
        return predicted.error();
    if (predicted->size() != toPredict.size())
        return makeError(u"the %1 learner answered for %2 of %3 items"_s.arg(m_learner->name())
                             .arg(predicted->size())
                             .arg(toPredict.size()));

    IterationOutput output;
    output.training = *trained;
    output.inferSeconds = double(inferClock.nsecsElapsed()) / 1e9;
    output.learner = m_learner->name();
    output.validation = predicted->mid(0, input.validation.size());
    output.unlabeled = predicted->mid(input.validation.size());

    if (!report(TrainingPhase::Saving, 0, 1))
        return cancelled();
    const QString relative = jobCheckpointPath(input.jobId, input.number);
    const QString absolute = project.absoluteFilePath(relative);
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath()))
        return makeError(u"%1: cannot create the folder for the model checkpoint"_s.arg(
            QFileInfo(absolute).absolutePath()));
    if (Result<void> saved = m_learner->saveCheckpoint(absolute); !saved)
        return saved.error();
    report(TrainingPhase::Saving, 1, 1);
    output.checkpointPath = relative;
    m_jobId = input.jobId;
    m_checkpoint = relative;
    return output;
}

Result<WarmStart> findWarmStart(const QString &projectDirectory, const LearnerSchema &schema)
{
    ProjectStore::OpenOptions options;
    options.checkIntegrity = false; // only a few rows are read
    auto other = ProjectStore::open(projectDirectory, options);
    if (!other)
        return makeError(u"%1: %2"_s.arg(projectDirectory, other.errorString()));
    const QString where = u"the model of project %1"_s.arg(projectDirectory);
    const QList<CheckpointRecord> all = (*other)->checkpoints();
    // The latest model of the same classes; when there is none, the latest of the same type
    // says why it cannot serve.
    std::optional<Error> mismatch;
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        auto task = (*other)->task(it->taskId);
        if (!task || task->type != schema.type)
            continue;
        LearnerSchema trained;
        trained.type = task->type;
        trained.classes = it->classes.split(u'\n');
        if (Result<void> matches = checkSchemaMatches(trained, schema, where); !matches) {
            if (!mismatch)
                mismatch = matches.error();
            continue;
        }
        WarmStart found;
        found.project = projectDirectory;
        found.path = QDir((*other)->directory()).absoluteFilePath(it->path);
        found.learner = it->learner;
        if (!QFileInfo::exists(found.path))
            return makeError(u"%1: the model checkpoint of project %2 is missing"_s.arg(
                found.path, projectDirectory));
        return found;
    }
    if (mismatch)
        return *mismatch;
    return makeError(u"project %1 has no trained model for a %2 task"_s.arg(
        projectDirectory, taskTypeName(schema.type)));
}

Result<void> adoptWarmStart(ProjectStore &store, const LabelingJob &job, const WarmStart &from)
{
    const QString relative = u"models/%1/warm-start.pt"_s.arg(job.id());
    const QString absolute = QDir(store.directory()).absoluteFilePath(relative);
    if (!QDir().mkpath(QFileInfo(absolute).absolutePath()))
        return makeError(u"%1: cannot create the folder for the model checkpoint"_s.arg(
            QFileInfo(absolute).absolutePath()));
    // QFile::copy writes a temporary file and renames it: a crash leaves no half checkpoint.
    QFile::remove(absolute);
    QFile source(from.path);
    if (!source.copy(absolute))
        return makeError(u"%1: cannot copy the model checkpoint to %2 (%3)"_s.arg(
            from.path, absolute, source.errorString()));
    auto task = store.task(job.record().taskId);
    if (!task)
        return task.error();
    CheckpointRecord record;
    record.jobId = job.id();
    record.taskId = task->id;
    record.learner = from.learner;
    record.path = relative;
    record.classes = LearnerSchema::of(*task).classes.join(u'\n');
    record.metrics = QJsonObject{{u"warmStartFrom"_s, from.project}};
    if (auto added = store.addCheckpoint(record); !added) {
        QFile::remove(absolute);
        return added.error();
    }
    return {};
}

Result<LabelingJob> createLabelingJob(ProjectStore &store, qint64 taskId, const QString &name,
                                      const JobSettings &settings, const QString &warmStartProject)
{
    std::optional<WarmStart> warmStart;
    if (!warmStartProject.isEmpty()) {
        auto task = store.task(taskId);
        if (!task)
            return task.error();
        auto found =
            findWarmStart(QFileInfo(warmStartProject).absoluteFilePath(), LearnerSchema::of(*task));
        if (!found)
            return found.error();
        warmStart = *found;
    }
    std::optional<LabelingJob> created;
    auto saved = store.transact([&]() -> Result<void> {
        auto job = LabelingJob::create(store, taskId, name, settings);
        if (!job)
            return job.error();
        created = std::move(job).value();
        return warmStart ? adoptWarmStart(store, *created, *warmStart) : Result<void>();
    });
    if (!saved)
        return saved.error();
    return *created;
}

} // namespace fieldmark
