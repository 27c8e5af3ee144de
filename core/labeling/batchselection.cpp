#include "batchselection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace fieldmark {

namespace {

float squaredDistance(const std::vector<float> &a, const std::vector<float> &b)
{
    float sum = 0;
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
        const float d = a[i] - b[i];
        sum += d * d;
    }
    return sum;
}

float margin(const std::vector<float> &p)
{
    if (p.empty())
        return 0;
    if (p.size() == 1)
        return std::abs(p[0] - (1 - p[0]));
    float first = -1, second = -1;
    for (float v : p) {
        if (v > first) {
            second = first;
            first = v;
        } else if (v > second) {
            second = v;
        }
    }
    return first - second;
}

} // namespace

QList<qsizetype> randomBatch(const QList<qsizetype> &candidates, qsizetype count, quint64 seed)
{
    QList<qsizetype> order = candidates;
    // Our own Fisher-Yates over a fixed engine: std::shuffle's use of the engine is left to the
    // library, and a seed must pick the same items everywhere.
    std::mt19937_64 engine(seed);
    const qsizetype take = std::clamp<qsizetype>(count, 0, order.size());
    for (qsizetype i = 0; i < take; ++i) {
        const auto span = quint64(order.size() - i);
        const auto j = i + qsizetype(engine() % span);
        std::swap(order[i], order[j]);
    }
    order.resize(take);
    return order;
}

QList<qsizetype> leastMarginBatch(const std::vector<std::vector<float>> &probabilities,
                                  const QList<qsizetype> &candidates, qsizetype count)
{
    QList<qsizetype> order = candidates;
    std::vector<float> margins(probabilities.size());
    for (size_t i = 0; i < probabilities.size(); ++i)
        margins[i] = margin(probabilities[i]);
    const qsizetype take = std::clamp<qsizetype>(count, 0, order.size());
    std::partial_sort(order.begin(), order.begin() + take, order.end(),
                      [&](qsizetype a, qsizetype b) {
                          return margins[size_t(a)] < margins[size_t(b)] ||
                                 (margins[size_t(a)] == margins[size_t(b)] && a < b);
                      });
    order.resize(take);
    return order;
}

QList<qsizetype> kCenterBatch(const std::vector<std::vector<float>> &features,
                              const QList<qsizetype> &candidates, const QList<qsizetype> &covered,
                              qsizetype count, qsizetype first)
{
    QList<qsizetype> chosen;
    if (candidates.isEmpty() || count <= 0)
        return chosen;
    // Distance from each candidate to its nearest chosen or covered item.
    std::vector<float> nearest(size_t(candidates.size()), std::numeric_limits<float>::max());
    const auto absorb = [&](qsizetype item) {
        for (qsizetype c = 0; c < candidates.size(); ++c)
            nearest[size_t(c)] =
                std::min(nearest[size_t(c)],
                         squaredDistance(features[size_t(candidates[c])], features[size_t(item)]));
    };
    for (qsizetype item : covered)
        absorb(item);
    std::vector<bool> taken(size_t(candidates.size()), false);
    qsizetype next =
        covered.isEmpty() ? std::clamp<qsizetype>(first, 0, candidates.size() - 1) : -1;
    while (chosen.size() < std::min(count, candidates.size())) {
        if (next < 0) {
            float farthest = -1;
            for (qsizetype c = 0; c < candidates.size(); ++c) {
                if (!taken[size_t(c)] && nearest[size_t(c)] > farthest) {
                    farthest = nearest[size_t(c)];
                    next = c;
                }
            }
        }
        taken[size_t(next)] = true;
        chosen.append(candidates[next]);
        absorb(candidates[next]);
        next = -1;
    }
    return chosen;
}

QList<qsizetype> uncertainDiverseBatch(const std::vector<std::vector<float>> &probabilities,
                                       const std::vector<std::vector<float>> &features,
                                       const QList<qsizetype> &candidates,
                                       const QList<qsizetype> &covered, qsizetype count,
                                       qsizetype poolFactor)
{
    const QList<qsizetype> pool =
        leastMarginBatch(probabilities, candidates, count * std::max<qsizetype>(poolFactor, 1));
    return kCenterBatch(features, pool, covered, count);
}

} // namespace fieldmark
