#include "spantagger.h"

#include "core/formats/format.h"
#include "core/model/textoffsets.h"
#include "learnersupport.h"

#include <QElapsedTimer>
#include <QJsonObject>

#include <torch/nn.h>
#include <torch/optim.h>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace ls = learnsupport;

namespace {

const QString kName = u"span-tagger"_s;

// Tags by number: 0 is O (outside), 1 + 2c is B-c (a span of class c begins), 2 + 2c is I-c.
int tagCount(int classes)
{
    return 1 + 2 * classes;
}

bool isInside(int tag)
{
    return tag > 0 && tag % 2 == 0;
}

int classOfTag(int tag)
{
    return (tag - 1) / 2;
}

// Valid BIO: an I- only continues a span of its own class (`previous` -1: the text's start).
bool allowedAfter(int previous, int tag)
{
    return !isInside(tag) || (previous > 0 && classOfTag(previous) == classOfTag(tag));
}

// How a word is written, not how long it is: "Atlanta" Xx, "3,500" d,d, "U.S." X.X.
QString shapeOf(QStringView word)
{
    QString shape;
    for (QChar c : word) {
        const QChar kind = c.isUpper()    ? u'X'
                           : c.isLower()  ? u'x'
                           : c.isDigit()  ? u'd'
                           : c.isLetter() ? u'l'
                                          : c;
        if (shape.isEmpty() || shape.back() != kind)
            shape.append(kind);
    }
    return shape;
}

// One text as the model reads it: its words, each word's hashed feature rows, and (when it is
// an example) each word's tag.
struct TaggedWords
{
    QList<TextWord> words;
    std::vector<std::vector<int64_t>> rows;
    std::vector<int64_t> tags;
};

TaggedWords readWords(const QString &text, int buckets)
{
    TaggedWords out;
    out.words = textWords(text);
    const int count = int(out.words.size());
    QStringList exact, lower, shape;
    for (const TextWord &w : std::as_const(out.words)) {
        exact.append(text.mid(w.from, w.to - w.from));
        lower.append(exact.back().toLower());
        shape.append(shapeOf(exact.back()));
    }
    const QString start = u"<s>"_s;
    const QString end = u"</s>"_s;
    const auto bucketCount = quint64(buckets);
    out.rows.resize(size_t(count));
    for (int i = 0; i < count; ++i) {
        std::vector<int64_t> &rows = out.rows[size_t(i)];
        auto add = [&](QStringView feature, quint64 kind) {
            rows.push_back(int64_t(ls::hashText(feature, kind) % bucketCount));
        };
        const QString &w = lower.at(i);
        add(w, 1);
        add(exact.at(i), 2);
        add(shape.at(i), 3);
        add(QStringView(w).left(3), 4);
        add(QStringView(w).right(2), 5);
        add(QStringView(w).right(3), 6);
        add(i > 0 ? lower.at(i - 1) : start, 7);
        add(i + 1 < count ? lower.at(i + 1) : end, 8);
        add(i > 0 ? shape.at(i - 1) : start, 9);
        add(i + 1 < count ? shape.at(i + 1) : end, 10);
        // A capital means less at the start of a sentence.
        add(i == 0 ? shape.at(i) + u'^' : shape.at(i), 11);
    }
    return out;
}

struct TaggerNetImpl : torch::nn::Module
{
    TaggerNetImpl(int buckets, int dimension, int hidden, int tags)
        : bag(register_module(
              "bag", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(buckets, dimension)
                                                 .mode(torch::kMean)
                                                 .sparse(true))))
        , near(register_module(
              "near", torch::nn::Conv1d(torch::nn::Conv1dOptions(dimension, hidden, 5).padding(2))))
        , wide(register_module(
              "wide", torch::nn::Conv1d(torch::nn::Conv1dOptions(hidden, hidden, 3).padding(1))))
        , head(register_module("head", torch::nn::Linear(hidden, tags)))
        , dimension(dimension)
    {
        torch::NoGradGuard noGrad;
        bag->weight.uniform_(-0.1, 0.1);
    }

