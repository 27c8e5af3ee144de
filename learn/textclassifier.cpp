#include "textclassifier.h"

#include "core/formats/format.h"
#include "learnersupport.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <torch/nn.h>
#include <torch/optim.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace ls = learnsupport;

namespace {

const QString kName = u"text-ngrams"_s;

// Character n-grams of very long tokens (URLs, encoded data) say little and cost much.
constexpr int kMaxCharGramWord = 24;

struct TextNetImpl : torch::nn::Module
{
    TextNetImpl(int buckets, int dimension, int classes)
        : bag(register_module(
              "bag", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(buckets, dimension)
                                                 .mode(torch::kMean)
                                                 .sparse(true))))
        , head(register_module("head", torch::nn::Linear(dimension, classes)))
    {
        // fastText's initialisation: small rows, so a mean over many n-grams starts near 0.
        torch::NoGradGuard noGrad;
        bag->weight.uniform_(-1.0 / dimension, 1.0 / dimension);
    }

    // Logits and the pooled embedding of a batch of bags.
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &rows,
                                                    const torch::Tensor &offsets)
    {
        torch::Tensor pooled = bag(rows, offsets);
        return {head(pooled), pooled};
    }

    torch::nn::EmbeddingBag bag;
    torch::nn::Linear head;
};
TORCH_MODULE(TextNet);

} // namespace

struct TextClassifierLearner::State
{
    LearnerSchema schema;
    TextNet net{nullptr};
    // Adagrad, as its C++ implementation updates only the rows a batch touched (sparse
    // gradients): a step costs what the batch's n-grams cost, not the whole table.
    std::unique_ptr<torch::optim::Adagrad> optimizer;
    std::mt19937 rng;

    State(const LearnerSchema &s, const Options &options)
        : schema(s)
        , rng(options.seed)
    {
        torch::manual_seed(options.seed);
        net = TextNet(options.buckets, options.dimension, int(s.classes.size()));
        optimizer = std::make_unique<torch::optim::Adagrad>(
            net->parameters(), torch::optim::AdagradOptions(options.learningRate));
    }

    // The rows of several texts as one embedding-bag input.
    static std::pair<torch::Tensor, torch::Tensor>
    bagsOf(const std::vector<std::vector<qint64>> &rows, const std::vector<int> &batch)
    {
        std::vector<int64_t> flat;
        std::vector<int64_t> offsets;
        for (int index : batch) {
            offsets.push_back(int64_t(flat.size()));
            const std::vector<qint64> &r = rows[size_t(index)];
            flat.insert(flat.end(), r.begin(), r.end());
        }
        return {torch::tensor(flat, torch::kLong), torch::tensor(offsets, torch::kLong)};
    }
};

TextClassifierLearner::TextClassifierLearner()
    : TextClassifierLearner(Options{})
{}

TextClassifierLearner::TextClassifierLearner(const Options &options)
    : m_options(options)
{}

TextClassifierLearner::~TextClassifierLearner() = default;

QString TextClassifierLearner::name() const
{
    return kName;
}

bool TextClassifierLearner::supports(TaskType type) const
{
    return type == TaskType::TextClassification || type == TaskType::TextMultiLabel;
}

Result<void> TextClassifierLearner::reset(const LearnerSchema &schema)
{
    if (Result<void> usable = ls::checkSchemaUsable(schema, supports(schema.type), kName); !usable)
        return usable;
    try {
        m_state = std::make_unique<State>(schema, m_options);
    } catch (const std::exception &e) {
        return makeError(u"Cannot create the %1 model: %2"_s.arg(kName, ls::exceptionMessage(e)));
    }
    return {};
}

LearnerSchema TextClassifierLearner::schema() const
{
    return m_state ? m_state->schema : LearnerSchema{};
}

std::vector<qint64> TextClassifierLearner::featureRows(const QString &text) const
{
    QStringList words;
    QString word;
    for (QChar c : text) {
        if (c.isLetterOrNumber()) {
            word.append(c.toLower());
        } else if (!word.isEmpty()) {
            words.append(word);
            word.clear();
            if (words.size() >= m_options.maxWords)
                break;
        }
    }
    if (!word.isEmpty() && words.size() < m_options.maxWords)
        words.append(word);

    const auto buckets = quint64(m_options.buckets);
    std::vector<qint64> rows;
    rows.reserve(size_t(words.size()) * 8);
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &w = words.at(i);
        rows.push_back(qint64(ls::hashText(w, 1) % buckets));
        if (i > 0)
            rows.push_back(qint64(ls::hashText(QString(words.at(i - 1) + u' ' + w), 2) % buckets));
        if (w.size() > kMaxCharGramWord)
            continue;
        const QString marked = u'<' + w + u'>';
        for (int n = 3; n <= 5; ++n) {
            for (qsizetype start = 0; start + n <= marked.size(); ++start)
                rows.push_back(
                    qint64(ls::hashText(QStringView(marked).mid(start, n), 3) % buckets));
        }
    }
    return rows;
}

