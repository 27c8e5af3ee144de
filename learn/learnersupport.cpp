#include "learnersupport.h"

#include "core/formats/format.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

#include <algorithm>
#include <numeric>
#include <sstream>

using namespace Qt::StringLiterals;

namespace fieldmark::learnsupport {

namespace {

// Marks our files, so a stray .pt from elsewhere is refused by name, not by a torch error.
const std::string formatKey = "fieldmark.format";
const std::string formatValue = "fieldmark-learner-checkpoint/1";

QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::string readString(torch::serialize::InputArchive &archive, const std::string &key)
{
    c10::IValue value;
    if (!archive.try_read(key, value) || !value.isString())
        return {};
    return value.toStringRef();
}

QJsonObject schemaJson(const LearnerSchema &schema)
{
    return QJsonObject{{u"type"_s, taskTypeName(schema.type)},
                       {u"classes"_s, QJsonArray::fromStringList(schema.classes)}};
}

} // namespace

QString exceptionMessage(const std::exception &e)
{
    if (const auto *error = dynamic_cast<const c10::Error *>(&e))
        return QString::fromUtf8(error->what_without_backtrace()).section(u'\n', 0, 0);
    return QString::fromUtf8(e.what()).section(u'\n', 0, 0);
}

quint64 hashText(QStringView text, quint64 kind)
{
    quint64 hash = 14695981039346656037ull ^ (kind * 1099511628211ull);
    for (QChar c : text) {
        hash ^= c.unicode();
        hash *= 1099511628211ull;
    }
    return hash;
}

Result<void> checkSchemaUsable(const LearnerSchema &schema, bool supported, const QString &name)
{
    if (!supported)
        return makeError(
            u"The %1 learner cannot learn a %2 task"_s.arg(name, taskTypeName(schema.type)));
    if (schema.classes.isEmpty())
        return makeError(u"The %1 learner needs at least one class to learn"_s.arg(name));
    return {};
}

Result<Targets> makeTargets(const QList<LearnerExample> &examples, const LearnerSchema &schema)
{
    const bool multi = fieldmark::isMultiLabel(schema.type);
    const int classCount = int(schema.classes.size());
    Targets targets;
    std::vector<int64_t> single;
    std::vector<float> hot;
    for (int i = 0; i < int(examples.size()); ++i) {
        const LearnerExample &example = examples.at(i);
        for (int position : example.truth.classes) {
            if (position < 0 || position >= classCount || schema.classes.at(position).isEmpty())
                return makeError(u"Item %1 is labelled with class position %2, which the model "
                                 u"(%3 classes) does not have"_s.arg(example.item.itemId)
                                     .arg(position)
                                     .arg(classCount));
        }
        if (multi) {
            // No class at all is a valid answer in a multi-label task: every class is absent.
            std::vector<float> row(size_t(classCount), 0.0f);
            for (int position : example.truth.classes)
                row[size_t(position)] = 1.0f;
            hot.insert(hot.end(), row.begin(), row.end());
            targets.used.push_back(i);
        } else if (!example.truth.classes.isEmpty()) {
            single.push_back(example.truth.classes.first());
            targets.used.push_back(i);
        }
    }
    const auto rows = int64_t(targets.used.size());
    if (multi)
        targets.values = torch::from_blob(hot.data(), {rows, classCount}, torch::kFloat).clone();
    else
        targets.values = torch::from_blob(single.data(), {rows}, torch::kLong).clone();
    return targets;
}

torch::Tensor classificationLoss(const torch::Tensor &logits, const torch::Tensor &targets,
                                 bool multiLabel)
{
    if (multiLabel)
        return torch::binary_cross_entropy_with_logits(logits, targets);
    return torch::nn::functional::cross_entropy(logits, targets);
}

torch::Tensor probabilitiesOf(const torch::Tensor &logits, bool multiLabel)
{
    return multiLabel ? torch::sigmoid(logits) : torch::softmax(logits, 1);
}

std::vector<std::vector<int>> shuffledBatches(int count, int batchSize, std::mt19937 &rng)
{
    std::vector<int> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::vector<int>> batches;
    for (int start = 0; start < count; start += batchSize) {
        const int end = std::min(count, start + batchSize);
        batches.emplace_back(order.begin() + start, order.begin() + end);
    }
    return batches;
}

std::string snapshot(torch::nn::Module &model, torch::optim::Optimizer &optimizer)
{
    torch::serialize::OutputArchive modelArchive;
    model.save(modelArchive);
    torch::serialize::OutputArchive optimizerArchive;
    optimizer.save(optimizerArchive);
    torch::serialize::OutputArchive archive;
    archive.write("model", modelArchive);
    archive.write("optimizer", optimizerArchive);
    std::ostringstream stream;
    archive.save_to(stream);
    return std::move(stream).str();
}

void restore(const std::string &bytes, torch::nn::Module &model, torch::optim::Optimizer &optimizer)
{
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size());
    torch::serialize::InputArchive modelArchive;
    archive.read("model", modelArchive);
    model.load(modelArchive);
    torch::serialize::InputArchive optimizerArchive;
    archive.read("optimizer", optimizerArchive);
    optimizer.load(optimizerArchive);
}

