#include "annotationitem.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <cmath>
#include <cstring>

namespace fieldmark {

namespace {

double distanceToSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t =
        length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

const QFont &tagFont()
{
    static const QFont font = [] {
        QFont f;
        f.setPixelSize(11);
        return f;
    }();
    return font;
}

} // namespace

AnnotationItem::AnnotationItem(const Annotation &annotation, const QColor &color,
                               const QString &className)
{
    setAnnotation(annotation, color, className);
}

void AnnotationItem::setAnnotation(const Annotation &annotation, const QColor &color,
                                   const QString &className)
{
    prepareGeometryChange();
    m_annotation = annotation;
    m_shape = annotation.shape;
    m_color = color.isValid() ? color : QColor(Qt::magenta);
    m_className = className;
    // The tag's text and size, once: boundingRect() and paint() run for every item in every
    // frame, and 5,000 boxes must pan smoothly.
    m_tagText = className;
    if (annotation.provenance.state == LabelState::Machine && annotation.provenance.confidence)
        m_tagText += QStringLiteral(" %1%").arg(qRound(*annotation.provenance.confidence * 100));
    const QFontMetricsF metrics(tagFont());
    m_tagSize = QSizeF(std::ceil(metrics.horizontalAdvance(m_tagText) + 8),
                       std::ceil(metrics.height() + 4));
    m_tagImage = QImage();
    // Masks under polygons under boxes, so the small shapes stay clickable.
    const double base = std::holds_alternative<Mask>(m_shape)      ? 1
                        : std::holds_alternative<Polygon>(m_shape) ? 2
                                                                   : 3;
    setZValue(base + (m_selected ? 10 : 0));
    rebuildMaskImage();
    update();
}

void AnnotationItem::setPreviewShape(const Shape &shape)
{
    prepareGeometryChange();
    const bool maskChanged = std::holds_alternative<Mask>(shape) && !(shape == m_shape);
    m_shape = shape;
    if (maskChanged)
        rebuildMaskImage();
    update();
}

void AnnotationItem::setActiveVertex(int index)
{
    if (m_activeVertex == index)
        return;
    m_activeVertex = index;
    update();
}

void AnnotationItem::setSelectedInDocument(bool selected)
{
    if (m_selected == selected)
        return;
    m_selected = selected;
    setZValue(zValue() + (selected ? 10 : -10));
    update();
}

void AnnotationItem::setViewScale(double scale)
{
    if (scale <= 0 || scale == m_scale)
        return;
    prepareGeometryChange();
    m_scale = scale;
}

bool AnnotationItem::isAwaitingReview() const
{
    return m_annotation.provenance.state == LabelState::Machine;
}

QList<QPointF> AnnotationItem::boxHandles(const QRectF &r)
{
    const QPointF c = r.center();
    return {r.topLeft(),     QPointF(c.x(), r.top()),    r.topRight(),   QPointF(r.right(), c.y()),
            r.bottomRight(), QPointF(c.x(), r.bottom()), r.bottomLeft(), QPointF(r.left(), c.y())};
}

QRectF AnnotationItem::shapeRect() const
{
    if (const auto *box = std::get_if<Box>(&m_shape))
        return box->rect();
    if (const auto *polygon = std::get_if<Polygon>(&m_shape))
        return QPolygonF(polygon->points).boundingRect();
    if (const auto *mask = std::get_if<Mask>(&m_shape))
        return QRectF(mask->rle.bounds());
    return {};
}

void AnnotationItem::rebuildMaskImage()
{
    m_maskImage = QImage();
    const auto *mask = std::get_if<Mask>(&m_shape);
    if (!mask || mask->rle.bounds().isEmpty())
        return;
    const QRect bounds = mask->rle.bounds();
    const qint64 width = bounds.width();
    const qint64 height = bounds.height();
    // A mask over most of a 20,000-pixel image would be a 1.6 GB colour image: above
    // MaxMaskSide it is kept reduced (every pixel of a reduced cell set if any in it is), and
    // drawn scaled up. The stored mask is untouched.
    const int factor = std::max(1, int(std::ceil(double(std::max(width, height)) / MaxMaskSide)));
    QImage image(int((width + factor - 1) / factor), int((height + factor - 1) / factor),
                 QImage::Format_Indexed8);
    image.setColorTable(
        {qRgba(0, 0, 0, 0), QColor(m_color.red(), m_color.green(), m_color.blue(), 120).rgba()});
    image.fill(0);
    // Runs alternate unset/set over the bounds, row-major, starting with unset; a set run is
    // filled row piece by row piece.
    qint64 offset = 0;
    bool set = false;
    const qint64 total = width * height;
    for (quint32 run : mask->rle.counts()) {
        const qint64 end = std::min(total, offset + run);
        for (qint64 at = offset; set && at < end;) {
            const qint64 y = at / width;
            const qint64 rowEnd = std::min(end, (y + 1) * width);
            const qint64 x0 = (at - y * width) / factor;
            const qint64 x1 = (rowEnd - 1 - y * width) / factor;
            std::memset(image.scanLine(int(y / factor)) + x0, 1, size_t(x1 - x0 + 1));
            at = rowEnd;
        }
        offset = end;
        set = !set;
    }
    m_maskImage = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

QRectF AnnotationItem::boundingRect() const
{
    const QRectF r = shapeRect();
    if (r.isNull() && r.width() == 0 && r.height() == 0 && r.topLeft().isNull())
        return {};
    const double margin = (HandleSize + 4) / m_scale;
    // Room above for the class tag, in screen pixels.
    const double tagWidth = (m_tagSize.width() + 2) / m_scale;
    const double tagHeight = (m_tagSize.height() + 2) / m_scale;
    const QPointF anchor = tagAnchor();
    return r.adjusted(-margin, -margin, margin, margin)
        .united(QRectF(anchor.x() - margin, anchor.y() - tagHeight - margin, tagWidth + margin,
                       tagHeight + 2 * margin));
}

QPointF AnnotationItem::tagAnchor() const
{
    // On the shape's topmost point, so the tag sits on the outline and not in empty space
    // at the corner of the bounds.
    if (const auto *polygon = std::get_if<Polygon>(&m_shape)) {
        QPointF top = polygon->points.value(0);
        for (const QPointF &p : polygon->points) {
            if (p.y() < top.y() || (p.y() == top.y() && p.x() < top.x()))
                top = p;
        }
        return top;
    }
    if (const auto *mask = std::get_if<Mask>(&m_shape)) {
        const QRect bounds = mask->rle.bounds();
        const qint64 first = mask->rle.counts().value(0); // zeros before the first set pixel
        if (bounds.width() > 0)
            return QPointF(bounds.x() + first % bounds.width(),
                           bounds.y() + first / bounds.width());
    }
    return shapeRect().topLeft();
}

QPainterPath AnnotationItem::shape() const
{
    QPainterPath path;
    if (const auto *polygon = std::get_if<Polygon>(&m_shape))
        path.addPolygon(QPolygonF(polygon->points));
    else
        path.addRect(shapeRect());
    return path;
}

void AnnotationItem::drawHandle(QPainter *painter, const QPointF &centre) const
{
    const double half = HandleSize / 2 / m_scale;
    painter->setPen(QPen(QColor(20, 20, 20), 1.0, Qt::SolidLine));
    painter->setBrush(Qt::white);
    painter->drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half));
}

