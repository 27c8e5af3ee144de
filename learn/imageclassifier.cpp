#include "imageclassifier.h"

#include "core/formats/format.h"
#include "learnersupport.h"

#include <QCache>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <torch/nn.h>
#include <torch/optim.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace ls = learnsupport;

namespace {

const QString kName = u"image-cnn"_s;

// Four blocks of 3x3 convolution, batch norm and ReLU, the first three halving the size: about
// 100k weights, few enough to learn from a few hundred labels without overfitting at once.
torch::nn::Sequential convBody(int width)
{
    torch::nn::Sequential body;
    const int widths[] = {3, width, 2 * width, 4 * width, 8 * width};
    for (int block = 0; block < 4; ++block) {
        body->push_back(torch::nn::Conv2d(
            torch::nn::Conv2dOptions(widths[block], widths[block + 1], 3).padding(1).bias(false)));
        body->push_back(torch::nn::BatchNorm2d(widths[block + 1]));
        body->push_back(torch::nn::ReLU());
        if (block < 3)
            body->push_back(torch::nn::MaxPool2d(2));
    }
    return body;
}

struct ConvNetImpl : torch::nn::Module
{
    // `side`: the side of the last block's maps (the image's side / 8).
    ConvNetImpl(int classes, int width, int side)
        : body(register_module("body", convBody(width)))
        , head(register_module("head", torch::nn::Linear(8 * width * side * side, classes)))
    {}

    // Logits and the globally pooled activations of a batch of N x 3 x S x S images. The head
    // sees where things are on the last maps, not only their average: sleeves, collars and
    // heels are told apart by place (Fashion-MNIST: 2,000 images, 78.8% with a pooled head).
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &images)
    {
        const torch::Tensor maps = body->forward(images);
        return {head(maps.flatten(1)), maps.mean({2, 3})};
    }

    torch::nn::Sequential body;
    torch::nn::Linear head;
};
TORCH_MODULE(ConvNet);

} // namespace

struct ImageClassifierLearner::State
{
    LearnerSchema schema;
    ConvNet net{nullptr};
    std::unique_ptr<torch::optim::Adam> optimizer;
    std::mt19937 rng;

    State(const LearnerSchema &s, const Options &options)
        : schema(s)
        , rng(options.seed)
    {
        torch::manual_seed(options.seed);
        net = ConvNet(int(s.classes.size()), std::max(1, options.width),
                      std::max(1, options.imageSize / 8));
        optimizer = std::make_unique<torch::optim::Adam>(
            net->parameters(), torch::optim::AdamOptions(options.learningRate));
    }
};

static int reducedReadFlag(QSize stored, int size)
{
    const int side = stored.isValid() ? std::min(stored.width(), stored.height()) : 0;
    // Twice the model's size at least, so the area filter still has pixels to average.
    if (side >= 16 * size)
        return cv::IMREAD_REDUCED_COLOR_8;
    if (side >= 8 * size)
        return cv::IMREAD_REDUCED_COLOR_4;
    if (side >= 4 * size)
        return cv::IMREAD_REDUCED_COLOR_2;
    return cv::IMREAD_COLOR;
}

// Decoded, resized and normalised images (3 x S x S floats), least recently used first out.
struct ImageClassifierLearner::Decoded
{
    QCache<QString, torch::Tensor> cache;

    // `stored` is the image size the store knows (empty when unknown): a photo many times the
    // model's size is decoded at 1/2, 1/4 or 1/8 scale, which JPEG does for a fraction of the
    // cost of a full decode.
    Result<torch::Tensor> image(const QString &path, int size, QSize stored)
    {
        if (const torch::Tensor *cached = cache.object(path))
            return *cached;
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(u"%1: cannot read the image (%2)"_s.arg(path, file.errorString()));
        const QByteArray bytes = file.readAll();
        cv::Mat bgr;
        try {
            // Through memory rather than cv::imread, so any path Qt can open works.
            const cv::Mat raw(1, int(bytes.size()), CV_8U, const_cast<char *>(bytes.constData()));
            bgr = cv::imdecode(raw, reducedReadFlag(stored, size));
        } catch (const cv::Exception &e) {
            return makeError(u"%1: cannot decode the image (%2)"_s.arg(
                path, QString::fromUtf8(e.what()).section(u'\n', 0, 0)));
        }
        if (bgr.empty())
            return makeError(u"%1: cannot decode the image (not an image format OpenCV reads, or "
                             u"a damaged file)"_s.arg(path));
        // Decoded during predict() too, but kept for training: never an inference tensor.
        c10::InferenceMode normalTensors(false);
        cv::Mat small;
        cv::resize(bgr, small, cv::Size(size, size), 0, 0, cv::INTER_AREA);
        cv::Mat rgb;
        cv::cvtColor(small, rgb, cv::COLOR_BGR2RGB);
        torch::Tensor pixels = torch::from_blob(rgb.data, {size, size, 3}, torch::kUInt8)
                                   .permute({2, 0, 1})
                                   .to(torch::kFloat)
                                   .div(255.0)
                                   .sub(0.5)
                                   .div(0.25)
                                   .contiguous();
        cache.insert(path, new torch::Tensor(pixels));
        return pixels;
    }
};

