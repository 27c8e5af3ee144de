#include "labelingjobcontroller.h"

#include "core/store/projectstore.h"
#include "ui/displaynames.h"

#include <QDir>
#include <QFile>

namespace fieldmark {

LabelingJobController::LabelingJobController(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("labeling job"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

LabelingJobController::~LabelingJobController()
{
    cancelRun();
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
}

void LabelingJobController::setLearnerFactory(LearnerFactory factory)
{
    m_factory = std::move(factory);
    m_engine.reset();
}

void LabelingJobController::setStore(ProjectStore *store)
{
    cancelRun();
    m_store = store;
    m_job.reset();
    m_paused = false;
    m_error.clear();
    if (m_store) {
        // The job to go on with: the latest one not done, else the latest one.
        const QList<JobRecord> jobs = m_store->jobs();
        std::optional<qint64> chosen;
        if (!jobs.isEmpty())
            chosen = jobs.constLast().id;
        for (auto it = jobs.crbegin(); it != jobs.crend(); ++it) {
            if (it->state != QStringLiteral("done")) {
                chosen = it->id;
                break;
            }
        }
        if (chosen) {
            auto job = LabelingJob::open(*m_store, *chosen);
            if (job)
                m_job = std::move(job).value();
            else
                m_error = job.errorString();
        }
    }
    updateWaiting();
    Q_EMIT stateChanged();
    check();
}

Result<void> LabelingJobController::start(qint64 taskId, const QString &name,
                                          const JobSettings &settings,
                                          const QString &warmStartProject)
{
    if (!m_store)
        return makeError(tr("No project is open."));
    auto job = createLabelingJob(*m_store, taskId, name, settings, warmStartProject);
    if (!job)
        return job.error();
    cancelRun();
    m_job = std::move(job).value();
    m_paused = false;
    m_error.clear();
    updateWaiting();
    Q_EMIT stateChanged();
    check();
    return {};
}

void LabelingJobController::pause()
{
    if (!m_job || m_paused)
        return;
    m_paused = true;
    cancelRun();
    Q_EMIT stateChanged();
}

void LabelingJobController::resume()
{
    if (!m_job)
        return;
    m_paused = false;
    m_error.clear();
    updateWaiting();
    Q_EMIT stateChanged();
    check();
}

void LabelingJobController::labelsChanged(qint64 itemId)
{
    if (!m_job || (itemId != 0 && !m_jobItems.contains(itemId)))
        return;
    const qsizetype before = m_waiting;
    updateWaiting();
    if (m_waiting != before)
        Q_EMIT stateChanged();
    check();
}

void LabelingJobController::updateWaiting()
{
    m_jobItems.clear();
    if (m_job) {
        for (const JobItemRecord &item : m_store->jobItems(m_job->id()))
            m_jobItems.insert(item.itemId);
    }
    // One scan of the task's labels per edit (tens of ms on 20,000 items): phase() would
    // make another.
    m_waiting = m_job && !m_job->isDone() ? m_job->humanQueue().size() : 0;
}

void LabelingJobController::check()
{
    if (!m_store || !m_job || m_paused || m_training)
        return;
    // m_waiting is up to date: every caller updates it first.
    if (!m_job->isDone() && m_waiting == 0)
        train();
}

void LabelingJobController::train()
{
    auto input = m_job->snapshot();
    if (!input) {
        fail(input.errorString());
        return;
    }
    const QString directory = m_store->directory();
    if (!m_engine || m_engine->directory != directory || m_engine->type != input->schema.type) {
        std::unique_ptr<Learner> learner = m_factory ? m_factory(input->schema.type) : nullptr;
        if (!learner) {
            fail(tr("Fieldmark has no learner for %1 tasks.")
                     .arg(taskTypeDisplayName(input->schema.type)));
            return;
        }
        Learner &model = *learner;
        m_engine = std::make_shared<Engine>(Engine{std::move(learner), JobTrainer(model, directory),
                                                   directory, input->schema.type});
    }

    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancel;
    const quint64 run = ++m_run;
    m_training = true;
    m_error.clear();
    Q_EMIT stateChanged();
    Q_EMIT progressChanged(TrainingPhase::Preparing, 0, -1);

    auto shared = std::make_shared<const IterationInput>(std::move(input).value());
    const QString latest = latestJobCheckpoint(*m_store, m_job->id());
    // The run holds the engine and the input by value: neither changes under it. This
    // controller outlives it (its destructor waits for the thread), and what it posts back is
    // dropped by Qt if the controller is gone.
    QMetaObject::invokeMethod(m_worker, [this, engine = m_engine, shared, latest, cancel, run] {
        TrainingPhase shownPhase = TrainingPhase::Preparing;
        qint64 shownPermille = -1;
        const Result<IterationOutput> output = engine->trainer.run(
            *shared, latest, [&](TrainingPhase phase, qint64 step, qint64 total) {
                if (cancel->load())
                    return false;
                // A few hundred updates a run at most: enough for a progress bar.
                const qint64 permille = total > 0 ? step * 1000 / total : -1;
                if (phase != shownPhase || permille != shownPermille) {
                    shownPhase = phase;
                    shownPermille = permille;
                    QMetaObject::invokeMethod(
                        this,
                        [this, run, phase, step, total] {
                            if (run == m_run && m_training)
                                Q_EMIT progressChanged(phase, step, total);
                        },
                        Qt::QueuedConnection);
                }
                return true;
            });
        const QString directory = engine->directory;
        QMetaObject::invokeMethod(
            this,
            [this, run, shared, output, directory] {
                if (run != m_run) {
                    // Paused or replaced after it finished: its checkpoint was never recorded.
                    if (output)
                        QFile::remove(QDir(directory).absoluteFilePath(output->checkpointPath));
                    return;
                }
                finished(run, *shared, output);
            },
            Qt::QueuedConnection);
    });
}

void LabelingJobController::finished(quint64, const IterationInput &input,
                                     const Result<IterationOutput> &output)
{
    m_training = false;
    m_cancel.reset();
    if (!output) {
        fail(output.errorString());
        return;
    }
    auto summary = m_job->apply(input, *output);
    if (!summary) {
        QFile::remove(QDir(m_store->directory()).absoluteFilePath(output->checkpointPath));
        fail(summary.errorString());
        return;
    }
    updateWaiting();
    Q_EMIT iterationApplied(*summary);
    Q_EMIT stateChanged();
    check();
}

void LabelingJobController::cancelRun()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
    ++m_run;
    m_training = false;
}

void LabelingJobController::fail(const QString &message)
{
    m_paused = true;
    m_error = message;
    Q_EMIT stateChanged();
    Q_EMIT failed(message);
}

} // namespace fieldmark
