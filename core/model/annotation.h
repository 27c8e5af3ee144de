#pragma once

#include "core/model/provenance.h"
#include "core/model/rlemask.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QPointF>
#include <QRectF>
#include <QVector>

#include <variant>

namespace fieldmark {

// The class of a whole item (image or text classification). Multi-label tasks hold one
// ClassTag annotation per chosen class.
struct ClassTag
{
    bool operator==(const ClassTag &) const = default;
};

// An axis-aligned box in image pixels, (x, y) its top-left corner.
struct Box
{
    double x = 0, y = 0, width = 0, height = 0;
    QRectF rect() const { return QRectF(x, y, width, height); }
    bool operator==(const Box &) const = default;
};

// A closed polygon in image pixels.
struct Polygon
{
    QVector<QPointF> points;
    bool operator==(const Polygon &) const = default;
};

// A pixel mask in image coordinates.
struct Mask
{
    RleMask rle;
    bool operator==(const Mask &) const = default;
};

// A text span, [start, end) in Unicode code points (as Ground Truth's output counts them).
struct Span
{
    qint64 start = 0;
    qint64 end = 0;
    bool operator==(const Span &) const = default;
};

using Shape = std::variant<ClassTag, Box, Polygon, Mask, Span>;

enum class ShapeKind { ClassTag = 0, Box = 1, Polygon = 2, Mask = 3, Span = 4 };

inline ShapeKind shapeKind(const Shape &shape)
{
    return ShapeKind(shape.index());
}
QString shapeKindName(ShapeKind kind);

// One label on one item for one task, with its provenance.
struct Annotation
{
    qint64 id = 0;
    qint64 itemId = 0;
    qint64 taskId = 0;
    qint64 classId = 0;
    Shape shape;
    Provenance provenance;
    // Flags a format carries beside the shape and that Fieldmark keeps for the next export
    // (Pascal VOC's "difficult" and "truncated", labelme's "flags", a group id).
    QJsonObject attributes = {};
};

// Shapes travel to the store as compact bytes (masks as varint run lengths).
QByteArray encodeShape(const Shape &shape);
Result<Shape> decodeShape(ShapeKind kind, const QByteArray &bytes);

} // namespace fieldmark