    // Tag logits [texts, length, tags] and word states [texts, length, hidden] of a padded
    // batch: `place` holds, per (text, position), the index of its word among the batch's bags,
    // or the bag count for padding; `mask` [texts, 1, length] is 1 on words.
    std::pair<torch::Tensor, torch::Tensor>
    forward(const torch::Tensor &rows, const torch::Tensor &offsets, const torch::Tensor &place,
            const torch::Tensor &mask, int64_t texts, int64_t length)
    {
        torch::Tensor embedded = bag(rows, offsets);
        embedded = torch::cat({embedded, torch::zeros({1, dimension})});
        torch::Tensor x = embedded.index_select(0, place).view({texts, length, dimension});
        x = torch::dropout(x.transpose(1, 2), 0.4, is_training());
        // Zeroed padding after each layer, so a text is tagged the same in any batch.
        const torch::Tensor first = torch::relu(near(x)) * mask;
        const torch::Tensor states = ((torch::relu(wide(first)) + first) * mask).transpose(1, 2);
        return {head(states), states};
    }

    torch::nn::EmbeddingBag bag;
    torch::nn::Conv1d near;
    torch::nn::Conv1d wide;
    torch::nn::Linear head;
    int64_t dimension;
};
TORCH_MODULE(TaggerNet);

// Several texts as one padded batch.
struct Batch
{
    torch::Tensor rows;
    torch::Tensor offsets;
    torch::Tensor place;
    torch::Tensor mask;
    torch::Tensor tags; // -100 on padding (cross entropy's ignore_index), when tagged
    int64_t texts = 0;
    int64_t length = 0;
};

Batch makeBatch(const std::vector<const TaggedWords *> &texts, bool withTags)
{
    Batch batch;
    batch.texts = int64_t(texts.size());
    for (const TaggedWords *t : texts)
        batch.length = std::max(batch.length, int64_t(t->words.size()));
    int64_t wordCount = 0;
    for (const TaggedWords *t : texts)
        wordCount += int64_t(t->words.size());
    std::vector<int64_t> flat, offsets;
    std::vector<int64_t> place(size_t(batch.texts * batch.length), wordCount);
    std::vector<float> mask(place.size(), 0.0f);
    std::vector<int64_t> tags(withTags ? place.size() : 0, -100);
    int64_t word = 0;
    for (int64_t b = 0; b < batch.texts; ++b) {
        const TaggedWords &t = *texts[size_t(b)];
        for (size_t i = 0; i < t.rows.size(); ++i, ++word) {
            offsets.push_back(int64_t(flat.size()));
            flat.insert(flat.end(), t.rows[i].begin(), t.rows[i].end());
            const size_t at = size_t(b * batch.length) + i;
            place[at] = word;
            mask[at] = 1.0f;
            if (withTags)
                tags[at] = t.tags[i];
        }
    }
    batch.rows = torch::tensor(flat, torch::kLong);
    batch.offsets = torch::tensor(offsets, torch::kLong);
    batch.place = torch::tensor(place, torch::kLong);
    batch.mask = torch::tensor(mask).view({batch.texts, 1, batch.length});
    if (withTags)
        batch.tags = torch::tensor(tags, torch::kLong);
    return batch;
}

