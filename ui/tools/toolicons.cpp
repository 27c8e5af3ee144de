#include "toolicons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace fieldmark {

namespace {

const QColor kOutline(58, 58, 58);

void handle(QPainter &p, QPointF centre, double half)
{
    p.setPen(QPen(kOutline, 1.0));
    p.setBrush(Qt::white);
    p.drawRect(QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half));
}

// One drawing on a 24 x 24 canvas, scaled to the pixmap.
void paint(QPainter &p, ToolIcon which)
{
    switch (which) {
    case ToolIcon::Select: {
        QPainterPath arrow;
        arrow.moveTo(5, 3);
        arrow.lineTo(5, 19);
        arrow.lineTo(9.5, 14.8);
        arrow.lineTo(12.6, 21);
        arrow.lineTo(15.2, 19.8);
        arrow.lineTo(12.2, 13.7);
        arrow.lineTo(18, 13.4);
        arrow.closeSubpath();
        p.setPen(QPen(kOutline, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(QColor(232, 232, 232));
        p.drawPath(arrow);
        break;
    }
    case ToolIcon::Box: {
        const QColor blue(61, 139, 253);
        p.setPen(QPen(blue, 2));
        p.setBrush(QColor(61, 139, 253, 64));
        p.drawRect(QRectF(4, 5, 16, 14));
        handle(p, QPointF(4, 5), 2);
        handle(p, QPointF(20, 19), 2);
        break;
    }
    case ToolIcon::Polygon: {
        const QPolygonF shape(
            {QPointF(4, 8), QPointF(12, 3), QPointF(20, 9), QPointF(17, 20), QPointF(7, 18)});
        p.setPen(QPen(QColor(47, 179, 109), 2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(QColor(47, 179, 109, 64));
        p.drawPolygon(shape);
        for (const QPointF &vertex : shape)
            handle(p, vertex, 1.5);
        break;
    }
    case ToolIcon::Brush: {
        QPainterPath stick;
        stick.moveTo(20.5, 3.5);
        stick.lineTo(11, 13);
        stick.lineTo(13, 15);
        stick.lineTo(22, 5.5);
        stick.closeSubpath();
        p.setPen(QPen(kOutline, 1));
        p.setBrush(QColor(176, 122, 60));
        p.drawPath(stick);
        QPainterPath tip;
        tip.moveTo(10, 14);
        tip.cubicTo(6, 14, 5, 17, 5, 19);
        tip.cubicTo(4, 20, 3, 20.5, 2, 20.5);
        tip.cubicTo(5, 22.5, 11, 22, 12, 16);
        tip.closeSubpath();
        p.setBrush(QColor(224, 83, 61));
        p.drawPath(tip);
        break;
    }
    case ToolIcon::Eraser: {
        const QPolygonF body(
            {QPointF(14, 3), QPointF(21, 10), QPointF(11, 20), QPointF(6, 20), QPointF(3, 17)});
        p.setPen(QPen(kOutline, 1.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(QColor(240, 143, 176));
        p.drawPolygon(body);
        p.drawLine(QPointF(8.5, 11.5), QPointF(15.5, 18.5));
        p.setPen(QPen(QColor(128, 128, 128), 1.5));
        p.drawLine(QPointF(11, 20), QPointF(21, 20));
        break;
    }
    case ToolIcon::AssistedMask: {
        QPen dashed(QColor(128, 128, 128), 1.5);
        dashed.setDashPattern({2, 1.4});
        p.setPen(dashed);
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(3, 3, 18, 18));
        QPainterPath blob;
        blob.moveTo(8, 16);
        blob.cubicTo(6, 12, 8, 7, 12, 7);
        blob.cubicTo(16, 7, 18, 11, 16, 15);
        blob.cubicTo(14, 18, 10, 18, 8, 16);
        p.setPen(QPen(QColor(160, 108, 240), 1.5));
        p.setBrush(QColor(160, 108, 240, 140));
        p.drawPath(blob);
        const QPolygonF sparkle({QPointF(17, 2), QPointF(18, 5), QPointF(21, 6), QPointF(18, 7),
                                 QPointF(17, 10), QPointF(16, 7), QPointF(13, 6), QPointF(16, 5)});
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(245, 197, 66));
        p.drawPolygon(sparkle);
        break;
    }
    }
}

} // namespace

QIcon toolIcon(ToolIcon which)
{
    QIcon icon;
    for (int size : {16, 20, 24, 32, 48, 64}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 24.0, size / 24.0);
        paint(p, which);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace fieldmark
