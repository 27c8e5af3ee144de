#pragma once

#include "ui/canvas/imagepyramid.h"

#include <QGraphicsItem>

namespace fieldmark {

// The image under the annotations, in scene coordinates equal to image pixels. Paints only
// the tiles of the pyramid level that fits the zoom and that the exposed area touches.
class ImageLayer : public QGraphicsItem
{
public:
    explicit ImageLayer(QGraphicsItem *parent = nullptr);

    void setPyramid(ImagePyramidPtr pyramid);
    const ImagePyramidPtr &pyramid() const { return m_pyramid; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    // How many tiles the last paint drew, and from which level (for tests and the benchmark).
    int lastTileCount() const { return m_lastTiles; }
    int lastLevel() const { return m_lastLevel; }

private:
    ImagePyramidPtr m_pyramid;
    int m_lastTiles = 0;
    int m_lastLevel = 0;
};

} // namespace fieldmark
