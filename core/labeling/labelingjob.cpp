#include "labelingjob.h"

#include "core/labeling/batchselection.h"
#include "core/labeling/calibration.h"
#include "core/labeling/itemanswers.h"
#include "core/store/projectstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

const QString kValidation = u"validation"_s;
const QString kBatch = u"batch"_s;
const QString kLabeling = u"labeling"_s;
const QString kDone = u"done"_s;
// Under Fieldmark's policy, the share of each human batch drawn at random from the pool as
// fresh validation items.
constexpr double kFreshValidation = 0.25;

const QString kAudit = u"audit"_s;
// The job state's audit entry: {"pending": {item id: machine answer}, "weights": {item id:
// machine labels it stands for}, "audited": n, "correct": n, "weight": w, "weightCorrect": w}.
const QString kAuditState = u"audit"_s;

QList<qsizetype> indices(qsizetype count)
{
    QList<qsizetype> all(count);
    for (qsizetype i = 0; i < count; ++i)
        all[i] = i;
    return all;
}

} // namespace

QString labelingPolicyName(LabelingPolicy policy)
{
    return policy == LabelingPolicy::GroundTruth ? u"groundtruth"_s : u"fieldmark"_s;
}

Result<LabelingPolicy> labelingPolicyFromName(const QString &name)
{
    if (name == u"groundtruth"_s)
        return LabelingPolicy::GroundTruth;
    if (name == u"fieldmark"_s)
        return LabelingPolicy::Fieldmark;
    return makeError(u"unknown labeling policy '%1' (groundtruth or fieldmark)"_s.arg(name));
}

QJsonObject JobSettings::toJson() const
{
    return QJsonObject{{u"policy"_s, labelingPolicyName(policy)},
                       {u"targetAccuracy"_s, targetAccuracy},
                       {u"batchSize"_s, batchSize},
                       {u"validationSize"_s, validationSize},
                       {u"maxHumanLabels"_s, maxHumanLabels},
                       {u"seed"_s, QString::number(seed)},
                       {u"auditRate"_s, auditRate},
                       {u"auditMax"_s, auditMax}};
}

Result<JobSettings> JobSettings::fromJson(const QJsonObject &json)
{
    JobSettings settings;
    auto policy = labelingPolicyFromName(json.value(u"policy"_s).toString());
    if (!policy)
        return policy.error();
    settings.policy = *policy;
    settings.targetAccuracy = json.value(u"targetAccuracy"_s).toDouble(0.95);
    settings.batchSize = json.value(u"batchSize"_s).toInteger();
    settings.validationSize = json.value(u"validationSize"_s).toInteger();
    settings.maxHumanLabels = json.value(u"maxHumanLabels"_s).toInteger();
    settings.seed = json.value(u"seed"_s).toString().toULongLong();
    settings.auditRate = json.value(u"auditRate"_s).toDouble(-1);
    settings.auditMax = json.value(u"auditMax"_s).toInteger(100);
    if (settings.auditRate >= 1)
        return makeError(
            u"the audit rate must lie below 1 (a share of the machine labels), not %1"_s.arg(
                settings.auditRate));
    if (settings.auditMax < 0)
        return makeError(u"the audit maximum cannot be negative (%1)"_s.arg(settings.auditMax));
    if (settings.targetAccuracy <= 0 || settings.targetAccuracy >= 1)
        return makeError(
            u"the target accuracy must lie between 0 and 1, not %1"_s.arg(settings.targetAccuracy));
    return settings;
}

qint64 JobSettings::effectiveBatchSize(qint64 items) const
{
    if (batchSize > 0)
        return batchSize;
    if (policy == LabelingPolicy::GroundTruth)
        return 1000; // MaxConcurrentTaskCount
    // Retraining takes seconds here, so small batches: each one is chosen by a better model.
    return std::clamp<qint64>(items / 50, 50, 500);
}

qint64 JobSettings::effectiveValidationSize(qint64 items) const
{
    if (validationSize > 0)
        return std::min(validationSize, items);
    if (policy == LabelingPolicy::GroundTruth)
        return qint64(std::llround(double(items) * (items < 5000 ? 0.2 : 0.1)));
    return std::clamp<qint64>(items / 20, std::min<qint64>(items, 200), 2000);
}