Result<TrainingReport> TextClassifierLearner::train(const QList<LearnerExample> &examples,
                                                    const Progress &progress)
{
    if (!m_state)
        return makeError(
            u"The %1 learner has no model yet (reset or load a checkpoint first)"_s.arg(kName));
    QElapsedTimer clock;
    clock.start();
    Result<ls::Targets> targets = ls::makeTargets(examples, m_state->schema);
    if (!targets)
        return targets.error();
    if (targets->used.empty())
        return makeError(
            u"None of the %1 examples carries a class to learn from"_s.arg(examples.size()));

    std::vector<std::vector<qint64>> rows;
    rows.reserve(targets->used.size());
    for (int index : targets->used)
        rows.push_back(featureRows(examples.at(index).item.text));

    const bool multi = isMultiLabel(m_state->schema.type);
    State &state = *m_state;
    const int count = int(rows.size());
    const int batchesPerEpoch = (count + m_options.batchSize - 1) / m_options.batchSize;
    // A few labels are cheap to go over many times, and need it to move the embeddings.
    const int epochs =
        std::max(m_options.epochs, (m_options.minSteps + batchesPerEpoch - 1) / batchesPerEpoch);
    Result<TrainingReport> report = ls::trainEpochs(
        *state.net, *state.optimizer, state.rng, count, m_options.batchSize, epochs, kName,
        progress, [&](const std::vector<int> &batch) -> Result<torch::Tensor> {
            const auto [input, offsets] = State::bagsOf(rows, batch);
            const torch::Tensor positions =
                torch::tensor(std::vector<int64_t>(batch.begin(), batch.end()), torch::kLong);
            const torch::Tensor logits = state.net->forward(input, offsets).first;
            return ls::classificationLoss(logits, targets->values.index_select(0, positions),
                                          multi);
        });
    if (report)
        report->seconds = double(clock.elapsed()) / 1000.0;
    return report;
}

Result<QList<LearnerPrediction>> TextClassifierLearner::predict(const QList<LearnerItem> &items,
                                                                const Progress &progress)
{
    if (!m_state)
        return makeError(
            u"The %1 learner has no model yet (reset or load a checkpoint first)"_s.arg(kName));
    const bool multi = isMultiLabel(m_state->schema.type);
    QList<LearnerPrediction> predictions;
    predictions.reserve(items.size());
    try {
        torch::InferenceMode inference;
        m_state->net->eval();
        const int count = int(items.size());
        const int batchSize = std::max(1, m_options.batchSize * 4);
        for (int start = 0; start < count; start += batchSize) {
            const int end = std::min(count, start + batchSize);
            std::vector<std::vector<qint64>> rows;
            std::vector<int> batch;
            for (int i = start; i < end; ++i) {
                rows.push_back(featureRows(items.at(i).text));
                batch.push_back(i - start);
            }
            const auto [input, offsets] = State::bagsOf(rows, batch);
            const auto [logits, pooled] = m_state->net->forward(input, offsets);
            const torch::Tensor probabilities = ls::probabilitiesOf(logits, multi).contiguous();
            const torch::Tensor features = pooled.contiguous();
            for (int i = start; i < end; ++i) {
                LearnerPrediction prediction;
                prediction.itemId = items.at(i).itemId;
                const float *p = probabilities[i - start].data_ptr<float>();
                prediction.probabilities.assign(p, p + probabilities.size(1));
                const float *f = features[i - start].data_ptr<float>();
                prediction.features.assign(f, f + features.size(1));
                predictions.append(std::move(prediction));
            }
            if (!progress.advance(end, count))
                return formatCancelled();
        }
    } catch (const std::exception &e) {
        return makeError(
            u"Prediction with the %1 model failed: %2"_s.arg(kName, ls::exceptionMessage(e)));
    }
    return predictions;
}

static QJsonObject optionsJson(const TextClassifierLearner::Options &options)
{
    return QJsonObject{{u"buckets"_s, options.buckets}, {u"dimension"_s, options.dimension}};
}

Result<void> TextClassifierLearner::saveCheckpoint(const QString &path) const
{
    if (!m_state)
        return makeError(u"%1: the %2 learner has no model to save"_s.arg(path, kName));
    return ls::writeCheckpoint(path, kName, optionsJson(m_options), m_state->schema, *m_state->net,
                               *m_state->optimizer);
}

Result<void> TextClassifierLearner::loadCheckpoint(const QString &path,
                                                   const LearnerSchema &expected)
{
    auto state = ls::loadState<State>(path, kName, supports(expected.type), optionsJson(m_options),
                                      expected, m_options);
    if (!state)
        return state.error();
    m_state = std::move(state).value();
    return {};
}

} // namespace fieldmark
