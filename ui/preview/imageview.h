#pragma once

#include <QImage>
#include <QPixmap>
#include <QWidget>

namespace fieldmark {

// Shows one image fitted to the widget, centred, aspect ratio kept. A preview for now; the
// canvas with zoom and annotations replaces it in the editors.
class ImageView : public QWidget
{
    Q_OBJECT

public:
    explicit ImageView(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    QImage image() const { return m_image; }
    // Where the image is drawn, in widget coordinates.
    QRect imageRect() const;

    QSize sizeHint() const override { return {400, 300}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_image;
    QPixmap m_pixmap;
};

} // namespace fieldmark