double JobSettings::effectiveAuditRate() const
{
    if (auditRate >= 0)
        return auditRate;
    // Ground Truth publishes no audit of its machine labels; Fieldmark measures them.
    return policy == LabelingPolicy::GroundTruth ? 0 : 0.02;
}

LabelingJob::LabelingJob(ProjectStore &store, JobRecord record, JobSettings settings)
    : m_store(&store)
    , m_record(std::move(record))
    , m_settings(settings)
{}

Result<LabelingJob> LabelingJob::create(ProjectStore &store, qint64 taskId, const QString &name,
                                        const JobSettings &settings)
{
    auto task = store.task(taskId);
    if (!task)
        return task.error();
    if (!labelingSupports(task->type))
        return makeError(u"labeling jobs support image and text classification (single and "
                         u"multi-label) and entity spans so far; task '%1' is %2"_s.arg(
                             task->name, taskTypeName(task->type)));
    const QList<qint64> items = store.itemIds(itemKindForTaskType(task->type));
    if (items.isEmpty())
        return makeError(u"task '%1' has no items to label"_s.arg(task->name));

    // The validation set and the first batch are random: before a model exists there is
    // nothing better to choose by.
    const QList<qsizetype> order = randomBatch(indices(items.size()), items.size(), settings.seed);
    const qint64 validationCount = settings.effectiveValidationSize(items.size());
    const qint64 batchCount =
        std::min<qint64>(settings.effectiveBatchSize(items.size()), items.size() - validationCount);
    QList<qint64> validation, batch;
    for (qsizetype k = 0; k < order.size(); ++k) {
        if (k < validationCount)
            validation.append(items[order[k]]);
        else if (k < validationCount + batchCount)
            batch.append(items[order[k]]);
    }

    JobRecord record;
    record.taskId = taskId;
    record.name = name;
    record.policy = labelingPolicyName(settings.policy);
    record.settings = settings.toJson();
    record.state = kLabeling;
    qint64 id = 0;
    auto saved = store.transact([&]() -> Result<void> {
        auto added = store.addJob(record);
        if (!added)
            return added.error();
        id = *added;
        if (auto queued = store.addJobItems(id, validation, kValidation, 0); !queued)
            return queued;
        return store.addJobItems(id, batch, kBatch, 1);
    });
    if (!saved)
        return saved.error();
    return open(store, id);
}

Result<LabelingJob> LabelingJob::open(ProjectStore &store, qint64 jobId)
{
    auto record = store.job(jobId);
    if (!record)
        return record.error();
    auto settings = JobSettings::fromJson(record->settings);
    if (!settings)
        return makeError(u"labeling job '%1': %2"_s.arg(record->name, settings.errorString()));
    return LabelingJob(store, std::move(record).value(), *settings);
}

bool LabelingJob::isDone() const
{
    return m_record.state == kDone;
}

LabelingJob::Phase LabelingJob::phase() const
{
    if (m_record.state == kDone)
        return Phase::Done;
    return humanQueue().isEmpty() ? Phase::ReadyToTrain : Phase::HumanLabeling;
}

QList<qint64> LabelingJob::humanQueue() const
{
    auto task = m_store->task(m_record.taskId);
    if (!task)
        return {};
    // An audit item waits like any other until a person answered it: the machine's answer
    // alone (pending, or accepted in part) is not an answer.
    const TaskAnswers known = readTaskAnswers(*m_store, *task);
    QList<qint64> queue;
    for (const JobItemRecord &item : m_store->jobItems(m_record.id)) {
        if (!known.human.contains(item.itemId) && !known.skipped.contains(item.itemId))
            queue.append(item.itemId);
    }
    return queue;
}

AuditFigures LabelingJob::audit() const
{
    const QJsonObject state = m_record.settings.value(kAuditState).toObject();
    AuditFigures figures;
    figures.audited = state.value(u"audited"_s).toInteger();
    figures.correct = state.value(u"correct"_s).toInteger();
    figures.waiting = state.value(u"pending"_s).toObject().size();
    figures.weight = state.value(u"weight"_s).toDouble();
    figures.weightCorrect = state.value(u"weightCorrect"_s).toDouble();
    return figures;
}

