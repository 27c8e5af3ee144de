#include "selecttool.h"

#include "core/document/itemdocument.h"
#include "core/model/validation.h"
#include "ui/canvas/annotationitem.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/shapeops.h"
#include "ui/tools/toolmanager.h"

#include <QGraphicsRectItem>
#include <QKeyEvent>
#include <QMouseEvent>

#include <cmath>

namespace fieldmark {

namespace {

// One key per drag or key press across every select tool, so two drags never merge.
int nextMergeKey()
{
    static int key = 1000;
    return ++key;
}

bool isArrow(int key)
{
    return key == Qt::Key_Left || key == Qt::Key_Right || key == Qt::Key_Up || key == Qt::Key_Down;
}

QPointF closestPointOnSegment(const QPointF &p, const QPointF &a, const QPointF &b)
{
    const QPointF ab = b - a;
    const double length2 = QPointF::dotProduct(ab, ab);
    const double t =
        length2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / length2, 0.0, 1.0) : 0.0;
    return a + t * ab;
}

} // namespace

SelectTool::SelectTool(QObject *parent)
    : AbstractTool(tr("Select"), QIcon(QStringLiteral(":/icons/tools/select.svg")),
                   QKeySequence(Qt::Key_V), parent)
{}

SelectTool::~SelectTool()
{
    delete m_rubberBand;
}

bool SelectTool::fitsTask(TaskType type) const
{
    return type == TaskType::Boxes || type == TaskType::Segmentation;
}

void SelectTool::deactivate()
{
    m_mode = Mode::Idle;
    m_original.clear();
    delete m_rubberBand;
    m_rubberBand = nullptr;
    setActiveVertex(0, -1);
}

void SelectTool::setActiveVertex(qint64 id, int index)
{
    if (AnnotationItem *item = activeVertexItem())
        item->setActiveVertex(-1);
    m_vertexOwner = index >= 0 ? id : 0;
    m_vertex = index;
    if (AnnotationItem *item = activeVertexItem())
        item->setActiveVertex(index);
}

AnnotationItem *SelectTool::activeVertexItem() const
{
    return m_vertexOwner && manager() ? manager()->scene()->annotationItem(m_vertexOwner) : nullptr;
}

void SelectTool::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton)
        return;
    ItemDocument *document = manager()->document();
    CanvasScene *scene = manager()->scene();
    m_pressPos = scenePos;
    m_mergeKey = nextMergeKey();
    const bool additive = event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier);
    AnnotationItem *item = scene->annotationAt(scenePos);
    if (!item) {
        setActiveVertex(0, -1);
        if (!additive)
            document->setSelection({});
        m_mode = Mode::RubberBand;
        return;
    }
    const AnnotationItem::Hit hit = item->hitTest(scenePos);
    if (additive) {
        QSet<qint64> selection = document->selection();
        if (selection.contains(item->id()))
            selection.remove(item->id());
        else
            selection.insert(item->id());
        document->setSelection(selection);
        m_mode = Mode::Idle;
        return;
    }
    if (!document->selection().contains(item->id()))
        document->setSelection({item->id()});
    m_dragId = item->id();
    m_dragIndex = hit.index;
    m_original.clear();
    if (hit.part == AnnotationItem::Hit::Part::Handle) {
        m_original.insert(item->id(), item->annotation().shape);
        m_mode = Mode::Resize;
    } else if (hit.part == AnnotationItem::Hit::Part::Vertex) {
        setActiveVertex(item->id(), hit.index);
        m_original.insert(item->id(), item->annotation().shape);
        m_mode = Mode::MoveVertex;
    } else {
        setActiveVertex(0, -1);
        startMove(scenePos);
    }
}

void SelectTool::startMove(const QPointF &)
{
    const ItemDocument *document = manager()->document();
    for (qint64 id : document->selection()) {
        if (const Annotation *annotation = document->annotation(id))
            m_original.insert(id, annotation->shape);
    }
    m_mode = Mode::Move;
}

void SelectTool::mouseMoved(QMouseEvent *event, const QPointF &scenePos)
{
    if (!(event->buttons() & Qt::LeftButton) || m_mode == Mode::Idle) {
        updateHoverCursor(scenePos);
        return;
    }
    if (m_mode == Mode::RubberBand) {
        if (!m_rubberBand) {
            m_rubberBand = new QGraphicsRectItem;
            QPen pen(manager()->view()->palette().color(QPalette::Highlight), 1, Qt::DashLine);
            pen.setCosmetic(true);
            m_rubberBand->setPen(pen);
            QColor fill = pen.color();
            fill.setAlpha(40);
            m_rubberBand->setBrush(fill);
            m_rubberBand->setZValue(1000);
            manager()->scene()->addItem(m_rubberBand);
        }
        m_rubberBand->setRect(QRectF(m_pressPos, scenePos).normalized());
        return;
    }
    dragTo(scenePos);
}

