#pragma once

#include "core/labeling/learner.h"

#include <memory>

namespace fieldmark {

// Image classes (single-label softmax or multi-label sigmoids) with a compact CNN: four
// convolution blocks with batch norm, global average pooling and a linear layer, about 100k
// parameters, on images shrunk to a small square. Images are decoded lazily per batch (with a
// small cache of decoded tensors), so a project never sits in memory at once.
class ImageClassifierLearner : public Learner
{
public:
    struct Options
    {
        int imageSize = 32; // images are resized to imageSize x imageSize RGB
        int epochs = 8;     // passes over the examples per train() call, at most
        // Images seen per train() call, at most (fewer epochs over many examples): the model
        // warm-starts, so a call need not start over, and its time stays bounded as labels
        // accumulate (0: no limit).
        int maxSamplesPerCall = 16000;
        int batchSize = 32;
        double learningRate = 0.001;
        int padding = 4;              // random crops from the image padded by this many pixels
        bool flipHorizontally = true; // off when left and right carry meaning
        int width = 16;               // channels of the first block, doubled in each next one
        int cacheImages = 2048;       // decoded images kept between batches and calls
        unsigned seed = 1;
    };

    ImageClassifierLearner();
    explicit ImageClassifierLearner(const Options &options);
    ~ImageClassifierLearner() override;

    QString name() const override;
    bool supports(TaskType type) const override;
    Result<void> reset(const LearnerSchema &schema) override;
    LearnerSchema schema() const override;
    Result<TrainingReport> train(const QList<LearnerExample> &examples,
                                 const Progress &progress) override;
    Result<QList<LearnerPrediction>> predict(const QList<LearnerItem> &items,
                                             const Progress &progress) override;
    Result<void> saveCheckpoint(const QString &path) const override;
    Result<void> loadCheckpoint(const QString &path, const LearnerSchema &expected) override;

private:
    struct State; // torch stays out of this header
    struct Decoded;
    Options m_options;
    std::unique_ptr<State> m_state;
    std::unique_ptr<Decoded> m_decoded; // outlives resets: the pixels do not change with them
};

} // namespace fieldmark
