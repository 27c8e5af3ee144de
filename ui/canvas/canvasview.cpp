#include "canvasview.h"

#include "ui/canvas/canvasscene.h"
#include "ui/tools/toolmanager.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace fieldmark {

CanvasView::CanvasView(CanvasScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setTransformationAnchor(NoAnchor);
    setResizeAnchor(NoAnchor);
    setDragMode(NoDrag);
    // Panning and zooming are ours; the bars would only show the generous scene margins.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setViewportUpdateMode(SmartViewportUpdate);
    // Every item sets the pen, brush and hints it uses, so the view need not save and restore
    // the painter around each of thousands of items.
    setOptimizationFlags(DontAdjustForAntialiasing | DontSavePainterState);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(palette().color(QPalette::Dark));
    viewport()->setMouseTracking(true);
    updateSceneRect();
}

void CanvasView::setToolManager(ToolManager *tools)
{
    m_tools = tools;
}

QPointF CanvasView::toScene(const QPointF &viewportPos) const
{
    return viewportTransform().inverted().map(viewportPos);
}

void CanvasView::updateSceneRect()
{
    // Margins of a viewport on every side, so the image can be panned to any edge and zooming
    // around the cursor never runs into the end of the scroll range.
    const QRectF image = m_scene->imageRect().isEmpty() ? QRectF(0, 0, 1, 1) : m_scene->imageRect();
    const double margin = std::max(viewport()->width(), viewport()->height()) / m_scale + 2;
    setSceneRect(image.adjusted(-margin, -margin, margin, margin));
}

void CanvasView::setScale(double scale, const QPoint &viewportPos)
{
    scale = std::clamp(scale, MinScale, MaxScale);
    const QPointF anchor = toScene(QPointF(viewportPos));
    m_fitting = false;
    m_scale = scale;
    setTransform(QTransform::fromScale(scale, scale));
    updateSceneRect();
    const QPointF delta = viewportTransform().map(anchor) - QPointF(viewportPos);
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() + qRound(delta.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() + qRound(delta.y()));
    m_scene->setViewScale(m_scale);
    Q_EMIT zoomChanged(m_scale);
}

void CanvasView::zoomIn()
{
    setScale(m_scale * 1.25, viewport()->rect().center());
}

void CanvasView::zoomOut()
{
    setScale(m_scale / 1.25, viewport()->rect().center());
}

void CanvasView::actualSize()
{
    setScale(1, viewport()->rect().center());
}

void CanvasView::fitToWindow()
{
    const QRectF image = m_scene->imageRect();
    m_fitting = true;
    if (image.isEmpty() || viewport()->width() < 2 || viewport()->height() < 2)
        return;
    const double scale = std::clamp(
        std::min(viewport()->width() / image.width(), viewport()->height() / image.height()) * 0.98,
        MinScale, MaxScale);
    m_scale = scale;
    setTransform(QTransform::fromScale(scale, scale));
    updateSceneRect();
    centerOn(image.center());
    m_scene->setViewScale(m_scale);
    Q_EMIT zoomChanged(m_scale);
}

void CanvasView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_fitting)
        fitToWindow();
    else
        updateSceneRect();
}

void CanvasView::wheelEvent(QWheelEvent *event)
{
    const int steps = event->angleDelta().y();
    if (steps == 0) {
        event->ignore();
        return;
    }
    // One notch (120) zooms by 2^(1/4): four notches double.
    setScale(m_scale * std::pow(2.0, steps / 480.0), event->position().toPoint());
    event->accept();
}

void CanvasView::mousePressEvent(QMouseEvent *event)
{
    setFocus(Qt::MouseFocusReason);
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld)) {
        m_panning = true;
        m_panLast = event->position().toPoint();
        updateCursorShape();
        event->accept();
        return;
    }
    if (m_tools)
        m_tools->mousePressed(event, toScene(event->position()));
    event->accept();
}

void CanvasView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_panning) {
        const QPoint delta = pos - m_panLast;
        m_panLast = pos;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
    } else if (m_tools) {
        m_tools->mouseMoved(event, toScene(event->position()));
    }
    reportCursor(pos);
    updateCrosshair(pos);
    event->accept();
}