void AnnotationItem::drawTag(QPainter *painter, const QPointF &anchor) const
{
    // Drawn once into an image and then only copied: text is the dearest thing to draw, and
    // a canvas may hold thousands of tags.
    const qreal dpr = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    if (m_tagImage.isNull() || m_tagImage.devicePixelRatioF() != dpr) {
        m_tagImage = QImage((m_tagSize * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
        m_tagImage.setDevicePixelRatio(dpr);
        m_tagImage.fill(isAwaitingReview() ? QColor(30, 30, 30, 200) : m_color);
        QPainter tag(&m_tagImage);
        tag.setFont(tagFont());
        tag.setPen(isAwaitingReview() ? m_color.lighter(130)
                                      : (m_color.lightnessF() > 0.6 ? Qt::black : Qt::white));
        tag.drawText(QRectF(QPointF(0, 0), m_tagSize), Qt::AlignCenter, m_tagText);
    }
    const QRectF target(anchor.x(), anchor.y() - m_tagSize.height() / m_scale,
                        m_tagSize.width() / m_scale, m_tagSize.height() / m_scale);
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter->drawImage(target, m_tagImage);
}

void AnnotationItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const bool awaiting = isAwaitingReview();
    QPen outline(m_color, m_selected ? 2.5 : 1.5, awaiting ? Qt::DashLine : Qt::SolidLine);
    outline.setCosmetic(true);
    QColor fill = m_color;
    fill.setAlpha(m_selected ? 70 : 40);
    // Only slanted edges need smoothing; box edges stay crisp.
    painter->setRenderHint(QPainter::Antialiasing, std::holds_alternative<Polygon>(m_shape));

    // A dark halo under the coloured outline keeps it visible on any image (a red box on red,
    // thin lines on noisy textures).
    QPen halo(QColor(0, 0, 0, 150), outline.widthF() + 2, Qt::SolidLine);
    halo.setCosmetic(true);
    const QRectF rect = shapeRect();
    if (const auto *box = std::get_if<Box>(&m_shape)) {
        painter->setPen(halo);
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(box->rect());
        painter->setPen(outline);
        painter->setBrush(fill);
        painter->drawRect(box->rect());
    } else if (const auto *polygon = std::get_if<Polygon>(&m_shape)) {
        painter->setPen(halo);
        painter->setBrush(Qt::NoBrush);
        painter->drawPolygon(QPolygonF(polygon->points));
        painter->setPen(outline);
        painter->setBrush(fill);
        painter->drawPolygon(QPolygonF(polygon->points));
    } else if (std::holds_alternative<Mask>(m_shape)) {
        painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
        painter->drawImage(rect, m_maskImage);
        // A mask has no outline of its own: its bounds show review state and selection.
        if (awaiting || m_selected) {
            QPen bounds = outline;
            bounds.setWidthF(1);
            if (!awaiting)
                bounds.setStyle(Qt::DotLine);
            painter->setPen(bounds);
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(rect);
        }
    }
    // Tags only where they can be read: on shapes big enough on screen, and always on the
    // selection. Thousands of tiny tags at a fitted zoom would be clutter, and text is the
    // dearest thing to draw.
    if (m_selected || std::max(rect.width(), rect.height()) * m_scale >= MinTaggedSize)
        drawTag(painter, tagAnchor());

    if (!m_selected)
        return;
    painter->setRenderHint(QPainter::Antialiasing, false);
    if (const auto *box = std::get_if<Box>(&m_shape)) {
        for (const QPointF &handle : boxHandles(box->rect()))
            drawHandle(painter, handle);
    } else if (const auto *polygon = std::get_if<Polygon>(&m_shape)) {
        for (const QPointF &vertex : polygon->points)
            drawHandle(painter, vertex);
        if (m_activeVertex >= 0 && m_activeVertex < polygon->points.size()) {
            const double half = HandleSize / 2 / m_scale;
            const QPointF c = polygon->points.at(m_activeVertex);
            painter->setBrush(m_color);
            painter->drawRect(QRectF(c.x() - half, c.y() - half, 2 * half, 2 * half));
        }
    }
}

AnnotationItem::Hit AnnotationItem::hitTest(const QPointF &p) const
{
    const double tolerance = (HandleSize / 2 + 2) / m_scale;
    if (const auto *box = std::get_if<Box>(&m_shape)) {
        if (m_selected) {
            const QList<QPointF> handles = boxHandles(box->rect());
            for (int i = 0; i < handles.size(); ++i) {
                if (std::abs(p.x() - handles[i].x()) <= tolerance &&
                    std::abs(p.y() - handles[i].y()) <= tolerance)
                    return {Hit::Part::Handle, i};
            }
        }
        if (box->rect().contains(p))
            return {Hit::Part::Body, -1};
    } else if (const auto *polygon = std::get_if<Polygon>(&m_shape)) {
        const QVector<QPointF> &points = polygon->points;
        if (m_selected) {
            for (int i = 0; i < points.size(); ++i) {
                if (std::abs(p.x() - points[i].x()) <= tolerance &&
                    std::abs(p.y() - points[i].y()) <= tolerance)
                    return {Hit::Part::Vertex, i};
            }
            for (int i = 0; i < points.size(); ++i) {
                if (distanceToSegment(p, points[i], points[(i + 1) % points.size()]) <=
                    tolerance / 2)
                    return {Hit::Part::Edge, i};
            }
        }
        if (QPolygonF(points).containsPoint(p, Qt::OddEvenFill))
            return {Hit::Part::Body, -1};
    } else if (const auto *mask = std::get_if<Mask>(&m_shape)) {
        if (mask->rle.contains(int(std::floor(p.x())), int(std::floor(p.y()))))
            return {Hit::Part::Body, -1};
    }
    return {};
}

} // namespace fieldmark