QList<IterationRecord> LabelingJob::iterations() const
{
    return m_store->iterations(m_record.id);
}

Result<IterationInput> LabelingJob::snapshot() const
{
    if (m_record.state == kDone)
        return makeError(u"labeling job '%1' is done"_s.arg(m_record.name));
    auto task = m_store->task(m_record.taskId);
    if (!task)
        return task.error();
    if (const qsizetype waiting = humanQueue().size(); waiting > 0)
        return makeError(
            u"labeling job '%1' waits for %2 item(s) to be labeled"_s.arg(m_record.name)
                .arg(waiting));
    const TaskAnswers known = readTaskAnswers(*m_store, *task);
    // Validation items an earlier model was sure of no longer calibrate (see apply()): they
    // train instead, as the people's labels they are.
    QSet<qint64> retired;
    for (const QJsonValue &v : m_record.settings.value(u"retiredValidation"_s).toArray())
        retired.insert(v.toInteger());
    QSet<qint64> validation;
    for (const JobItemRecord &item : m_store->jobItems(m_record.id)) {
        if (item.role == kValidation && !retired.contains(item.itemId))
            validation.insert(item.itemId);
    }

    IterationInput input;
    input.jobId = m_record.id;
    input.number = int(iterations().size()) + 1;
    input.schema = LearnerSchema::of(*task);
    for (const Item &item : m_store->items(itemKindForTaskType(task->type))) {
        LearnerItem value{item.id, item.kind, item.path, item.text, QSize(item.width, item.height)};
        if (const auto human = known.human.constFind(item.id); human != known.human.cend()) {
            LearnerExample example{std::move(value), *human};
            (validation.contains(item.id) ? input.validation : input.training)
                .append(std::move(example));
        } else if (!known.machine.contains(item.id) && !known.skipped.contains(item.id)) {
            input.unlabeled.append(std::move(value));
        }
    }
    return input;
}

