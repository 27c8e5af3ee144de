#pragma once

#include "core/model/annotation.h"

#include <QPointF>
#include <QRectF>

// Geometry the tools share: moving shapes and keeping them inside the image.
namespace fieldmark::shapeops {

QRectF bounds(const Shape &shape);
// The shape moved by `delta` (masks by whole pixels).
Shape translated(const Shape &shape, const QPointF &delta);
// The largest part of `delta` that keeps `rect` inside `image`.
QPointF clampDelta(const QRectF &rect, const QPointF &delta, const QRectF &image);
QPointF clampPoint(const QPointF &point, const QRectF &image);
// A normalised box inside the image; empty when nothing of it is inside.
QRectF clampRect(const QRectF &rect, const QRectF &image);

} // namespace fieldmark::shapeops