Result<void> writeCheckpoint(const QString &path, const QString &learnerName,
                             const QJsonObject &options, const LearnerSchema &schema,
                             torch::nn::Module &model, torch::optim::Optimizer &optimizer)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"%1: cannot write the checkpoint (%2)"_s.arg(path, file.errorString()));
    try {
        torch::serialize::OutputArchive archive;
        archive.write(formatKey, c10::IValue(formatValue));
        archive.write("learner", c10::IValue(learnerName.toStdString()));
        archive.write(
            "options",
            c10::IValue(QJsonDocument(options).toJson(QJsonDocument::Compact).toStdString()));
        archive.write(
            "schema",
            c10::IValue(
                QJsonDocument(schemaJson(schema)).toJson(QJsonDocument::Compact).toStdString()));
        torch::serialize::OutputArchive modelArchive;
        model.save(modelArchive);
        archive.write("model", modelArchive);
        torch::serialize::OutputArchive optimizerArchive;
        optimizer.save(optimizerArchive);
        archive.write("optimizer", optimizerArchive);
        bool written = true;
        archive.save_to([&](const void *data, size_t size) -> size_t {
            if (file.write(static_cast<const char *>(data), qint64(size)) != qint64(size)) {
                written = false;
                return 0;
            }
            return size;
        });
        if (!written)
            return makeError(
                u"%1: cannot write the checkpoint (%2)"_s.arg(path, file.errorString()));
    } catch (const std::exception &e) {
        file.cancelWriting();
        return makeError(u"%1: cannot write the checkpoint (%2)"_s.arg(path, exceptionMessage(e)));
    }
    if (!file.commit())
        return makeError(u"%1: cannot write the checkpoint (%2)"_s.arg(path, file.errorString()));
    return {};
}

Result<CheckpointHeader> readCheckpoint(const QString &path, const QString &learnerName,
                                        const QJsonObject &expectedOptions,
                                        const LearnerSchema &expected,
                                        torch::serialize::InputArchive &archive)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"%1: cannot read the checkpoint (%2)"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    try {
        archive.load_from(bytes.constData(), size_t(bytes.size()));
    } catch (const std::exception &e) {
        return makeError(
            u"%1: not a Fieldmark model checkpoint (%2)"_s.arg(path, exceptionMessage(e)));
    }
    if (readString(archive, formatKey) != formatValue)
        return makeError(u"%1: not a Fieldmark model checkpoint (no '%2' entry)"_s.arg(
            path, fromStd(formatKey)));
    const QString learner = fromStd(readString(archive, "learner"));
    if (learner != learnerName)
        return makeError(
            u"%1: the checkpoint is of the %2 learner, not %3"_s.arg(path, learner, learnerName));

    CheckpointHeader header;
    const QJsonObject schema =
        QJsonDocument::fromJson(QByteArray::fromStdString(readString(archive, "schema"))).object();
    const Result<TaskType> type = taskTypeFromName(schema.value(u"type"_s).toString());
    if (!type)
        return makeError(u"%1: schema.type: %2"_s.arg(path, type.errorString()));
    header.schema.type = *type;
    for (const QJsonValue &name : schema.value(u"classes"_s).toArray())
        header.schema.classes.append(name.toString());
    if (Result<void> matches = checkSchemaMatches(header.schema, expected, path); !matches)
        return matches.error();

    header.options =
        QJsonDocument::fromJson(QByteArray::fromStdString(readString(archive, "options"))).object();
    for (auto it = expectedOptions.begin(); it != expectedOptions.end(); ++it) {
        if (header.options.value(it.key()) != it.value())
            return makeError(u"%1: options.%2 is %3 in the checkpoint and %4 in this learner"_s.arg(
                path, it.key(), header.options.value(it.key()).toVariant().toString(),
                it.value().toVariant().toString()));
    }
    return header;
}

Result<void> loadWeights(const QString &path, torch::serialize::InputArchive &archive,
                         torch::nn::Module &model, torch::optim::Optimizer &optimizer)
{
    try {
        torch::serialize::InputArchive modelArchive;
        archive.read("model", modelArchive);
        model.load(modelArchive);
        torch::serialize::InputArchive optimizerArchive;
        archive.read("optimizer", optimizerArchive);
        optimizer.load(optimizerArchive);
    } catch (const std::exception &e) {
        return makeError(u"%1: the model in the checkpoint cannot be read (%2)"_s.arg(
            path, exceptionMessage(e)));
    }
    return {};
}

Result<TrainingReport> trainEpochs(torch::nn::Module &model, torch::optim::Optimizer &optimizer,
                                   std::mt19937 &rng, int count, int batchSize, int epochs,
                                   const QString &learnerName, const Progress &progress,
                                   const BatchLoss &batchLoss)
{
    std::string before;
    try {
        // Grad mode is thread-local: make sure this worker thread records gradients.
        torch::AutoGradMode gradients(true);
        before = snapshot(model, optimizer);
        TrainingReport report;
        const int batchesPerEpoch = (count + batchSize - 1) / batchSize;
        const qint64 total = qint64(batchesPerEpoch) * epochs;
        qint64 done = 0;
        model.train();
        for (int epoch = 0; epoch < epochs; ++epoch) {
            double lossSum = 0;
            for (const std::vector<int> &batch : shuffledBatches(count, batchSize, rng)) {
                optimizer.zero_grad();
                Result<torch::Tensor> loss = batchLoss(batch);
                if (!loss) {
                    restore(before, model, optimizer);
                    return loss.error();
                }
                loss->backward();
                optimizer.step();
                lossSum += loss->item<double>() * double(batch.size());
                if (!progress.advance(++done, total)) {
                    restore(before, model, optimizer);
                    return formatCancelled();
                }
            }
            report.epochs = epoch + 1;
            report.finalLoss = lossSum / count;
        }
        return report;
    } catch (const std::exception &e) {
        if (!before.empty())
            restore(before, model, optimizer);
        return makeError(QStringLiteral("Training the %1 model failed: %2")
                             .arg(learnerName, exceptionMessage(e)));
    }
}

} // namespace fieldmark::learnsupport
