#include "shapeops.h"

#include <QPolygonF>

#include <cmath>

namespace fieldmark::shapeops {

QRectF bounds(const Shape &shape)
{
    if (const auto *box = std::get_if<Box>(&shape))
        return box->rect();
    if (const auto *polygon = std::get_if<Polygon>(&shape))
        return QPolygonF(polygon->points).boundingRect();
    if (const auto *mask = std::get_if<Mask>(&shape))
        return QRectF(mask->rle.bounds());
    return {};
}

Shape translated(const Shape &shape, const QPointF &delta)
{
    if (const auto *box = std::get_if<Box>(&shape))
        return Box{box->x + delta.x(), box->y + delta.y(), box->width, box->height};
    if (const auto *polygon = std::get_if<Polygon>(&shape)) {
        Polygon moved = *polygon;
        for (QPointF &p : moved.points)
            p += delta;
        return moved;
    }
    if (const auto *mask = std::get_if<Mask>(&shape)) {
        const QPoint offset(qRound(delta.x()), qRound(delta.y()));
        return Mask{RleMask(mask->rle.bounds().translated(offset), mask->rle.counts())};
    }
    return shape;
}

QPointF clampDelta(const QRectF &rect, const QPointF &delta, const QRectF &image)
{
    const double dx =
        std::clamp(delta.x(), image.left() - rect.left(),
                   std::max(image.left() - rect.left(), image.right() - rect.right()));
    const double dy =
        std::clamp(delta.y(), image.top() - rect.top(),
                   std::max(image.top() - rect.top(), image.bottom() - rect.bottom()));
    return {dx, dy};
}

QPointF clampPoint(const QPointF &point, const QRectF &image)
{
    return {std::clamp(point.x(), image.left(), image.right()),
            std::clamp(point.y(), image.top(), image.bottom())};
}

QRectF clampRect(const QRectF &rect, const QRectF &image)
{
    return rect.normalized().intersected(image);
}

} // namespace fieldmark::shapeops
