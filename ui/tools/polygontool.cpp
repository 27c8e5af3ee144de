#include "polygontool.h"

#include "core/document/itemdocument.h"
#include "core/model/validation.h"
#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/shapeops.h"
#include "ui/tools/toolmanager.h"

#include <QGraphicsPathItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainterPath>
#include <QPen>

namespace fieldmark {

PolygonTool::PolygonTool(QObject *parent)
    : AbstractTool(tr("Polygon"), QIcon(QStringLiteral(":/icons/tools/polygon.svg")),
                   QKeySequence(Qt::Key_P), parent)
{}

PolygonTool::~PolygonTool()
{
    delete m_preview;
}

void PolygonTool::activate()
{
    Q_EMIT statusMessage(tr("Click the vertices; click the first point, double-click or press "
                            "Enter to close; Backspace removes the last point, Escape cancels."));
}

void PolygonTool::deactivate()
{
    m_points.clear();
    delete m_preview;
    m_preview = nullptr;
}

bool PolygonTool::nearFirstPoint(const QPointF &scenePos) const
{
    if (m_points.size() < 3)
        return false;
    const double tolerance = AnnotationItem::HandleSize / manager()->view()->scale();
    const QPointF d = scenePos - m_points.constFirst();
    return std::abs(d.x()) <= tolerance && std::abs(d.y()) <= tolerance;
}

void PolygonTool::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (nearFirstPoint(scenePos)) {
        close();
        return;
    }
    addPoint(shapeops::clampPoint(scenePos, manager()->imageRect()));
}

void PolygonTool::addPoint(const QPointF &point)
{
    if (!m_points.isEmpty() && point == m_points.constLast())
        return;
    // The new edge may not cross an earlier one (its neighbour shares a point: that is fine).
    if (m_points.size() >= 2) {
        const QPointF last = m_points.constLast();
        for (int i = 0; i + 1 < m_points.size() - 1; ++i) {
            if (segmentsCross(m_points[i], m_points[i + 1], last, point)) {
                Q_EMIT statusMessage(
                    tr("That edge would cross another edge of the polygon: click elsewhere."));
                return;
            }
        }
    }
    m_points.append(point);
    m_cursor = point;
    updatePreview();
}

void PolygonTool::mouseMoved(QMouseEvent *, const QPointF &scenePos)
{
    m_cursor = shapeops::clampPoint(scenePos, manager()->imageRect());
    if (!m_points.isEmpty())
        updatePreview();
}

void PolygonTool::mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos)
{
    // The press before the double-click added this point already.
    if (event->button() == Qt::LeftButton && m_points.size() >= 3)
        close();
}

void PolygonTool::close()
{
    if (m_points.size() < 3) {
        Q_EMIT statusMessage(tr("A polygon needs at least 3 points."));
        return;
    }
    if (polygonSelfIntersects(m_points)) {
        Q_EMIT statusMessage(tr("The closing edge would cross another edge: add or remove a "
                                "point first."));
        return;
    }
    ItemDocument *document = manager()->document();
    auto id = document->addAnnotation(manager()->currentClass(), Polygon{m_points});
    if (!id) {
        Q_EMIT statusMessage(id.errorString());
        return;
    }
    deactivate();
    document->setSelection({*id});
}

bool PolygonTool::wantsKey(QKeyEvent *event) const
{
    if (m_points.isEmpty())
        return false;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Backspace:
    case Qt::Key_Escape:
        return true;
    default:
        return false;
    }
}

bool PolygonTool::keyPressed(QKeyEvent *event)
{
    if (m_points.isEmpty())
        return false;
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        close();
        return true;
    case Qt::Key_Backspace:
        m_points.removeLast();
        if (m_points.isEmpty())
            deactivate();
        else
            updatePreview();
        return true;
    case Qt::Key_Escape:
        deactivate();
        Q_EMIT statusMessage(tr("Polygon cancelled."));
        return true;
    default:
        return false;
    }
}

void PolygonTool::updatePreview()
{
    if (!m_preview) {
        const LabelClass *labelClass =
            manager()->document()->task().classById(manager()->currentClass());
        QPen pen(labelClass ? labelClass->color : QColor(Qt::magenta), 1.5);
        pen.setCosmetic(true);
        m_preview = new QGraphicsPathItem;
        m_preview->setPen(pen);
        m_preview->setZValue(1000);
        manager()->scene()->addItem(m_preview);
    }
    QPainterPath path;
    path.moveTo(m_points.constFirst());
    for (int i = 1; i < m_points.size(); ++i)
        path.lineTo(m_points[i]);
    path.lineTo(m_cursor);
    // The first point, marked so closing on it is easy to aim at.
    const double r = AnnotationItem::HandleSize / 2 / manager()->view()->scale();
    path.addRect(QRectF(m_points.constFirst() - QPointF(r, r), QSizeF(2 * r, 2 * r)));
    m_preview->setPath(path);
}

} // namespace fieldmark