Result<IterationSummary> LabelingJob::apply(const IterationInput &input,
                                            const IterationOutput &output)
{
    if (output.validation.size() != input.validation.size() ||
        output.unlabeled.size() != input.unlabeled.size())
        return makeError(
            u"labeling job '%1': the learner answered for %2 of %3 items"_s.arg(m_record.name)
                .arg(output.validation.size() + output.unlabeled.size())
                .arg(input.validation.size() + input.unlabeled.size()));
    auto task = m_store->task(m_record.taskId);
    if (!task)
        return task.error();
    // Class positions are the model's output indices: answers for other classes than the
    // task's own would land on the wrong class.
    if (!(LearnerSchema::of(*task) == input.schema))
        return makeError(u"labeling job '%1': the classes of task '%2' changed since the model "
                         u"was given its input (now: %3; then: %4); take a new snapshot"_s.arg(
                             m_record.name, task->name,
                             LearnerSchema::of(*task).classes.join(u", "_s),
                             input.schema.classes.join(u", "_s)));
    const TaskType type = task->type;
    const int classCount = int(input.schema.classes.size());
    const auto checkPrediction = [&](const LearnerPrediction &p, qint64 item) -> Result<void> {
        const bool classification = type != TaskType::Spans;
        if (classification && p.probabilities.size() != size_t(classCount))
            return makeError(u"labeling job '%1': the learner gave %2 probabilities for item %3, "
                             u"the task has %4 classes"_s.arg(m_record.name)
                                 .arg(p.probabilities.size())
                                 .arg(item)
                                 .arg(classCount));
        for (const PredictedSpan &s : p.spans) {
            if (s.classPosition < 0 || s.classPosition >= classCount ||
                input.schema.classes[s.classPosition].isEmpty())
                return makeError(u"labeling job '%1': the learner gave item %2 a span of class "
                                 u"position %3, which task '%4' lacks"_s.arg(m_record.name)
                                     .arg(item)
                                     .arg(s.classPosition)
                                     .arg(task->name));
        }
        return {};
    };
    QList<MachineAnswer> validationAnswers, unlabeledAnswers;
    for (qsizetype i = 0; i < input.validation.size(); ++i) {
        if (auto ok = checkPrediction(output.validation[i], input.validation[i].item.itemId); !ok)
            return ok.error();
        validationAnswers.append(machineAnswer(type, output.validation[i]));
    }
    for (qsizetype i = 0; i < input.unlabeled.size(); ++i) {
        if (auto ok = checkPrediction(output.unlabeled[i], input.unlabeled[i].itemId); !ok)
            return ok.error();
        unlabeledAnswers.append(machineAnswer(type, output.unlabeled[i]));
    }
    // A set of classes or of spans has no one class to calibrate for: one pooled threshold.
    const int calibrationClasses = calibratesPerClass(type) ? classCount : 1;

    // How sure must the model be? Decided on the validation set, which it never trained on.
    // Under Fieldmark's policy, only on the validation items that are still like the
    // unlabeled pool: each iteration takes the items the model is sure of, so the pool left
    // behind is harder than a random sample, and the validation items an earlier model would
    // have taken no longer speak for it ("retired"). An answer is right when it matches the
    // person's as a whole (every class of the set, every span with its class).
    QJsonObject jobState = m_record.settings;
    const bool conditional = m_settings.policy == LabelingPolicy::Fieldmark;
    QSet<qint64> retired;
    for (const QJsonValue &v : jobState.value(u"retiredValidation"_s).toArray())
        retired.insert(v.toInteger());
    QList<ScoredAnswer> answers;
    QList<qsizetype> answered; // validation index of each answer
    int validationCorrect = 0;
    for (qsizetype i = 0; i < input.validation.size(); ++i) {
        const MachineAnswer &m = validationAnswers[i];
        const bool correct = m.calibrationClass >= 0 &&
                             sameAnswer(m.answer, normalisedAnswer(input.validation[i].truth));
        validationCorrect += correct ? 1 : 0;
        if (conditional && retired.contains(input.validation[i].item.itemId))
            continue;
        answers.append(ScoredAnswer{m.confidence, correct, m.calibrationClass});
        answered.append(i);
    }
    QList<Threshold> thresholds;
    if (m_settings.policy == LabelingPolicy::GroundTruth) {
        const Threshold one =
            calibrateThreshold(answers, m_settings.targetAccuracy, ThresholdRule::PointEstimate);
        thresholds = QList<Threshold>(calibrationClasses, one);
    } else {
        // Per class where the class's own answers prove the target; where they are too few
        // to prove anything, the pooled threshold, unless the class's answers above it
        // contradict it.
        thresholds = calibratePerClass(answers, calibrationClasses, m_settings.targetAccuracy,
                                       ThresholdRule::LowerBound);
        const Threshold pooled =
            calibrateThreshold(answers, m_settings.targetAccuracy, ThresholdRule::LowerBound);
        for (int c = 0; c < calibrationClasses && pooled.value; ++c) {
            if (thresholds[c].value)
                continue;
            int above = 0, right = 0;
            for (const ScoredAnswer &a : std::as_const(answers)) {
                if (a.predictedClass == c && a.confidence >= *pooled.value) {
                    ++above;
                    right += a.correct ? 1 : 0;
                }
            }
            if (above > 0 && double(right) / above >= m_settings.targetAccuracy)
                thresholds[c] = pooled;
        }
    }
    const auto admitted = [&](const MachineAnswer &m) {
        const Threshold &t = m.calibrationClass >= 0 && m.calibrationClass < calibrationClasses
                                 ? thresholds[m.calibrationClass]
                                 : Threshold{};
        return t.value && m.confidence >= *t.value;
    };

    if (conditional) {
        for (qsizetype k = 0; k < answers.size(); ++k) {
            if (admitted(validationAnswers[answered[k]]))
                retired.insert(input.validation[answered[k]].item.itemId);
        }
        QJsonArray list;
        for (qint64 id : std::as_const(retired))
            list.append(id);
        jobState.insert(u"retiredValidation"_s, list);
    }

    // People may have labeled some items while the model trained: theirs stand.
    const TaskAnswers now = readTaskAnswers(*m_store, *task);

    // Audits people answered since the last iteration: counted, and the person's answer
    // replaces the machine's (see the class comment).
    QJsonObject auditState = jobState.value(kAuditState).toObject();
    QJsonObject auditPending = auditState.value(u"pending"_s).toObject();
    qint64 audited = auditState.value(u"audited"_s).toInteger();
    qint64 auditCorrect = auditState.value(u"correct"_s).toInteger();
    QJsonObject auditWeights = auditState.value(u"weights"_s).toObject();
    double auditWeight = auditState.value(u"weight"_s).toDouble();
    double auditWeightCorrect = auditState.value(u"weightCorrect"_s).toDouble();
    QList<qint64> toReject, skipsToClear;
    for (const QString &key : auditPending.keys()) {
        const qint64 item = key.toLongLong();
        const auto human = now.human.constFind(item);
        if (human == now.human.cend())
            continue;
        const LearnerTruth machine = answerFromJson(auditPending.value(key).toObject());
        const bool right = sameAnswer(*human, machine);
        const double weight = auditWeights.value(key).toDouble(1.0);
        ++audited;
        auditCorrect += right ? 1 : 0;
        auditWeight += weight;
        auditWeightCorrect += right ? weight : 0;
        toReject += now.pending.value(item);
        auditPending.remove(key);
        auditWeights.remove(key);
    }
    // A model's "nothing to label" where a person has since labeled entities or classes
    // (an audit, or a reviewer in the editor) is lifted, so the store counts the item as the
    // job does: the person's.
    for (qint64 item : now.modelSkipped) {
        if (const auto human = now.human.constFind(item);
            human != now.human.cend() && !isEmptyAnswer(*human))
            skipsToClear.append(item);
    }

    QHash<int, qint64> classIds;
    for (const LabelClass &c : task->classes)
        classIds.insert(c.position, c.id);
    QList<qsizetype> confident; // unlabeled indices
    QList<qsizetype> candidates;
    for (qsizetype i = 0; i < input.unlabeled.size(); ++i) {
        const qint64 item = input.unlabeled[i].itemId;
        if (now.human.contains(item) || now.machine.contains(item) || now.skipped.contains(item))
            continue;
        const MachineAnswer &m = unlabeledAnswers[i];
        const bool known = std::all_of(m.answer.classes.cbegin(), m.answer.classes.cend(),
                                       [&](int c) { return classIds.contains(c); });
        const bool writable = !isEmptyAnswer(m.answer) || emptyAnswerAllowed(type);
        if (admitted(m) && known && writable)
            confident.append(i);
        else
            candidates.append(i);
    }

    // The audit sample, random among this iteration's machine labels.
    QList<qint64> auditItems;
    if (const double rate = m_settings.effectiveAuditRate(); rate > 0 && !confident.isEmpty()) {
        const qint64 count = std::min<qint64>(m_settings.auditMax,
                                              qint64(std::ceil(rate * double(confident.size()))));
        // Each audited answer stands for the iteration's machine labels it was drawn from: a
        // small late iteration (the hardest items) gets at least one audit, so an unweighted
        // mean would over-represent it.
        const double weight = double(confident.size()) / double(std::max<qint64>(1, count));
        for (qsizetype k : randomBatch(indices(confident.size()), count,
                                       m_settings.seed * 7919 + quint64(input.number))) {
            const qsizetype index = confident[k];
            const QString key = QString::number(input.unlabeled[index].itemId);
            auditItems.append(input.unlabeled[index].itemId);
            auditPending.insert(key, answerToJson(unlabeledAnswers[index].answer));
            auditWeights.insert(key, weight);
        }
    }
    auditState.insert(u"pending"_s, auditPending);
    auditState.insert(u"audited"_s, audited);
    auditState.insert(u"correct"_s, auditCorrect);
    auditState.insert(u"weights"_s, auditWeights);
    auditState.insert(u"weight"_s, auditWeight);
    auditState.insert(u"weightCorrect"_s, auditWeightCorrect);
    jobState.insert(kAuditState, auditState);

    // The next batch, within the limit on human labels.
    // Sized on the items still open (those the model labeled no longer count), so batches
    // shrink as the model takes over. Measured: Fashion-MNIST 5,000, 2,647 human labels this
    // way against 2,857 with the batch size fixed on the whole job (bench/labeling.sh).
    qint64 batchSize = m_settings.effectiveBatchSize(
        input.training.size() + input.validation.size() + input.unlabeled.size());
    if (m_settings.maxHumanLabels > 0)
        batchSize = std::min<qint64>(batchSize, m_settings.maxHumanLabels - now.human.size() -
                                                    qint64(auditItems.size()));
    QList<qsizetype> next;
    QList<qsizetype> nextValidation;
    if (batchSize > 0) {
        if (m_settings.policy == LabelingPolicy::GroundTruth) {
            next = randomBatch(candidates, batchSize, m_settings.seed + quint64(input.number));
        } else {
            // A random share of each batch joins the validation set: the pool the model has
            // not taken is harder than the first random sample, and validation items drawn from
            // it now are what measures the next model on the items it will be asked about.
            const qsizetype fresh = qsizetype(std::llround(double(batchSize) * kFreshValidation));
            nextValidation =
                randomBatch(candidates, fresh, m_settings.seed + quint64(input.number));
            const QSet<qsizetype> drawn(nextValidation.cbegin(), nextValidation.cend());
            candidates.removeIf([&](qsizetype i) { return drawn.contains(i); });
            batchSize -= nextValidation.size();
            // Single-label: the margin between the two likeliest classes. Otherwise the
            // answer's own confidence is the margin ({confidence, 0}).
            std::vector<std::vector<float>> probabilities, features;
            probabilities.reserve(size_t(output.unlabeled.size()));
            features.reserve(size_t(output.unlabeled.size()));
            for (qsizetype i = 0; i < output.unlabeled.size(); ++i) {
                probabilities.push_back(
                    calibratesPerClass(type)
                        ? output.unlabeled[i].probabilities
                        : std::vector<float>{float(unlabeledAnswers[i].confidence), 0.f});
                features.push_back(output.unlabeled[i].features);
            }
            next = uncertainDiverseBatch(probabilities, features, candidates, {}, batchSize);
        }
    }
    QList<qint64> nextItems, nextValidationItems;
    for (qsizetype i : next)
        nextItems.append(input.unlabeled[i].itemId);
    for (qsizetype i : nextValidation)
        nextValidationItems.append(input.unlabeled[i].itemId);
    // Not done while sampled machine labels wait for their audit: the job goes on until
    // people answered them, so the measured accuracy covers the last iteration too.
    const bool done =
        nextItems.isEmpty() && nextValidationItems.isEmpty() && auditPending.isEmpty();

    IterationSummary summary;
    summary.machineLabeled = confident.size();
    summary.nextBatch = nextItems.size() + nextValidationItems.size();
    summary.auditSample = auditItems.size();
    summary.done = done;
    IterationRecord &record = summary.record;
    record.jobId = m_record.id;
    record.number = input.number;
    record.human = now.human.size();
    record.machine = now.machine.size() + confident.size();
    record.remaining = candidates.size() + nextValidation.size();
    if (!input.validation.isEmpty())
        record.validationAccuracy = double(validationCorrect) / double(input.validation.size());
    QJsonArray perClass;
    std::optional<double> lowest;
    for (const Threshold &t : std::as_const(thresholds)) {
        perClass.append(t.value ? QJsonValue(*t.value) : QJsonValue());
        if (t.value)
            lowest = lowest ? std::min(*lowest, *t.value) : *t.value;
    }
    record.threshold = lowest;
    record.trainSeconds = output.training.seconds;
    record.inferSeconds = output.inferSeconds;
    record.metrics = QJsonObject{{u"thresholds"_s, perClass},
                                 {u"calibrationItems"_s, answers.size()},
                                 {u"machineLabeled"_s, summary.machineLabeled},
                                 {u"nextBatch"_s, summary.nextBatch},
                                 {u"auditSample"_s, summary.auditSample},
                                 {u"audited"_s, audited},
                                 {u"auditCorrect"_s, auditCorrect},
                                 {u"epochs"_s, output.training.epochs},
                                 {u"loss"_s, output.training.finalLoss}};
    if (audited > 0) {
        record.metrics.insert(u"auditAccuracy"_s, auditWeight > 0
                                                      ? auditWeightCorrect / auditWeight
                                                      : double(auditCorrect) / double(audited));
    }

    auto saved = m_store->transact([&]() -> Result<void> {
        if (!output.checkpointPath.isEmpty()) {
            CheckpointRecord checkpoint;
            checkpoint.jobId = m_record.id;
            checkpoint.taskId = task->id;
            checkpoint.learner = output.learner;
            checkpoint.path = output.checkpointPath;
            checkpoint.classes = input.schema.classes.join(u'\n');
            auto id = m_store->addCheckpoint(checkpoint);
            if (!id)
                return id.error();
            record.checkpointId = *id;
        }
        for (qint64 id : std::as_const(toReject)) {
            auto label = m_store->annotation(id);
            if (!label)
                return label.error();
            label->provenance.state = LabelState::Rejected;
            if (auto updated = m_store->updateAnnotation(*label); !updated)
                return updated;
        }
        for (qint64 item : std::as_const(skipsToClear)) {
            if (auto cleared = m_store->setSkipped(item, task->id, {}); !cleared)
                return cleared;
        }
        auto model = m_store->annotatorId(u"model: "_s + m_record.name, true);
        if (!model)
            return model.error();
        QList<Annotation> machineLabels;
        QList<qint64> machineEmpty;
        const qint64 time = QDateTime::currentMSecsSinceEpoch();
        for (qsizetype index : std::as_const(confident)) {
            const MachineAnswer &m = unlabeledAnswers[index];
            Annotation a;
            a.itemId = input.unlabeled[index].itemId;
            a.taskId = task->id;
            a.provenance.state = LabelState::Machine;
            a.provenance.annotatorId = *model;
            a.provenance.modelId = record.checkpointId;
            a.provenance.timeMs = time;
            if (isEmptyAnswer(m.answer)) {
                machineEmpty.append(a.itemId);
                continue;
            }
            if (type == TaskType::Spans) {
                // Each span with its own confidence, so review can go to the doubtful ones.
                for (const PredictedSpan &s : output.unlabeled[index].spans) {
                    a.classId = classIds.value(s.classPosition);
                    a.shape = s.span;
                    a.provenance.confidence = double(s.confidence);
                    machineLabels.append(a);
                }
                continue;
            }
            // One class tag per class; a multi-label tag carries its own class's certainty.
            for (int position : m.answer.classes) {
                a.classId = classIds.value(position);
                a.shape = ClassTag{};
                a.provenance.confidence = size_t(position) < m.classConfidence.size()
                                              ? double(m.classConfidence[size_t(position)])
                                              : m.confidence;
                machineLabels.append(a);
            }
        }
        if (auto added = m_store->addAnnotations(machineLabels, u"job: "_s + m_record.name); !added)
            return added.error();
        // The model's empty answer: "nothing to label", with the model as the one who said so.
        const QString emptyReason = type == TaskType::Spans
                                        ? u"no entities (model: %1)"_s.arg(m_record.name)
                                        : u"none of the classes (model: %1)"_s.arg(m_record.name);
        for (qint64 item : std::as_const(machineEmpty)) {
            if (auto skipped = m_store->setSkipped(item, task->id, emptyReason, *model); !skipped)
                return skipped;
        }
        if (auto queued = m_store->addJobItems(m_record.id, nextItems, kBatch, input.number + 1);
            !queued)
            return queued;
        if (auto queued = m_store->addJobItems(m_record.id, nextValidationItems, kValidation,
                                               input.number + 1);
            !queued)
            return queued;
        if (auto queued = m_store->addJobItems(m_record.id, auditItems, kAudit, input.number + 1);
            !queued)
            return queued;
        auto recorded = m_store->addIteration(record);
        if (!recorded)
            return recorded.error();
        record.id = *recorded;
        return m_store->updateJob(m_record.id, done ? kDone : kLabeling, jobState);
    });
    if (!saved)
        return saved.error();
    m_record.state = done ? kDone : kLabeling;
    m_record.settings = jobState;
    if (!output.checkpointPath.isEmpty()) {
        // Only the latest model stays on disk: a job saves one per iteration (64 MB for the
        // text learner, 96 MB for the span tagger), and resuming and warm starts read only the
        // latest. The records stay, for the history and the machine labels' provenance.
        const QDir project(m_store->directory());
        for (const CheckpointRecord &older : m_store->checkpoints(m_record.id)) {
            if (older.path != output.checkpointPath)
                QFile::remove(project.absoluteFilePath(older.path));
        }
    }
    return summary;
}

} // namespace fieldmark
