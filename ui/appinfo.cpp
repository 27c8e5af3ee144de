#include "appinfo.h"

#include <QApplication>
#include <QImageReader>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QStyle>

// The resources live in a static library: nothing references their object file, so the
// linker would drop it without this call. Q_INIT_RESOURCE must be used outside a namespace.
static void initFieldmarkResources()
{
    Q_INIT_RESOURCE(fieldmark);
}

namespace fieldmark {

QString applicationVersionString()
{
    return QStringLiteral(FIELDMARK_VERSION_STRING);
}

namespace {

// The drawing of resources/icons/fieldmark.svg (a 64x64 canvas): a rounded tile, a picture
// frame with a mountain, a dashed bounding box and a tag. Kept in step with the SVG by hand.
QPixmap paintIcon(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);

    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x1f, 0x6f, 0xb2));
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 12, 12);

    p.setBrush(QColor(0xf4, 0xf7, 0xfb));
    p.drawRoundedRect(QRectF(10, 14, 44, 36), 4, 4);

    QPainterPath hills;
    hills.moveTo(12, 48);
    hills.lineTo(25, 30);
    hills.lineTo(33, 40);
    hills.lineTo(39, 33);
    hills.lineTo(52, 48);
    hills.closeSubpath();
    p.setBrush(QColor(0x4c, 0xaf, 0x50));
    p.drawPath(hills);

    p.setBrush(QColor(0xff, 0xc1, 0x07));
    p.drawEllipse(QPointF(44, 22), 4, 4);

    QPen box(QColor(0xe5, 0x39, 0x35), 2.5);
    box.setDashPattern({2.0, 1.2});
    p.setPen(box);
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(19, 24, 22, 22));
    return pixmap;
}

} // namespace

QIcon applicationIcon()
{
    static const bool resourcesReady = (initFieldmarkResources(), true);
    Q_UNUSED(resourcesReady);
    if (QImageReader::supportedImageFormats().contains("svg"))
        return QIcon(QStringLiteral(":/icons/fieldmark.svg"));
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(paintIcon(size));
    return icon;
}

QIcon themeIcon(const QString &name, int fallbackStandardPixmap)
{
    if (QIcon::hasThemeIcon(name))
        return QIcon::fromTheme(name);
    if (fallbackStandardPixmap < 0)
        return {};
    return QApplication::style()->standardIcon(QStyle::StandardPixmap(fallbackStandardPixmap));
}

} // namespace fieldmark
