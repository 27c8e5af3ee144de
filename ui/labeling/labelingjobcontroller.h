#pragma once

#include "core/labeling/jobtrainer.h"
#include "core/labeling/labelingjob.h"

#include <QObject>
#include <QSet>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace fieldmark {

class ProjectStore;

// Runs the open project's labeling job in the application: when people have labeled the job's
// queue it snapshots the labeled data, trains and predicts on its own worker thread while the
// annotator goes on working, then writes the machine labels and the next batch on the GUI
// thread (the store's). It owns the worker thread and the learner, which it gets from a
// factory, so ui never sees torch: the application passes createLearner, tests a small fake.
//
// The job's state is in the store, so it carries on after the project is reopened; pausing
// is for this session only, and cancels a running training, which leaves nothing behind.
class LabelingJobController : public QObject
{
    Q_OBJECT

public:
    using LearnerFactory = std::function<std::unique_ptr<Learner>(TaskType type)>;

    explicit LabelingJobController(QObject *parent = nullptr);
    ~LabelingJobController() override;

    void setLearnerFactory(LearnerFactory factory);
    // The project (nullptr: none). Opens its latest unfinished job (or its last one) and goes on
    // with it; a training for the previous project is cancelled.
    void setStore(ProjectStore *store);
    ProjectStore *store() const { return m_store; }

    // Starts a job over the task and makes it the current one; with `warmStartProject`, its
    // model starts from that project's (refused, with the reason, when the classes differ).
    Result<void> start(qint64 taskId, const QString &name, const JobSettings &settings,
                       const QString &warmStartProject = {});
    void pause();
    void resume();
    // Looks at the job again after the labels of an item (0: of any items) changed: trains once
    // its queue is empty. Items the job never sent to people cannot change its queue, so an
    // edit of one (a review, say) costs nothing.
    void labelsChanged(qint64 itemId = 0);

    const LabelingJob *job() const { return m_job ? &*m_job : nullptr; }
    bool isTraining() const { return m_training; }
    bool isPaused() const { return m_paused; }
    // Items the job waits for people to label.
    qsizetype waiting() const { return m_waiting; }
    // Why the last training failed; empty after a success or a resume.
    QString errorString() const { return m_error; }

Q_SIGNALS:
    // The job, its phase or its queue changed.
    void stateChanged();
    // How far the running training has come.
    void progressChanged(fieldmark::TrainingPhase phase, qint64 step, qint64 total);
    // An iteration's machine labels and next batch are in the store.
    void iterationApplied(const fieldmark::IterationSummary &summary);
    // A training or its writing failed; the job is paused.
    void failed(const QString &message);

private:
    // The learner and what its weights stand for; shared with the run on the worker thread, so
    // a new project may replace it while an old run winds down.
    struct Engine
    {
        std::unique_ptr<Learner> learner;
        JobTrainer trainer;
        QString directory;
        TaskType type;
    };

    void check();
    void train();
    void finished(quint64 run, const IterationInput &input, const Result<IterationOutput> &output);
    void cancelRun();
    void fail(const QString &message);
    void updateWaiting();

    LearnerFactory m_factory;
    ProjectStore *m_store = nullptr;
    std::optional<LabelingJob> m_job;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread: the context the runs execute in
    std::shared_ptr<Engine> m_engine;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_run = 0; // the run whose result counts; earlier ones are dropped
    bool m_training = false;
    bool m_paused = false;
    qsizetype m_waiting = 0;
    QSet<qint64> m_jobItems; // every item the job sent to people
    QString m_error;
};

} // namespace fieldmark