ImageClassifierLearner::ImageClassifierLearner()
    : ImageClassifierLearner(Options{})
{}

ImageClassifierLearner::ImageClassifierLearner(const Options &options)
    : m_options(options)
    , m_decoded(std::make_unique<Decoded>())
{
    m_decoded->cache.setMaxCost(std::max(1, options.cacheImages));
}

ImageClassifierLearner::~ImageClassifierLearner() = default;

QString ImageClassifierLearner::name() const
{
    return kName;
}

bool ImageClassifierLearner::supports(TaskType type) const
{
    return type == TaskType::ImageClassification || type == TaskType::ImageMultiLabel;
}

Result<void> ImageClassifierLearner::reset(const LearnerSchema &schema)
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

LearnerSchema ImageClassifierLearner::schema() const
{
    return m_state ? m_state->schema : LearnerSchema{};
}

Result<TrainingReport> ImageClassifierLearner::train(const QList<LearnerExample> &examples,
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

    const bool multi = isMultiLabel(m_state->schema.type);
    const int size = m_options.imageSize;
    const int pad = std::max(0, m_options.padding);
    State &state = *m_state;
    const int count = int(targets->used.size());
    const int epochs =
        m_options.maxSamplesPerCall > 0
            ? std::clamp((m_options.maxSamplesPerCall + count - 1) / count, 1, m_options.epochs)
            : m_options.epochs;
    std::uniform_int_distribution<int> shift(0, 2 * pad);
    std::bernoulli_distribution flip(m_options.flipHorizontally ? 0.5 : 0.0);
    Result<TrainingReport> report = ls::trainEpochs(
        *state.net, *state.optimizer, state.rng, count, m_options.batchSize, epochs, kName,
        progress, [&](const std::vector<int> &batch) -> Result<torch::Tensor> {
            std::vector<torch::Tensor> images;
            images.reserve(batch.size());
            for (int position : batch) {
                const LearnerItem &item = examples.at(targets->used[size_t(position)]).item;
                Result<torch::Tensor> image = m_decoded->image(item.path, size, item.size);
                if (!image)
                    return image.error();
                torch::Tensor x = *image;
                if (pad > 0) {
                    x = torch::constant_pad_nd(x, {pad, pad, pad, pad}, 0)
                            .narrow(1, shift(state.rng), size)
                            .narrow(2, shift(state.rng), size);
                }
                if (flip(state.rng))
                    x = x.flip({2});
                images.push_back(x);
            }
            const torch::Tensor positions =
                torch::tensor(std::vector<int64_t>(batch.begin(), batch.end()), torch::kLong);
            const torch::Tensor logits = state.net->forward(torch::stack(images)).first;
            return ls::classificationLoss(logits, targets->values.index_select(0, positions),
                                          multi);
        });
    if (report)
        report->seconds = double(clock.elapsed()) / 1000.0;
    return report;
}

Result<QList<LearnerPrediction>> ImageClassifierLearner::predict(const QList<LearnerItem> &items,
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
        const int batchSize = std::max(1, m_options.batchSize * 2);
        for (int start = 0; start < count; start += batchSize) {
            const int end = std::min(count, start + batchSize);
            std::vector<torch::Tensor> images;
            for (int i = start; i < end; ++i) {
                Result<torch::Tensor> image =
                    m_decoded->image(items.at(i).path, m_options.imageSize, items.at(i).size);
                if (!image)
                    return image.error();
                images.push_back(*image);
            }
            const auto [logits, pooled] = m_state->net->forward(torch::stack(images));
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

static QJsonObject optionsJson(const ImageClassifierLearner::Options &options)
{
    return QJsonObject{{u"imageSize"_s, options.imageSize}, {u"width"_s, options.width}};
}

Result<void> ImageClassifierLearner::saveCheckpoint(const QString &path) const
{
    if (!m_state)
        return makeError(u"%1: the %2 learner has no model to save"_s.arg(path, kName));
    return ls::writeCheckpoint(path, kName, optionsJson(m_options), m_state->schema, *m_state->net,
                               *m_state->optimizer);
}

Result<void> ImageClassifierLearner::loadCheckpoint(const QString &path,
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
