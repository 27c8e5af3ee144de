#pragma once

#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/util/progress.h"
#include "core/util/result.h"

#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace fieldmark {

// What a model is trained for: the task type and its classes by position (the position is the
// model's output index, so it never changes after a rename; a gap is an empty name).
struct LearnerSchema
{
    TaskType type = TaskType::ImageClassification;
    QStringList classes;

    static LearnerSchema of(const LabelTask &task);
    bool operator==(const LearnerSchema &) const = default;
};

// Refuses a checkpoint made for other classes, saying which differ: `where` names the
// checkpoint (a file or a project).
Result<void> checkSchemaMatches(const LearnerSchema &checkpoint, const LearnerSchema &expected,
                                const QString &where);

// What a learner sees of one item: a value snapshot, never the store, so training can run on a
// worker thread while the annotator goes on editing.
struct LearnerItem
{
    qint64 itemId = 0;
    ItemKind kind = ItemKind::Image;
    QString path; // the image file (decoded lazily by the learner)
    QString text; // text items
    QSize size;   // images, from the store
};

// What people said about an item, by class position.
struct LearnerTruth
{
    QList<int> classes;                  // classification: one, or several for multi-label
    QList<std::pair<Span, int>> spans;   // entity spans
    QList<std::pair<Shape, int>> shapes; // boxes, polygons and masks
};

struct LearnerExample
{
    LearnerItem item;
    LearnerTruth truth;
};

struct PredictedSpan
{
    Span span;
    int classPosition = 0;
    float confidence = 0;
};

struct PredictedShape
{
    Shape shape;
    int classPosition = 0;
    float confidence = 0;
};

// A model's answer for one item.
struct LearnerPrediction
{
    qint64 itemId = 0;
    // Per class position: a softmax for single-label tasks, independent sigmoids for
    // multi-label ones.
    std::vector<float> probabilities;
    QList<PredictedSpan> spans;
    QList<PredictedShape> shapes;
    // How sure the model is of its whole answer for the item, where it can say (span taggers:
    // the probability that the whole tagging is right, empty tagging included). Unset: the
    // labeling job judges from the probabilities or the least confident span.
    std::optional<float> confidence;
    // An embedding of the item (the model's penultimate layer), for diversity in the choice of
    // the next human batch.
    std::vector<float> features;
};

struct TrainingReport
{
    int epochs = 0;
    double finalLoss = 0;
    double seconds = 0;
};

// A model family for some task types, trained from scratch on the user's labels on the CPU.
// Declared here so the labeling loop (core/labeling) never sees torch; implemented in learn/.
// Calls come from one worker thread at a time; every long call checks `progress` and stops
// when it says so, leaving the model as it was before the call.
class Learner
{
public:
    virtual ~Learner() = default;

    virtual QString name() const = 0; // "image-cnn", "text-ngrams", "span-tagger"
    virtual bool supports(TaskType type) const = 0;

    // A fresh model for the schema.
    virtual Result<void> reset(const LearnerSchema &schema) = 0;
    virtual LearnerSchema schema() const = 0;
    // Trains on `examples`, starting from the current weights (a warm start after the first
    // batch, or from a loaded checkpoint).
    virtual Result<TrainingReport> train(const QList<LearnerExample> &examples,
                                         const Progress &progress) = 0;
    virtual Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                                     const Progress &progress) = 0;
    // The model and its optimizer state, with the schema they were trained for.
    virtual Result<void> saveCheckpoint(const QString &path) const = 0;
    // Refuses (with checkSchemaMatches' message) a checkpoint made for other classes.
    virtual Result<void> loadCheckpoint(const QString &path, const LearnerSchema &expected) = 0;
};

} // namespace fieldmark
