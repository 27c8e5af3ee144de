#include "rlemask.h"

#include <QDataStream>
#include <QIODevice>

#include <opencv2/core.hpp>

#include <limits>

namespace fieldmark {

RleMask::RleMask(QRect bounds, QVector<quint32> counts)
    : m_bounds(bounds)
    , m_counts(std::move(counts))
{}

RleMask RleMask::fromMat(const cv::Mat &mask, QPoint origin)
{
    CV_Assert(mask.type() == CV_8UC1);
    QVector<quint32> counts;
    bool current = false;
    quint32 run = 0;
    for (int y = 0; y < mask.rows; ++y) {
        const uchar *row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x) {
            const bool set = row[x] != 0;
            if (set != current) {
                counts.append(run);
                run = 0;
                current = set;
            }
            ++run;
        }
    }
    counts.append(run);
    return RleMask(QRect(origin, QSize(mask.cols, mask.rows)), std::move(counts));
}

cv::Mat RleMask::toMat() const
{
    cv::Mat mat = cv::Mat::zeros(m_bounds.height(), m_bounds.width(), CV_8UC1);
    if (mat.empty())
        return mat;
    uchar *data = mat.data; // freshly allocated, so continuous
    const qint64 total = qint64(mat.rows) * mat.cols;
    qint64 pos = 0;
    bool set = false;
    for (quint32 run : m_counts) {
        const qint64 end = std::min(total, pos + run);
        if (set)
            std::fill(data + pos, data + end, uchar(255));
        pos = end;
        set = !set;
    }
    return mat;
}

qint64 RleMask::area() const
{
    qint64 sum = 0;
    for (qsizetype i = 1; i < m_counts.size(); i += 2)
        sum += m_counts[i];
    return sum;
}

bool RleMask::contains(int x, int y) const
{
    if (!m_bounds.contains(x, y))
        return false;
    const qint64 index = qint64(y - m_bounds.top()) * m_bounds.width() + (x - m_bounds.left());
    qint64 pos = 0;
    for (qsizetype i = 0; i < m_counts.size(); ++i) {
        pos += m_counts[i];
        if (index < pos)
            return i % 2 == 1;
    }
    return false;
}

Result<void> RleMask::validate() const
{
    if (m_bounds.width() <= 0 || m_bounds.height() <= 0)
        return makeError(QStringLiteral("mask has empty bounds"));
    qint64 sum = 0;
    for (quint32 run : m_counts)
        sum += run;
    const qint64 expected = qint64(m_bounds.width()) * m_bounds.height();
    if (sum != expected)
        return makeError(QStringLiteral("mask runs cover %1 pixels but its %2x%3 bounds hold %4")
                             .arg(sum)
                             .arg(m_bounds.width())
                             .arg(m_bounds.height())
                             .arg(expected));
    return {};
}

namespace {

void appendVarint(QByteArray &out, quint64 value)
{
    do {
        uchar byte = value & 0x7f;
        value >>= 7;
        if (value)
            byte |= 0x80;
        out.append(char(byte));
    } while (value);
}

bool readVarint(const QByteArray &in, qsizetype &pos, quint64 &value)
{
    value = 0;
    for (int shift = 0; shift < 64 && pos < in.size(); shift += 7) {
        const uchar byte = uchar(in[pos++]);
        value |= quint64(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            return true;
    }
    return false;
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

qint64 unzigzag(quint64 v)
{
    return qint64(v >> 1) ^ -qint64(v & 1);
}

} // namespace

QByteArray RleMask::toBytes() const
{
    QByteArray out;
    out.reserve(16 + m_counts.size() * 2);
    appendVarint(out, zigzag(m_bounds.x()));
    appendVarint(out, zigzag(m_bounds.y()));
    appendVarint(out, quint64(m_bounds.width()));
    appendVarint(out, quint64(m_bounds.height()));
    appendVarint(out, quint64(m_counts.size()));
    for (quint32 run : m_counts)
        appendVarint(out, run);
    return out;
}

Result<RleMask> RleMask::fromBytes(const QByteArray &bytes)
{
    qsizetype pos = 0;
    quint64 x, y, w, h, n;
    if (!readVarint(bytes, pos, x) || !readVarint(bytes, pos, y) || !readVarint(bytes, pos, w) ||
        !readVarint(bytes, pos, h) || !readVarint(bytes, pos, n))
        return makeError(QStringLiteral("mask data is truncated in its header"));
    if (w > (1u << 20) || h > (1u << 20) || n > w * h + 1)
        return makeError(
            QStringLiteral("mask header is implausible (%1x%2, %3 runs)").arg(w).arg(h).arg(n));
    const qint64 originX = unzigzag(x), originY = unzigzag(y);
    // The origin and the far corner must both fit in an int.
    constexpr qint64 kLimit = std::numeric_limits<int>::max() - (1 << 20);
    if (originX < -kLimit || originX > kLimit || originY < -kLimit || originY > kLimit)
        return makeError(
            QStringLiteral("mask origin (%1, %2) is implausible").arg(originX).arg(originY));
    QVector<quint32> counts;
    // Each run takes at least one byte, so the data bounds what is worth reserving.
    counts.reserve(qsizetype(std::min<quint64>(n, quint64(bytes.size()))));
    for (quint64 i = 0; i < n; ++i) {
        quint64 run;
        if (!readVarint(bytes, pos, run) || run > 0xffffffffu)
            return makeError(
                QStringLiteral("mask data is truncated at run %1 of %2").arg(i).arg(n));
        counts.append(quint32(run));
    }
    RleMask mask(QRect(int(originX), int(originY), int(w), int(h)), std::move(counts));
    if (auto valid = mask.validate(); !valid)
        return valid.error();
    return mask;
}

} // namespace fieldmark
