#include "validation.h"

#include "core/model/textoffsets.h"

#include <cmath>

namespace fieldmark {

namespace {

bool shapeFitsTask(ShapeKind kind, TaskType type)
{
    switch (type) {
    case TaskType::ImageClassification:
    case TaskType::ImageMultiLabel:
    case TaskType::TextClassification:
    case TaskType::TextMultiLabel:
        return kind == ShapeKind::ClassTag;
    case TaskType::Boxes:
        return kind == ShapeKind::Box;
    case TaskType::Segmentation:
        return kind == ShapeKind::Polygon || kind == ShapeKind::Mask;
    case TaskType::Spans:
        return kind == ShapeKind::Span;
    }
    return false;
}

QString fmt(double v)
{
    return QString::number(v, 'g', 6);
}

Result<void> validateBox(const Box &b, const Item &item)
{
    if (!std::isfinite(b.x) || !std::isfinite(b.y) || !std::isfinite(b.width) ||
        !std::isfinite(b.height))
        return makeError(QStringLiteral("box has a coordinate that is not a number"));
    if (b.width <= 0 || b.height <= 0)
        return makeError(QStringLiteral("box %1x%2 at (%3, %4) has no area")
                             .arg(fmt(b.width), fmt(b.height), fmt(b.x), fmt(b.y)));
    const double eps = 1e-6;
    if (b.x < -eps || b.y < -eps || b.x + b.width > item.width + eps ||
        b.y + b.height > item.height + eps)
        return makeError(
            QStringLiteral("box from (%1, %2) to (%3, %4) lies outside the %5x%6 image")
                .arg(fmt(b.x), fmt(b.y), fmt(b.x + b.width), fmt(b.y + b.height))
                .arg(item.width)
                .arg(item.height));
    return {};
}

Result<void> validatePolygon(const Polygon &p, const Item &item)
{
    if (p.points.size() < 3)
        return makeError(
            QStringLiteral("polygon has %1 point(s); at least 3 are needed").arg(p.points.size()));
    const double eps = 1e-6;
    for (qsizetype i = 0; i < p.points.size(); ++i) {
        const QPointF pt = p.points[i];
        if (!std::isfinite(pt.x()) || !std::isfinite(pt.y()) || pt.x() < -eps || pt.y() < -eps ||
            pt.x() > item.width + eps || pt.y() > item.height + eps)
            return makeError(
                QStringLiteral("polygon point %1 at (%2, %3) lies outside the %4x%5 image")
                    .arg(i + 1)
                    .arg(fmt(pt.x()), fmt(pt.y()))
                    .arg(item.width)
                    .arg(item.height));
    }
    for (qsizetype i = 0; i < p.points.size(); ++i) {
        if (p.points[i] == p.points[(i + 1) % p.points.size()])
            return makeError(
                QStringLiteral("polygon point %1 repeats point %2 (a polygon is closed without "
                               "repeating its first point)")
                    .arg((i + 1) % p.points.size() + 1)
                    .arg(i + 1));
    }
    if (polygonSelfIntersects(p.points))
        return makeError(QStringLiteral("polygon edges cross each other"));
    return {};
}

Result<void> validateMask(const Mask &m, const Item &item)
{
    if (auto valid = m.rle.validate(); !valid)
        return valid;
    if (!QRect(0, 0, item.width, item.height).contains(m.rle.bounds()))
        return makeError(QStringLiteral("mask bounds (%1, %2) %3x%4 lie outside the %5x%6 image")
                             .arg(m.rle.bounds().x())
                             .arg(m.rle.bounds().y())
                             .arg(m.rle.bounds().width())
                             .arg(m.rle.bounds().height())
                             .arg(item.width)
                             .arg(item.height));
    if (m.rle.isEmpty())
        return makeError(QStringLiteral("mask has no pixels set"));
    return {};
}

} // namespace

static double cross(QPointF o, QPointF a, QPointF b)
{
    return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

bool segmentsCross(const QPointF &p1, const QPointF &p2, const QPointF &q1, const QPointF &q2)
{
    const double d1 = cross(q1, q2, p1);
    const double d2 = cross(q1, q2, p2);
    const double d3 = cross(p1, p2, q1);
    const double d4 = cross(p1, p2, q2);
    if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
        return true;
    auto onSegment = [](QPointF a, QPointF b, QPointF p) {
        return std::min(a.x(), b.x()) <= p.x() && p.x() <= std::max(a.x(), b.x()) &&
               std::min(a.y(), b.y()) <= p.y() && p.y() <= std::max(a.y(), b.y());
    };
    // Collinear overlaps count as crossings: the outline would fold onto itself.
    return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2)) ||
           (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
}

bool polygonSelfIntersects(const QVector<QPointF> &points)
{
    const qsizetype n = points.size();
    if (n < 4)
        return n == 3 && cross(points[0], points[1], points[2]) == 0;
    for (qsizetype i = 0; i < n; ++i) {
        const QPointF a1 = points[i], a2 = points[(i + 1) % n];
        for (qsizetype j = i + 1; j < n; ++j) {
            // Adjacent edges share a vertex; that is not a crossing.
            if (j == i + 1 || (i == 0 && j == n - 1))
                continue;
            if (segmentsCross(a1, a2, points[j], points[(j + 1) % n]))
                return true;
        }
    }
    return false;
}

Result<void> validateSpan(const Span &s, const QString &text)
{
    const qint64 length = codePointLength(text);
    if (s.start >= s.end)
        return makeError(QStringLiteral("span [%1, %2) is empty").arg(s.start).arg(s.end));
    if (s.start < 0 || s.end > length)
        return makeError(QStringLiteral("span [%1, %2) lies outside the text of %3 characters")
                             .arg(s.start)
                             .arg(s.end)
                             .arg(length));
    const qsizetype start16 = utf16IndexOfCodePoint(text, s.start);
    const qsizetype end16 = utf16IndexOfCodePoint(text, s.end);
    if (!isGraphemeBoundary(text, start16) || !isGraphemeBoundary(text, end16))
        return makeError(QStringLiteral("span [%1, %2) splits a character from its combining marks")
                             .arg(s.start)
                             .arg(s.end));
    return {};
}

Result<void> validateAnnotation(const Annotation &a, const Item &item, const LabelTask &task)
{
    const ShapeKind kind = shapeKind(a.shape);
    if (itemKindForTaskType(task.type) != item.kind)
        return makeError(QStringLiteral("task '%1' labels %2 items, but item %3 is a %4")
                             .arg(task.name, itemKindName(itemKindForTaskType(task.type)))
                             .arg(item.id)
                             .arg(itemKindName(item.kind)));
    if (!shapeFitsTask(kind, task.type))
        return makeError(QStringLiteral("a %1 cannot be added to task '%2' of type %3")
                             .arg(shapeKindName(kind), task.name, taskTypeName(task.type)));
    if (!task.classById(a.classId))
        return makeError(QStringLiteral("class id %1 is not a class of task '%2' (classes: %3)")
                             .arg(a.classId)
                             .arg(task.name, task.classNames()));
    if (a.provenance.confidence &&
        !(*a.provenance.confidence >= 0.0 && *a.provenance.confidence <= 1.0))
        return makeError(
            QStringLiteral("confidence %1 is not between 0 and 1").arg(*a.provenance.confidence));
    switch (kind) {
    case ShapeKind::Box:
        return validateBox(std::get<Box>(a.shape), item);
    case ShapeKind::Polygon:
        return validatePolygon(std::get<Polygon>(a.shape), item);
    case ShapeKind::Mask:
        return validateMask(std::get<Mask>(a.shape), item);
    case ShapeKind::Span:
        return validateSpan(std::get<Span>(a.shape), item.text);
    case ShapeKind::ClassTag:
        break;
    }
    return {};
}

} // namespace fieldmark