void SelectTool::dragTo(const QPointF &scenePos)
{
    ItemDocument *document = manager()->document();
    const QRectF image = manager()->imageRect();
    QHash<qint64, Shape> shapes;
    if (m_mode == Mode::Move) {
        QRectF union_;
        for (const Shape &shape : std::as_const(m_original))
            union_ = union_.united(shapeops::bounds(shape));
        const QPointF delta = shapeops::clampDelta(union_, scenePos - m_pressPos, image);
        for (auto it = m_original.cbegin(); it != m_original.cend(); ++it)
            shapes.insert(it.key(), shapeops::translated(it.value(), delta));
    } else if (m_mode == Mode::Resize) {
        const Shape original = m_original.value(m_dragId);
        const auto *box = std::get_if<Box>(&original);
        if (!box)
            return;
        const QPointF p = shapeops::clampPoint(scenePos, image);
        double left = box->x, top = box->y, right = box->x + box->width,
               bottom = box->y + box->height;
        // Handles 0..7 clockwise from the top-left corner.
        if (m_dragIndex == 0 || m_dragIndex == 6 || m_dragIndex == 7)
            left = p.x();
        if (m_dragIndex == 2 || m_dragIndex == 3 || m_dragIndex == 4)
            right = p.x();
        if (m_dragIndex == 0 || m_dragIndex == 1 || m_dragIndex == 2)
            top = p.y();
        if (m_dragIndex == 4 || m_dragIndex == 5 || m_dragIndex == 6)
            bottom = p.y();
        const QRectF rect = QRectF(QPointF(left, top), QPointF(right, bottom)).normalized();
        if (rect.width() < 1 || rect.height() < 1)
            return;
        shapes.insert(m_dragId, Box{rect.x(), rect.y(), rect.width(), rect.height()});
    } else if (m_mode == Mode::MoveVertex) {
        const Shape original = m_original.value(m_dragId);
        const auto *polygon = std::get_if<Polygon>(&original);
        if (!polygon || m_dragIndex < 0 || m_dragIndex >= polygon->points.size())
            return;
        Polygon moved = *polygon;
        moved.points[m_dragIndex] = shapeops::clampPoint(scenePos, image);
        if (polygonSelfIntersects(moved.points)) {
            Q_EMIT statusMessage(tr("A polygon's edges cannot cross: the vertex stays where "
                                    "it was last valid."));
            return;
        }
        shapes.insert(m_dragId, moved);
    }
    if (shapes.isEmpty())
        return;
    if (auto changed = document->changeShapes(shapes, m_mergeKey); !changed)
        Q_EMIT statusMessage(changed.errorString());
}

void SelectTool::mouseReleased(QMouseEvent *event, const QPointF &scenePos)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (m_mode == Mode::RubberBand) {
        finishRubberBand(scenePos, event->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier));
    }
    m_mode = Mode::Idle;
    m_original.clear();
    updateHoverCursor(scenePos);
}

void SelectTool::finishRubberBand(const QPointF &scenePos, bool add)
{
    const bool dragged = m_rubberBand != nullptr;
    delete m_rubberBand;
    m_rubberBand = nullptr;
    if (!dragged)
        return;
    const QRectF band = QRectF(m_pressPos, scenePos).normalized();
    QSet<qint64> selection = add ? manager()->document()->selection() : QSet<qint64>();
    for (AnnotationItem *item : manager()->scene()->annotationItems()) {
        if (item->isVisible() && band.intersects(shapeops::bounds(item->annotation().shape)))
            selection.insert(item->id());
    }
    manager()->document()->setSelection(selection);
}

void SelectTool::mouseDoubleClicked(QMouseEvent *, const QPointF &scenePos)
{
    AnnotationItem *item = manager()->scene()->annotationAt(scenePos);
    if (!item)
        return;
    const AnnotationItem::Hit hit = item->hitTest(scenePos);
    const auto *polygon = std::get_if<Polygon>(&item->annotation().shape);
    if (!polygon || hit.part != AnnotationItem::Hit::Part::Edge)
        return;
    Polygon inserted = *polygon;
    const QPointF a = polygon->points.at(hit.index);
    const QPointF b = polygon->points.at((hit.index + 1) % polygon->points.size());
    inserted.points.insert(hit.index + 1, closestPointOnSegment(scenePos, a, b));
    if (auto changed = manager()->document()->changeShape(item->id(), inserted); !changed)
        Q_EMIT statusMessage(changed.errorString());
    else
        setActiveVertex(item->id(), hit.index + 1);
}

