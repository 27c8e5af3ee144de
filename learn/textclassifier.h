#pragma once

#include "core/labeling/learner.h"

#include <memory>

namespace fieldmark {

// Document classes for text items, fastText-style: hashed word unigrams and bigrams and
// character 3-5-grams, averaged in an embedding bag, then a linear layer (softmax for
// single-label tasks, independent sigmoids for multi-label ones). Small and fast enough to
// retrain from scratch between human batches on a laptop CPU.
class TextClassifierLearner : public Learner
{
public:
    struct Options
    {
        int buckets = 1 << 18; // hashed n-gram rows of the embedding
        int dimension = 32;    // embedding size, also the size of `features`
        int epochs = 5;        // passes over the examples per train() call, at least
        int minSteps = 40;     // and at least this many batches (more passes for few examples)
        int batchSize = 32;
        double learningRate = 0.2; // Adagrad
        int maxWords = 500;        // longer texts are read up to here
        unsigned seed = 1;
    };

    TextClassifierLearner();
    explicit TextClassifierLearner(const Options &options);
    ~TextClassifierLearner() override;

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

    // The hashed n-gram rows a text is read as (exposed for tests of the tokenizer).
    std::vector<qint64> featureRows(const QString &text) const;

private:
    struct State; // torch stays out of this header
    Options m_options;
    std::unique_ptr<State> m_state;
};

} // namespace fieldmark
