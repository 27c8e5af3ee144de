#pragma once

#include <QGraphicsView>
#include <QPointer>

namespace fieldmark {

class CanvasScene;
class ToolManager;

// The view on the canvas scene (scene coordinates are image pixels). Zooms with the wheel
// around the cursor and with zoomIn/zoomOut/fit/actual size; pans with the middle button or
// Space + drag; draws a crosshair while a drawing tool is active; reports the pixel under the
// cursor. Every other mouse and key event goes to the tool manager's current tool.
class CanvasView : public QGraphicsView
{
    Q_OBJECT

public:
    explicit CanvasView(CanvasScene *scene, QWidget *parent = nullptr);

    CanvasScene *canvasScene() const { return m_scene; }
    void setToolManager(ToolManager *tools);

    double scale() const { return m_scale; }
    // Sets the zoom, keeping the scene point under `viewportPos` where it is.
    void setScale(double scale, const QPoint &viewportPos);
    void zoomIn();
    void zoomOut();
    void fitToWindow();
    void actualSize();
    bool isFitting() const { return m_fitting; }

    void setCrosshairVisible(bool visible);
    bool isCrosshairVisible() const { return m_crosshair; }
    bool isPanning() const { return m_panning; }
    // The cursor the current tool asks for (or the pan hand); tools call it when theirs changes.
    void updateCursorShape();

    static constexpr double MinScale = 1.0 / 64;
    static constexpr double MaxScale = 64;

Q_SIGNALS:
    void cursorPixelChanged(const QPoint &pixel, bool insideImage);
    void zoomChanged(double scale);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void updateSceneRect();
    void reportCursor(const QPoint &viewportPos);
    void updateCrosshair(const QPoint &viewportPos);
    QPointF toScene(const QPointF &viewportPos) const;

    CanvasScene *m_scene;
    QPointer<ToolManager> m_tools;
    double m_scale = 1;
    bool m_fitting = true;
    bool m_crosshair = false;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panLast;
    QPoint m_cursor{-1, -1}; // viewport position of the mouse, for the crosshair
};

} // namespace fieldmark