bool SelectTool::wantsKey(QKeyEvent *event) const
{
    const bool hasSelection = !manager()->document()->selection().isEmpty();
    const Qt::KeyboardModifiers mods = event->modifiers() & ~(Qt::KeypadModifier);
    if (isArrow(event->key()))
        return hasSelection && (mods == Qt::NoModifier || mods == Qt::ShiftModifier);
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace)
        return m_vertex >= 0 && mods == Qt::NoModifier;
    if (event->key() == Qt::Key_Escape)
        return m_mode != Mode::Idle;
    return false;
}

bool SelectTool::keyPressed(QKeyEvent *event)
{
    ItemDocument *document = manager()->document();
    const int step = event->modifiers() & Qt::ShiftModifier ? 10 : 1;
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down: {
        if (document->selection().isEmpty() || m_mode != Mode::Idle)
            return false;
        const QPointF delta = event->key() == Qt::Key_Left    ? QPointF(-step, 0)
                              : event->key() == Qt::Key_Right ? QPointF(step, 0)
                              : event->key() == Qt::Key_Up    ? QPointF(0, -step)
                                                              : QPointF(0, step);
        nudge(delta);
        return true;
    }
    case Qt::Key_Delete:
    case Qt::Key_Backspace: {
        if (m_vertex >= 0) {
            const Annotation *annotation = document->annotation(m_vertexOwner);
            const auto *polygon = annotation ? std::get_if<Polygon>(&annotation->shape) : nullptr;
            if (!polygon || m_vertex >= polygon->points.size())
                return false;
            if (polygon->points.size() <= 3) {
                Q_EMIT statusMessage(tr("A polygon needs at least 3 points; delete the polygon "
                                        "instead."));
                return true;
            }
            Polygon fewer = *polygon;
            fewer.points.remove(m_vertex);
            if (auto changed = document->changeShape(m_vertexOwner, fewer); !changed)
                Q_EMIT statusMessage(changed.errorString());
            setActiveVertex(0, -1);
            return true;
        }
        if (document->selection().isEmpty())
            return false;
        if (auto deleted = document->deleteAnnotations(document->selection().values()); !deleted)
            Q_EMIT statusMessage(deleted.errorString());
        return true;
    }
    case Qt::Key_Escape:
        if (m_mode == Mode::Idle)
            return false;
        // Puts a drag in progress back where it started.
        if (m_mode != Mode::RubberBand && !m_original.isEmpty()) {
            if (auto restored = document->changeShapes(m_original, m_mergeKey); !restored)
                Q_EMIT statusMessage(restored.errorString());
        }
        deactivate();
        return true;
    default:
        return false;
    }
}

void SelectTool::nudge(const QPointF &requested)
{
    ItemDocument *document = manager()->document();
    QHash<qint64, Shape> shapes;
    QRectF union_;
    for (qint64 id : document->selection()) {
        if (const Annotation *annotation = document->annotation(id)) {
            shapes.insert(id, annotation->shape);
            union_ = union_.united(shapeops::bounds(annotation->shape));
        }
    }
    const QPointF delta = shapeops::clampDelta(union_, requested, manager()->imageRect());
    if (delta.isNull())
        return;
    for (auto it = shapes.begin(); it != shapes.end(); ++it)
        it.value() = shapeops::translated(it.value(), delta);
    if (auto changed = document->changeShapes(shapes, nextMergeKey()); !changed)
        Q_EMIT statusMessage(changed.errorString());
}

void SelectTool::updateHoverCursor(const QPointF &scenePos)
{
    QWidget *viewport = manager()->view()->viewport();
    if (manager()->view()->isPanning())
        return;
    AnnotationItem *item = manager()->scene()->annotationAt(scenePos);
    if (!item) {
        viewport->setCursor(Qt::ArrowCursor);
        return;
    }
    const AnnotationItem::Hit hit = item->hitTest(scenePos);
    using Part = AnnotationItem::Hit::Part;
    if (hit.part == Part::Handle) {
        static const Qt::CursorShape shapes[] = {Qt::SizeFDiagCursor, Qt::SizeVerCursor,
                                                 Qt::SizeBDiagCursor, Qt::SizeHorCursor};
        viewport->setCursor(shapes[hit.index % 4]);
    } else if (hit.part == Part::Vertex) {
        viewport->setCursor(Qt::PointingHandCursor);
    } else {
        viewport->setCursor(Qt::SizeAllCursor);
    }
}

} // namespace fieldmark
