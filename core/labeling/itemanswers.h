#pragma once

#include "core/labeling/learner.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>

namespace fieldmark {

class ProjectStore;

// An item's answer for a task is a LearnerTruth: one class (single-label classification), a
// set of classes (multi-label), or a list of (span, class) (entity spans). Answers compare in
// a normal form: classes ascending without repeats, spans by start, end and class.
//
// An empty answer is real for multi-label and span tasks (an image with none of the labels, a
// text with no entities) and is recorded as "nothing to label" (skipped_items): a person's
// skip is a person's empty answer, a skip whose annotator is a model is the model's, awaiting
// review like its labels. A single-label item always has a class, so there a skip keeps its
// old meaning: the item is left out of the job.
bool labelingSupports(TaskType type);
bool emptyAnswerAllowed(TaskType type);
// Whether a task's thresholds are calibrated per class (single-label: the class the model
// chose) or pooled over all answers (a set of classes or of spans has no one class).
bool calibratesPerClass(TaskType type);

LearnerTruth normalisedAnswer(LearnerTruth answer);
// Exact match of two normalised answers.
bool sameAnswer(const LearnerTruth &a, const LearnerTruth &b);
bool isEmptyAnswer(const LearnerTruth &answer);
QJsonObject answerToJson(const LearnerTruth &answer);
LearnerTruth answerFromJson(const QJsonObject &json);

// The answers the store holds for a task's items, normalised.
struct TaskAnswers
{
    // From people: their labels (or reviewed machine labels), or their "nothing to label" in
    // multi-label and span tasks.
    QHash<qint64, LearnerTruth> human;
    // From a model, awaiting review: its labels, or its "nothing to label".
    QHash<qint64, LearnerTruth> machine;
    // Single-label items a person marked "nothing to label": out of the job.
    QSet<qint64> skipped;
    // Items whose "nothing to label" is a model's.
    QSet<qint64> modelSkipped;
    // Per item, its machine labels awaiting review (annotation ids).
    QHash<qint64, QList<qint64>> pending;
};

// Precedence, as ProjectStore::taskStatus counts items: a person's skip first; then a
// person's own labels (Human, MachineEdited: they stand even beside labels still pending);
// then pending machine labels (the machine's answer, with what was accepted beside them); then
// a model's skip; then accepted machine labels alone.
TaskAnswers readTaskAnswers(const ProjectStore &store, const LabelTask &task);

// A model's answer for one item and how sure it is of the whole of it.
struct MachineAnswer
{
    LearnerTruth answer;
    // Single-label: the top probability. Multi-label: the least certain class,
    // min over classes of max(p, 1 - p). Spans: the learner's item-level confidence, else the
    // least confident span; 0 for no spans and no item-level confidence (no evidence that the
    // text has no entities).
    double confidence = 0;
    // The class the thresholds are calibrated for: the chosen class (single-label), else 0
    // (one pooled threshold).
    int calibrationClass = 0;
    // Per class position, how sure the model is of that class (multi-label), for the labels'
    // own confidence.
    std::vector<float> classConfidence;
};

MachineAnswer machineAnswer(TaskType type, const LearnerPrediction &prediction);

// How many entities of `predicted` are in `truth` (exact span and class), for precision and
// recall.
qsizetype matchingSpans(const LearnerTruth &predicted, const LearnerTruth &truth);

} // namespace fieldmark