// The most probable valid BIO sequence under per-word tag probabilities `p` ([length][tags]).
std::vector<int> decode(const float *p, int length, int tags)
{
    constexpr double impossible = -std::numeric_limits<double>::infinity();
    auto logOf = [](float v) {
        return std::log(std::max(double(v), 1e-12));
    };
    std::vector<double> score(static_cast<size_t>(tags));
    std::vector<double> next(static_cast<size_t>(tags));
    std::vector<int> back(size_t(length) * size_t(tags), 0);
    for (int k = 0; k < tags; ++k)
        score[size_t(k)] = allowedAfter(-1, k) ? logOf(p[k]) : impossible;
    for (int t = 1; t < length; ++t) {
        for (int k = 0; k < tags; ++k) {
            double best = impossible;
            int from = 0;
            for (int j = 0; j < tags; ++j) {
                if (allowedAfter(j, k) && score[size_t(j)] > best) {
                    best = score[size_t(j)];
                    from = j;
                }
            }
            next[size_t(k)] = best + logOf(p[t * tags + k]);
            back[size_t(t) * size_t(tags) + size_t(k)] = from;
        }
        std::swap(score, next);
    }
    std::vector<int> path(size_t(length), 0);
    if (length == 0)
        return path;
    path.back() = int(std::max_element(score.begin(), score.end()) - score.begin());
    for (int t = length - 1; t > 0; --t)
        path[size_t(t - 1)] = back[size_t(t) * size_t(tags) + size_t(path[size_t(t)])];
    return path;
}

} // namespace

struct SpanTaggerLearner::State
{
    LearnerSchema schema;
    TaggerNet net{nullptr};
    // Adagrad, as with the text classifier: the embedding's gradients are sparse, so a step
    // costs what the batch's features cost, not the whole table.
    std::unique_ptr<torch::optim::Adagrad> optimizer;
    std::mt19937 rng;

    State(const LearnerSchema &s, const Options &options)
        : schema(s)
        , rng(options.seed)
    {
        torch::manual_seed(options.seed);
        net = TaggerNet(options.buckets, options.dimension, options.hidden,
                        tagCount(int(s.classes.size())));
        optimizer = std::make_unique<torch::optim::Adagrad>(
            net->parameters(), torch::optim::AdagradOptions(options.learningRate));
    }
};

SpanTaggerLearner::SpanTaggerLearner()
    : SpanTaggerLearner(Options{})
{}

SpanTaggerLearner::SpanTaggerLearner(const Options &options)
    : m_options(options)
{}

SpanTaggerLearner::~SpanTaggerLearner() = default;

QString SpanTaggerLearner::name() const
{
    return kName;
}

bool SpanTaggerLearner::supports(TaskType type) const
{
    return type == TaskType::Spans;
}

Result<void> SpanTaggerLearner::reset(const LearnerSchema &schema)
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

LearnerSchema SpanTaggerLearner::schema() const
{
    return m_state ? m_state->schema : LearnerSchema{};
}

QList<Span> SpanTaggerLearner::words(const QString &text)
{
    QList<Span> spans;
    for (const TextWord &w : textWords(text))
        spans.append(Span{w.start, w.end});
    return spans;
}

