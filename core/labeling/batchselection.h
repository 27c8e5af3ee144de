#pragma once

#include <QList>

#include <vector>

namespace fieldmark {

// Which unlabeled items go to the humans next. Items are indices into the caller's list of
// a job's items (`probabilities[i]` and `features[i]` describe item i); `candidates` are the
// unlabeled ones, `covered` those already labeled. The functions return chosen items, best
// first, without repeats.

// `count` candidates drawn uniformly at random (Ground Truth's batches), reproducible by seed.
QList<qsizetype> randomBatch(const QList<qsizetype> &candidates, qsizetype count, quint64 seed);

// The `count` candidates the model is least sure of: smallest margin between its two most
// probable classes (a single probability counts as the margin to its complement).
QList<qsizetype> leastMarginBatch(const std::vector<std::vector<float>> &probabilities,
                                  const QList<qsizetype> &candidates, qsizetype count);

// Greedy k-centre over feature vectors: each pick is the candidate farthest from everything
// chosen so far and from `covered` (items already labeled), so a batch spreads over the data
// instead of piling into one region. Starts from the candidate farthest from `covered`, or
// from `first` when nothing is covered. Euclidean distance.
QList<qsizetype> kCenterBatch(const std::vector<std::vector<float>> &features,
                              const QList<qsizetype> &candidates, const QList<qsizetype> &covered,
                              qsizetype count, qsizetype first = 0);

// Uncertainty first, diversity among the uncertain: the `poolFactor x count` least-sure
// candidates, then k-centre among them against what is labeled.
QList<qsizetype> uncertainDiverseBatch(const std::vector<std::vector<float>> &probabilities,
                                       const std::vector<std::vector<float>> &features,
                                       const QList<qsizetype> &candidates,
                                       const QList<qsizetype> &covered, qsizetype count,
                                       qsizetype poolFactor = 4);

} // namespace fieldmark
