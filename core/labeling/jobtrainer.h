#pragma once

#include "core/labeling/labelingjob.h"

#include <functional>

namespace fieldmark {

// Where one training run of a labeling job stands, for a progress bar.
enum class TrainingPhase {
    Preparing,  // resetting the learner or loading the job's last checkpoint
    Training,   // step of total optimiser steps
    Predicting, // item of total items
    Saving,     // writing the checkpoint
};

QString trainingPhaseName(TrainingPhase phase);

// Called with the phase and how far it has come (total -1 while unknown); false cancels.
using TrainingProgress = std::function<bool(TrainingPhase phase, qint64 step, qint64 total)>;

// Runs the learner for one iteration of a labeling job: the part of an iteration between
// LabelingJob::snapshot() and LabelingJob::apply(). The same code serves `simulate`, `job
// step` and the application, which runs it on a worker thread: it never touches the store, only
// the values it is given and the project's folder, where it writes the checkpoint.
//
// It remembers which job and checkpoint the learner's weights stand for, so a learner kept
// between iterations trains on from where it was, and a fresh one (or one that was cancelled
// half-way, or served another job) starts from the job's latest checkpoint: a warm start.
class JobTrainer
{
public:
    // `projectDirectory` is the project's folder; checkpoints go under its models/ folder.
    JobTrainer(Learner &learner, QString projectDirectory);

    Learner &learner() const { return *m_learner; }

    // Trains on the input's training examples and predicts the validation and unlabeled items.
    // `latestCheckpoint` is the job's latest checkpoint, relative to the project (empty: none).
    // On success the checkpoint of this iteration is saved (as a whole file or not at all) and
    // named in the output; on cancel or failure nothing is written.
    Result<IterationOutput> run(const IterationInput &input, const QString &latestCheckpoint,
                                const TrainingProgress &progress = {});

private:
    Learner *m_learner;
    QString m_directory;
    // What the learner's weights are: the job they were trained for and the checkpoint they
    // equal. A job id of 0: unknown, so the next run starts from the checkpoint.
    qint64 m_jobId = 0;
    QString m_checkpoint;
};

// Where a job's checkpoint of an iteration goes, relative to the project.
QString jobCheckpointPath(qint64 jobId, int iteration);

// The job's latest checkpoint, relative to the project; empty when it has none.
QString latestJobCheckpoint(const ProjectStore &store, qint64 jobId);

// A model to start from, found in another project (Ground Truth's job chaining).
struct WarmStart
{
    QString project; // the other project's folder
    QString path;    // the checkpoint file, absolute
    QString learner;
};

// The latest checkpoint in the project at `projectDirectory` for a task of the schema's type
// and classes; when its models of that type were all trained for other classes, the latest
// one's refusal (checkSchemaMatches' message, naming the project).
Result<WarmStart> findWarmStart(const QString &projectDirectory, const LearnerSchema &schema);

// Copies the warm start into this project as the job's first checkpoint (a file written whole
// or not at all, and its record).
Result<void> adoptWarmStart(ProjectStore &store, const LabelingJob &job, const WarmStart &from);

// Creates a labeling job over the task that, when `warmStartProject` is set, starts from that
// project's model (findWarmStart, checked before anything is written here).
Result<LabelingJob> createLabelingJob(ProjectStore &store, qint64 taskId, const QString &name,
                                      const JobSettings &settings,
                                      const QString &warmStartProject = {});

} // namespace fieldmark