void CanvasView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        if (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton) {
            m_panning = false;
            updateCursorShape();
        }
        event->accept();
        return;
    }
    if (m_tools)
        m_tools->mouseReleased(event, toScene(event->position()));
    event->accept();
}

void CanvasView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_tools && event->button() == Qt::LeftButton && !m_spaceHeld)
        m_tools->mouseDoubleClicked(event, toScene(event->position()));
    event->accept();
}

bool CanvasView::event(QEvent *event)
{
    // Keys the current tool wants (arrows to nudge a selection, Enter to close a polygon)
    // must reach it before a window shortcut on the same key takes them.
    if (event->type() == QEvent::ShortcutOverride && m_tools &&
        m_tools->wantsKey(static_cast<QKeyEvent *>(event))) {
        event->accept();
        return true;
    }
    return QGraphicsView::event(event);
}

void CanvasView::changeEvent(QEvent *event)
{
    // Follows the system theme: the area around the image is the palette's dark shade.
    if (event->type() == QEvent::PaletteChange)
        setBackgroundBrush(palette().color(QPalette::Dark));
    QGraphicsView::changeEvent(event);
}

void CanvasView::keyPressEvent(QKeyEvent *event)
{
    if (m_tools && m_tools->keyPressed(event)) {
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Space) {
        if (!event->isAutoRepeat()) {
            m_spaceHeld = true;
            updateCursorShape();
        }
        event->accept();
        return;
    }
    // Not QGraphicsView's: its arrow keys would scroll, and the window uses them.
    event->ignore();
}

void CanvasView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        m_panning = false;
        updateCursorShape();
        event->accept();
        return;
    }
    event->ignore();
}

void CanvasView::leaveEvent(QEvent *event)
{
    updateCrosshair(QPoint(-1, -1));
    Q_EMIT cursorPixelChanged(QPoint(), false);
    QGraphicsView::leaveEvent(event);
}

void CanvasView::reportCursor(const QPoint &viewportPos)
{
    const QPointF scenePos = toScene(QPointF(viewportPos));
    const QPoint pixel(int(std::floor(scenePos.x())), int(std::floor(scenePos.y())));
    const QRectF image = m_scene->imageRect();
    Q_EMIT cursorPixelChanged(pixel, !image.isEmpty() && pixel.x() >= 0 && pixel.y() >= 0 &&
                                         pixel.x() < image.width() && pixel.y() < image.height());
}

void CanvasView::setCrosshairVisible(bool visible)
{
    if (m_crosshair == visible)
        return;
    m_crosshair = visible;
    viewport()->update();
}

void CanvasView::updateCrosshair(const QPoint &viewportPos)
{
    const QPoint old = m_cursor;
    m_cursor = viewportPos;
    if (!m_crosshair)
        return;
    // Only the thin strips under the old and the new lines are repainted.
    const int w = viewport()->width();
    const int h = viewport()->height();
    for (const QPoint &p : {old, m_cursor}) {
        if (p.x() < 0)
            continue;
        viewport()->update(QRect(0, p.y() - 2, w, 5));
        viewport()->update(QRect(p.x() - 2, 0, 5, h));
    }
}

void CanvasView::drawForeground(QPainter *painter, const QRectF &rect)
{
    if (!m_crosshair || m_cursor.x() < 0 || m_panning)
        return;
    const QPointF c = toScene(QPointF(m_cursor) + QPointF(0.5, 0.5));
    QPen light(QColor(255, 255, 255, 170), 1);
    light.setCosmetic(true);
    QPen dark(QColor(0, 0, 0, 170), 1, Qt::DashLine);
    dark.setCosmetic(true);
    for (const QPen &pen : {light, dark}) {
        painter->setPen(pen);
        painter->drawLine(QPointF(rect.left(), c.y()), QPointF(rect.right(), c.y()));
        painter->drawLine(QPointF(c.x(), rect.top()), QPointF(c.x(), rect.bottom()));
    }
}

void CanvasView::updateCursorShape()
{
    if (m_panning)
        viewport()->setCursor(Qt::ClosedHandCursor);
    else if (m_spaceHeld)
        viewport()->setCursor(Qt::OpenHandCursor);
    else if (m_tools)
        viewport()->setCursor(m_tools->cursor());
    else
        viewport()->unsetCursor();
}

} // namespace fieldmark
