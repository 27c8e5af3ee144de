#include "boxtool.h"

#include "core/document/itemdocument.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/shapeops.h"
#include "ui/tools/toolmanager.h"

#include <QGraphicsRectItem>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPen>

namespace fieldmark {

BoxTool::BoxTool(QObject *parent)
    : AbstractTool(tr("Box"), QIcon(QStringLiteral(":/icons/tools/box.svg")),
                   QKeySequence(Qt::Key_W), parent)
{}

BoxTool::~BoxTool()
{
    delete m_preview;
}

void BoxTool::activate()
{
    const LabelClass *labelClass =
        manager()->document() ? manager()->document()->task().classById(manager()->currentClass())
                              : nullptr;
    if (labelClass)
        Q_EMIT statusMessage(tr("Drag to draw a box of class %1.").arg(labelClass->name));
}

void BoxTool::deactivate()
{
    delete m_preview;
    m_preview = nullptr;
}

QRectF BoxTool::currentRect(const QPointF &scenePos) const
{
    return shapeops::clampRect(QRectF(m_start, scenePos), manager()->imageRect());
}

void BoxTool::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton)
        return;
    deactivate();
    m_start = shapeops::clampPoint(scenePos, manager()->imageRect());
    const LabelClass *labelClass =
        manager()->document()->task().classById(manager()->currentClass());
    QPen pen(labelClass ? labelClass->color : QColor(Qt::magenta), 1.5);
    pen.setCosmetic(true);
    m_preview = new QGraphicsRectItem(QRectF(m_start, m_start));
    m_preview->setPen(pen);
    QColor fill = pen.color();
    fill.setAlpha(40);
    m_preview->setBrush(fill);
    m_preview->setZValue(1000);
    manager()->scene()->addItem(m_preview);
}

void BoxTool::mouseMoved(QMouseEvent *, const QPointF &scenePos)
{
    if (m_preview)
        m_preview->setRect(currentRect(scenePos));
}

void BoxTool::mouseReleased(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton || !m_preview)
        return;
    const QRectF rect = currentRect(scenePos);
    deactivate();
    // A click, or a drag of a couple of screen pixels, is not a box.
    const double minimum = std::max(1.0, 3.0 / manager()->view()->scale());
    if (rect.width() < minimum || rect.height() < minimum)
        return;
    ItemDocument *document = manager()->document();
    auto id = document->addAnnotation(manager()->currentClass(),
                                      Box{rect.x(), rect.y(), rect.width(), rect.height()});
    if (!id) {
        Q_EMIT statusMessage(id.errorString());
        return;
    }
    document->setSelection({*id});
}

bool BoxTool::wantsKey(QKeyEvent *event) const
{
    return m_preview && event->key() == Qt::Key_Escape;
}

bool BoxTool::keyPressed(QKeyEvent *event)
{
    if (!m_preview || event->key() != Qt::Key_Escape)
        return false;
    deactivate();
    return true;
}

} // namespace fieldmark
