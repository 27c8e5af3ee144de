#include "imagelayer.h"

#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <cmath>

namespace fieldmark {

ImageLayer::ImageLayer(QGraphicsItem *parent)
    : QGraphicsItem(parent)
{
    setFlag(ItemUsesExtendedStyleOption); // exposedRect: only the part being repainted
}

void ImageLayer::setPyramid(ImagePyramidPtr pyramid)
{
    prepareGeometryChange();
    m_pyramid = std::move(pyramid);
    update();
}

QRectF ImageLayer::boundingRect() const
{
    return m_pyramid ? QRectF(QPointF(0, 0), QSizeF(m_pyramid->size())) : QRectF();
}

void ImageLayer::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    m_lastTiles = 0;
    if (!m_pyramid)
        return;
    const QTransform &world = painter->worldTransform();
    const double scale = std::hypot(world.m11(), world.m12());
    const int levelIndex = m_pyramid->levelFor(scale);
    const QImage &level = m_pyramid->level(levelIndex);
    m_lastLevel = levelIndex;
    const QSize full = m_pyramid->size();
    const double fx = double(full.width()) / level.width();
    const double fy = double(full.height()) / level.height();
    // Zoomed in, pixels stay crisp squares; zoomed out, the little shrinking left is smoothed.
    painter->setRenderHint(QPainter::SmoothPixmapTransform, scale < 1.0);

    const QRectF exposed = option->exposedRect.intersected(boundingRect());
    if (exposed.isEmpty())
        return;
    const int tile = ImagePyramid::TileSize;
    const int col0 = std::max(0, int(std::floor(exposed.left() / fx / tile)));
    const int row0 = std::max(0, int(std::floor(exposed.top() / fy / tile)));
    const int col1 = std::min((level.width() - 1) / tile, int(exposed.right() / fx / tile));
    const int row1 = std::min((level.height() - 1) / tile, int(exposed.bottom() / fy / tile));
    for (int row = row0; row <= row1; ++row) {
        for (int col = col0; col <= col1; ++col) {
            const QRect source =
                QRect(col * tile, row * tile, tile, tile).intersected(level.rect());
            const QRectF target(source.x() * fx, source.y() * fy, source.width() * fx,
                                source.height() * fy);
            painter->drawImage(target, level, source);
            ++m_lastTiles;
        }
    }
}

} // namespace fieldmark