Result<TrainingReport> SpanTaggerLearner::train(const QList<LearnerExample> &examples,
                                                const Progress &progress)
{
    if (!m_state)
        return makeError(
            u"The %1 learner has no model yet (reset or load a checkpoint first)"_s.arg(kName));
    QElapsedTimer clock;
    clock.start();
    const QStringList &classes = m_state->schema.classes;

    // Every example counts, one without spans too: it says its text names nothing.
    std::vector<TaggedWords> texts;
    texts.reserve(size_t(examples.size()));
    for (const LearnerExample &example : examples) {
        TaggedWords t = readWords(example.item.text, m_options.buckets);
        t.tags.assign(t.words.size(), 0);
        const qint64 length = codePointLength(example.item.text);
        QList<std::pair<Span, int>> spans = example.truth.spans;
        std::stable_sort(spans.begin(), spans.end(), [](const auto &a, const auto &b) {
            return a.first.start < b.first.start;
        });
        for (const auto &[span, position] : std::as_const(spans)) {
            if (position < 0 || position >= classes.size() || classes.at(position).isEmpty())
                return makeError(u"Item %1 has a span labelled with class position %2, which the "
                                 u"model (%3 classes) does not have"_s.arg(example.item.itemId)
                                     .arg(position)
                                     .arg(classes.size()));
            if (span.start < 0 || span.end <= span.start || span.end > length)
                return makeError(u"Item %1 has the span [%2, %3), which is not inside its text "
                                 u"(%4 characters)"_s.arg(example.item.itemId)
                                     .arg(span.start)
                                     .arg(span.end)
                                     .arg(length));
            // The words the span touches; one already in an earlier span keeps that span.
            std::vector<size_t> covered;
            bool taken = false;
            for (size_t i = 0; i < t.tags.size(); ++i) {
                const TextWord &w = t.words.at(qsizetype(i));
                if (w.end > span.start && w.start < span.end) {
                    covered.push_back(i);
                    taken = taken || t.tags[i] != 0;
                }
            }
            if (taken || covered.empty())
                continue;
            for (size_t i : covered)
                t.tags[i] = (i == covered.front() ? 1 : 2) + 2 * position;
        }
        if (!t.words.isEmpty())
            texts.push_back(std::move(t));
    }
    if (texts.empty())
        return makeError(
            u"None of the %1 examples has a word to learn from"_s.arg(examples.size()));

    State &state = *m_state;
    const int count = int(texts.size());
    const int batchesPerEpoch = (count + m_options.batchSize - 1) / m_options.batchSize;
    // A few labels are cheap to go over many times, and need it to move the embeddings.
    const int epochs =
        std::max(m_options.epochs, (m_options.minSteps + batchesPerEpoch - 1) / batchesPerEpoch);
    Result<TrainingReport> report = ls::trainEpochs(
        *state.net, *state.optimizer, state.rng, count, m_options.batchSize, epochs, kName,
        progress, [&](const std::vector<int> &indices) -> Result<torch::Tensor> {
            std::vector<const TaggedWords *> members;
            for (int index : indices)
                members.push_back(&texts[size_t(index)]);
            const Batch batch = makeBatch(members, true);
            const torch::Tensor logits = state.net
                                             ->forward(batch.rows, batch.offsets, batch.place,
                                                       batch.mask, batch.texts, batch.length)
                                             .first;
            return torch::nn::functional::cross_entropy(
                logits.reshape({-1, logits.size(2)}), batch.tags,
                torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
        });
    if (report)
        report->seconds = double(clock.elapsed()) / 1000.0;
    return report;
}

Result<QList<LearnerPrediction>> SpanTaggerLearner::predict(const QList<LearnerItem> &items,
                                                            const Progress &progress)
{
    if (!m_state)
        return makeError(
            u"The %1 learner has no model yet (reset or load a checkpoint first)"_s.arg(kName));
    const int count = int(items.size());
    const int tags = tagCount(int(m_state->schema.classes.size()));
    const auto hidden = size_t(m_options.hidden);
    std::vector<TaggedWords> texts;
    texts.reserve(size_t(count));
    for (const LearnerItem &item : items)
        texts.push_back(readWords(item.text, m_options.buckets));
    // Texts of like length share a batch, so that one long document does not pad many short
    // ones to its length.
    QList<LearnerPrediction> predictions(count);
    // A text without words names nothing, surely; the model never sees it.
    std::vector<int> order;
    for (int i = 0; i < count; ++i) {
        if (!texts[size_t(i)].words.isEmpty()) {
            order.push_back(i);
            continue;
        }
        predictions[i].itemId = items.at(i).itemId;
        predictions[i].confidence = 1.0f;
        predictions[i].features.assign(hidden, 0.0f);
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return texts[size_t(a)].words.size() < texts[size_t(b)].words.size();
    });
    constexpr qsizetype maxPositions = 16384;
    constexpr size_t maxTexts = 128;
    const int tagged = int(order.size());
    try {
        torch::InferenceMode inference;
        m_state->net->eval();
        int done = 0;
        while (done < tagged) {
            std::vector<const TaggedWords *> members;
            std::vector<int> indices;
            for (int at = done; at < tagged && members.size() < maxTexts; ++at) {
                const TaggedWords &t = texts[size_t(order[size_t(at)])];
                // Sorted by length, so this text is the longest of the batch so far.
                if (!members.empty() &&
                    qsizetype(members.size() + 1) * t.words.size() > maxPositions)
                    break;
                members.push_back(&t);
                indices.push_back(order[size_t(at)]);
            }
            const Batch batch = makeBatch(members, false);
            const auto [logits, states] = m_state->net->forward(
                batch.rows, batch.offsets, batch.place, batch.mask, batch.texts, batch.length);
            const torch::Tensor probabilities = torch::softmax(logits, 2).contiguous();
            const torch::Tensor pooled = states.contiguous();
            for (size_t b = 0; b < members.size(); ++b) {
                const TaggedWords &t = *members[b];
                const int length = int(t.words.size());
                const float *p = probabilities[int64_t(b)].data_ptr<float>();
                const float *s = pooled[int64_t(b)].data_ptr<float>();
                LearnerPrediction prediction;
                prediction.itemId = items.at(indices[b]).itemId;
                prediction.features.assign(hidden, 0.0f);
                for (int w = 0; w < length; ++w) {
                    for (size_t h = 0; h < hidden; ++h)
                        prediction.features[h] += s[size_t(w) * hidden + h] / float(length);
                }
                const std::vector<int> path = decode(p, length, tags);
                double whole = 1.0;
                for (int w = 0; w < length; ++w)
                    whole *= p[w * tags + path[size_t(w)]];
                prediction.confidence = float(whole);
                for (int w = 0; w < length;) {
                    const int tag = path[size_t(w)];
                    if (tag == 0) {
                        ++w;
                        continue;
                    }
                    const int inside = 2 + 2 * classOfTag(tag);
                    double confidence = p[w * tags + tag];
                    int last = w;
                    while (last + 1 < length && path[size_t(last + 1)] == inside) {
                        ++last;
                        confidence *= p[last * tags + inside];
                    }
                    // ... and the span ends here: the next word does not continue it.
                    if (last + 1 < length)
                        confidence *= 1.0 - p[(last + 1) * tags + inside];
                    PredictedSpan span;
                    span.span = Span{t.words.at(w).start, t.words.at(last).end};
                    span.classPosition = classOfTag(tag);
                    span.confidence = float(confidence);
                    prediction.spans.append(span);
                    w = last + 1;
                }
                predictions[indices[b]] = std::move(prediction);
            }
            done += int(members.size());
            if (!progress.advance(done + count - tagged, count))
                return formatCancelled();
        }
    } catch (const std::exception &e) {
        return makeError(
            u"Prediction with the %1 model failed: %2"_s.arg(kName, ls::exceptionMessage(e)));
    }
    return predictions;
}

static QJsonObject optionsJson(const SpanTaggerLearner::Options &options)
{
    return QJsonObject{{u"buckets"_s, options.buckets},
                       {u"dimension"_s, options.dimension},
                       {u"hidden"_s, options.hidden}};
}

Result<void> SpanTaggerLearner::saveCheckpoint(const QString &path) const
{
    if (!m_state)
        return makeError(u"%1: the %2 learner has no model to save"_s.arg(path, kName));
    return ls::writeCheckpoint(path, kName, optionsJson(m_options), m_state->schema, *m_state->net,
                               *m_state->optimizer);
}

Result<void> SpanTaggerLearner::loadCheckpoint(const QString &path, const LearnerSchema &expected)
{
    auto state = ls::loadState<State>(path, kName, supports(expected.type), optionsJson(m_options),
                                      expected, m_options);
    if (!state)
        return state.error();
    m_state = std::move(state).value();
    return {};
}

} // namespace fieldmark
