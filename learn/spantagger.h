#pragma once

#include "core/labeling/learner.h"

#include <memory>

namespace fieldmark {

// Entity spans in text items: the text is cut into words at Unicode word boundaries (offsets
// kept in code points), each word is read as hashed features (the word, its prefix, suffixes and
// shape, and its neighbours), averaged in an embedding bag, then two convolutions over the
// words (a window of seven words) give BIO tag probabilities per word. Decoding is the most
// probable tag sequence that is valid BIO (no I- after O or after another class), so every span
// comes out whole. A span's confidence is the product of its words' tag probabilities and the
// probability that it ends where it ends; the item's is the product of every word's.
class SpanTaggerLearner : public Learner
{
public:
    struct Options
    {
        int buckets = 1 << 18;     // hashed feature rows of the embedding
        int dimension = 48;        // word embedding size
        int hidden = 96;           // channels of the convolutions, also the size of `features`
        int epochs = 6;            // passes over the examples per train() call, at least
        int minSteps = 150;        // and at least this many batches (more passes for few examples)
        int batchSize = 16;        // texts per batch
        double learningRate = 0.1; // Adagrad
        unsigned seed = 1;
    };

    SpanTaggerLearner();
    explicit SpanTaggerLearner(const Options &options);
    ~SpanTaggerLearner() override;

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

    // The words a text is tagged by, in code points (exposed for tests of the offsets).
    static QList<Span> words(const QString &text);

private:
    struct State; // torch stays out of this header
    Options m_options;
    std::unique_ptr<State> m_state;
};

} // namespace fieldmark
