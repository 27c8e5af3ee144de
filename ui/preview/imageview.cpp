#include "imageview.h"

#include <QPainter>

namespace fieldmark {

ImageView::ImageView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(64, 64);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ImageView::setImage(const QImage &image)
{
    m_image = image;
    m_pixmap = QPixmap::fromImage(image);
    update();
}

QRect ImageView::imageRect() const
{
    if (m_pixmap.isNull())
        return {};
    const QRect area = rect().adjusted(4, 4, -4, -4);
    const QSize fitted = m_pixmap.size().scaled(area.size(), Qt::KeepAspectRatio);
    QRect target(QPoint(0, 0), fitted);
    target.moveCenter(area.center());
    return target;
}

void ImageView::paintEvent(QPaintEvent *)
{
    if (m_pixmap.isNull())
        return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawPixmap(imageRect(), m_pixmap);
}

} // namespace fieldmark
