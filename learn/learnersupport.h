#pragma once

// Private to learn/: what the torch learners share (checkpoint files, snapshots for cancel,
// targets, batching). It includes torch, so no header outside learn/ may include it.

#include "core/labeling/learner.h"

#include <QJsonObject>
#include <QString>

#include <torch/nn.h>
#include <torch/optim.h>
#include <torch/serialize.h>

#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace fieldmark::learnsupport {

// A torch or C++ exception in one line (c10 messages carry a backtrace we do not show).
QString exceptionMessage(const std::exception &e);

// FNV-1a over UTF-16 code units, seeded by the kind of feature so that features of different
// kinds with the same letters land in different rows of a hashed embedding.
quint64 hashText(QStringView text, quint64 kind);

// Checks that the schema is one the learner can train: a supported type and some classes.
Result<void> checkSchemaUsable(const LearnerSchema &schema, bool supported, const QString &name);

// The class targets of examples that carry truth: class indices (single-label, kLong) or
// multi-hot rows (multi-label, kFloat). An out-of-range position is an error naming the item.
// `used` receives the indices of the examples kept (single-label drops those without a class).
struct Targets
{
    torch::Tensor values;
    std::vector<int> used;
};
Result<Targets> makeTargets(const QList<LearnerExample> &examples, const LearnerSchema &schema);

// The loss of logits against rows of `targets` picked by batch positions.
torch::Tensor classificationLoss(const torch::Tensor &logits, const torch::Tensor &targets,
                                 bool multiLabel);
// Softmax or sigmoids, as the Learner interface promises.
torch::Tensor probabilitiesOf(const torch::Tensor &logits, bool multiLabel);

// Shuffled batches of positions 0..count-1.
std::vector<std::vector<int>> shuffledBatches(int count, int batchSize, std::mt19937 &rng);

// The model and optimizer state in memory, so a cancelled train() can put them back.
std::string snapshot(torch::nn::Module &model, torch::optim::Optimizer &optimizer);
void restore(const std::string &bytes, torch::nn::Module &model,
             torch::optim::Optimizer &optimizer);

// The loss of one batch (positions into the examples), or the error that stops training.
using BatchLoss = std::function<Result<torch::Tensor>(const std::vector<int> &batch)>;

// The training loop the learners share: `epochs` passes over `count` examples in shuffled
// batches, one optimizer step per batch, progress per step. A cancel, an error from
// `batchLoss` or an exception puts the model and optimizer back as they were. The report's
// seconds are left to the caller, whose clock includes its preparation.
Result<TrainingReport> trainEpochs(torch::nn::Module &model, torch::optim::Optimizer &optimizer,
                                   std::mt19937 &rng, int count, int batchSize, int epochs,
                                   const QString &learnerName, const Progress &progress,
                                   const BatchLoss &batchLoss);

// One checkpoint file: the learner's name, its options (architecture sizes), the schema, the
// model and the optimizer, written through QSaveFile.
Result<void> writeCheckpoint(const QString &path, const QString &learnerName,
                             const QJsonObject &options, const LearnerSchema &schema,
                             torch::nn::Module &model, torch::optim::Optimizer &optimizer);

// Reads the header of a checkpoint, refusing another learner's file, other options and
// (through checkSchemaMatches) other classes; `archive` is left open for the weights.
struct CheckpointHeader
{
    LearnerSchema schema;
    QJsonObject options;
};
Result<CheckpointHeader> readCheckpoint(const QString &path, const QString &learnerName,
                                        const QJsonObject &expectedOptions,
                                        const LearnerSchema &expected,
                                        torch::serialize::InputArchive &archive);
// Loads the weights and optimizer state of an archive that readCheckpoint accepted.
Result<void> loadWeights(const QString &path, torch::serialize::InputArchive &archive,
                         torch::nn::Module &model, torch::optim::Optimizer &optimizer);

// A learner's whole loadCheckpoint: refuses a schema the learner cannot serve, reads the
// header (refusing another learner's file, other options or classes) and loads the weights
// into a fresh State(schema, options), so a failure leaves the learner's current model alone.
// `State` has `net` and `optimizer` members.
template<typename State, typename Options>
Result<std::unique_ptr<State>> loadState(const QString &path, const QString &learnerName,
                                         bool supported, const QJsonObject &expectedOptions,
                                         const LearnerSchema &expected, const Options &options)
{
    if (Result<void> usable = checkSchemaUsable(expected, supported, learnerName); !usable)
        return usable.error();
    try {
        torch::serialize::InputArchive archive;
        Result<CheckpointHeader> header =
            readCheckpoint(path, learnerName, expectedOptions, expected, archive);
        if (!header)
            return header.error();
        auto state = std::make_unique<State>(header->schema, options);
        if (Result<void> loaded = loadWeights(path, archive, *state->net, *state->optimizer);
            !loaded)
            return loaded.error();
        return state;
    } catch (const std::exception &e) {
        return makeError(
            QStringLiteral("%1: cannot load the checkpoint (%2)").arg(path, exceptionMessage(e)));
    }
}

} // namespace fieldmark::learnsupport
