#pragma once

#include "core/labeling/learner.h"
#include "core/store/jobrecords.h"
#include "core/util/result.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace fieldmark {

class ProjectStore;

// Who chooses what people label, and how machine labels are admitted.
enum class LabelingPolicy {
    // SageMaker Ground Truth's published policy: a random validation set (20% of the data
    // below 5,000 items, 10% above), random batches of 1,000, one threshold whose validation
    // accuracy (the point estimate) reaches the target.
    GroundTruth,
    // Fieldmark's: small batches chosen by uncertainty and diversity once a model exists, and
    // per-class thresholds whose accuracy's lower confidence bound reaches the target (the
    // pooled bound for a class with too few validation answers to prove its own).
    Fieldmark,
};

QString labelingPolicyName(LabelingPolicy policy);
Result<LabelingPolicy> labelingPolicyFromName(const QString &name);

struct JobSettings
{
    LabelingPolicy policy = LabelingPolicy::Fieldmark;
    double targetAccuracy = 0.95;
    qint64 batchSize = 0;      // 0: the policy's default for the items still open
    qint64 validationSize = 0; // 0: the policy's default
    qint64 maxHumanLabels = 0; // 0: no limit; the job stops when people have labeled this many
    quint64 seed = 1;
    // The audit sample: this share of each iteration's machine labels (at least one, at most
    // auditMax) goes to people, whose answers measure the machine labels' real accuracy.
    // Negative: the policy's default (Fieldmark 2%, Ground Truth none, as published).
    double auditRate = -1;
    qint64 auditMax = 100;

    QJsonObject toJson() const;
    static Result<JobSettings> fromJson(const QJsonObject &json);
    // The sizes a policy uses for a job over `items` items, where the settings leave them 0.
    qint64 effectiveBatchSize(qint64 items) const;
    qint64 effectiveValidationSize(qint64 items) const;
    double effectiveAuditRate() const;
};

// What people said of the sampled machine labels so far.
struct AuditFigures
{
    qint64 audited = 0; // machine answers people answered again
    qint64 correct = 0; // of those, the same answer
    qint64 waiting = 0; // sampled, not answered yet
    // Each audited answer weighs the machine labels it stands for (its iteration's machine
    // labels over that iteration's sample), so the estimate is of all the machine labels, not
    // of the sample's mix of iterations.
    double weight = 0;
    double weightCorrect = 0;

    // The estimated accuracy of the machine labels.
    std::optional<double> accuracy() const
    {
        if (audited <= 0)
            return std::nullopt;
        return weight > 0 ? weightCorrect / weight : double(correct) / double(audited);
    }
};

// What the learner thread gets: values only, so the annotator goes on working meanwhile.
struct IterationInput
{
    qint64 jobId = 0;
    int number = 0; // 1 for the first training
    LearnerSchema schema;
    QList<LearnerExample> training;   // labeled by people (or reviewed), validation excluded
    QList<LearnerExample> validation; // the human-labeled validation set
    QList<LearnerItem> unlabeled;     // to predict: machine labels and the next batch
};

// What it gives back.
struct IterationOutput
{
    QList<LearnerPrediction> validation; // in IterationInput::validation's order
    QList<LearnerPrediction> unlabeled;  // in IterationInput::unlabeled's order
    TrainingReport training;
    double inferSeconds = 0;
    QString learner;        // the learner's name
    QString checkpointPath; // where the model was saved, relative to the project; may be empty
};

// What one iteration did, as also stored in the job's history.
struct IterationSummary
{
    IterationRecord record;
    qsizetype machineLabeled = 0; // by this iteration
    qsizetype nextBatch = 0;      // items sent to people next
    qsizetype auditSample = 0;    // machine labels sent to people to audit
    bool done = false;
};

// A labeling job over a classification task (image or text, single or multi-label) or an entity
// span task, as a state machine whose state lives in the store, so it survives a restart: the
// items it sent to people (validation set, batches, audit samples) and their roles, its
// settings and evolving state, its iterations. Items' answers are read as itemanswers.h says.
//
// The cycle: people label the queue (humanQueue()); when it is empty the job is ready to
// train; snapshot() gives the learner its input; apply() takes the predictions, calibrates the
// thresholds on the validation set, writes the confident answers as machine labels awaiting
// review, queues the next batch and the audit sample and records the iteration, all in one
// transaction.
//
// Audit: the machine answers sampled are remembered in the job's state; when a person has
// answered such an item (labels of their own, or a reviewed item with nothing pending), the
// next apply() compares the answers, counts the audit, and lets the person's answer stand:
// machine labels still pending on the item are rejected and the model's "nothing to label"
// cleared. The job is not done while sampled items wait for people, so the last iteration's
// machine labels are measured too (at the price of one more iteration).
class LabelingJob
{
public:
    enum class Phase { HumanLabeling, ReadyToTrain, Done };

    static Result<LabelingJob> create(ProjectStore &store, qint64 taskId, const QString &name,
                                      const JobSettings &settings);
    static Result<LabelingJob> open(ProjectStore &store, qint64 jobId);

    qint64 id() const { return m_record.id; }
    const JobRecord &record() const { return m_record; }
    const JobSettings &settings() const { return m_settings; }
    Phase phase() const;
    // Whether the job is done, without the scan of the task's labels phase() makes.
    bool isDone() const;
    // Items the job waits for people to label, validation items first.
    QList<qint64> humanQueue() const;
    QList<IterationRecord> iterations() const;
    AuditFigures audit() const;

    Result<IterationInput> snapshot() const;
    Result<IterationSummary> apply(const IterationInput &input, const IterationOutput &output);

private:
    LabelingJob(ProjectStore &store, JobRecord record, JobSettings settings);

    ProjectStore *m_store;
    JobRecord m_record;
    JobSettings m_settings;
};

} // namespace fieldmark
