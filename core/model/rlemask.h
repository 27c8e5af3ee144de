#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QRect>
#include <QVector>

namespace cv {
class Mat;
}

namespace fieldmark {

// A binary mask stored as run lengths over its bounding rectangle, row-major,
// starting with a run of zeros (which may be empty). A brush stroke over a 4000x3000 image
// costs a few hundred bytes instead of 12 MB.
class RleMask
{
public:
    RleMask() = default;
    RleMask(QRect bounds, QVector<quint32> counts);

    // From an 8-bit single-channel image where non-zero is set; `origin` places it in the item.
    static RleMask fromMat(const cv::Mat &mask, QPoint origin = {});
    // The mask over its bounds, 0 or 255.
    cv::Mat toMat() const;

    QRect bounds() const { return m_bounds; }
    const QVector<quint32> &counts() const { return m_counts; }
    qint64 area() const;
    bool isEmpty() const { return area() == 0; }
    bool contains(int x, int y) const;

    // Counts must cover the bounds exactly.
    Result<void> validate() const;

    // Compact bytes: bounds then LEB128 varint counts.
    QByteArray toBytes() const;
    static Result<RleMask> fromBytes(const QByteArray &bytes);

    bool operator==(const RleMask &other) const = default;

private:
    QRect m_bounds;
    QVector<quint32> m_counts;
};

} // namespace fieldmark
