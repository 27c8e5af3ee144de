#include "canvasscene.h"

#include "core/document/itemdocument.h"
#include "ui/canvas/annotationitem.h"
#include "ui/canvas/imagelayer.h"

namespace fieldmark {

CanvasScene::CanvasScene(QObject *parent)
    : QGraphicsScene(parent)
    , m_imageLayer(new ImageLayer)
{
    // The default BSP index: with thousands of boxes, a frame while panning finds the few
    // visible ones without visiting every item; an edit moves one or two items in it.
    m_imageLayer->setZValue(-1);
    addItem(m_imageLayer);
}

CanvasScene::~CanvasScene() = default;

void CanvasScene::setDocument(ItemDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    if (m_document)
        connect(m_document, &ItemDocument::changed, this, &CanvasScene::documentChanged);
    rebuild();
}

void CanvasScene::setImage(ImagePyramidPtr pyramid)
{
    m_imageLayer->setPyramid(std::move(pyramid));
}

const ImagePyramidPtr &CanvasScene::image() const
{
    return m_imageLayer->pyramid();
}

QRectF CanvasScene::imageRect() const
{
    if (image())
        return QRectF(QPointF(0, 0), QSizeF(image()->size()));
    if (m_document && m_document->item().width > 0)
        return QRectF(0, 0, m_document->item().width, m_document->item().height);
    return {};
}

void CanvasScene::rebuild()
{
    for (AnnotationItem *item : std::as_const(m_items))
        delete item;
    m_items.clear();
    if (!m_document)
        return;
    for (const Annotation &annotation : m_document->liveAnnotations())
        updateItem(annotation.id);
    updateSelection();
}

void CanvasScene::documentChanged(const ChangeEvent &event)
{
    switch (event.kind) {
    case ChangeEvent::Kind::AnnotationsAdded:
    case ChangeEvent::Kind::AnnotationsChanged:
        for (qint64 id : event.ids)
            updateItem(id);
        updateSelection();
        break;
    case ChangeEvent::Kind::AnnotationsRemoved:
        for (qint64 id : event.ids)
            removeItem(id);
        break;
    case ChangeEvent::Kind::SelectionChanged:
        updateSelection();
        break;
    case ChangeEvent::Kind::SkipChanged:
        break;
    }
}

void CanvasScene::updateItem(qint64 id)
{
    const Annotation *annotation = m_document ? m_document->annotation(id) : nullptr;
    const bool shown = annotation && annotation->provenance.state != LabelState::Rejected &&
                       (std::holds_alternative<Box>(annotation->shape) ||
                        std::holds_alternative<Polygon>(annotation->shape) ||
                        std::holds_alternative<Mask>(annotation->shape));
    if (!shown) {
        removeItem(id);
        return;
    }
    const LabelClass *labelClass = m_document->task().classById(annotation->classId);
    const QColor color = labelClass ? labelClass->color : QColor();
    const QString name = labelClass ? labelClass->name : QString();
    AnnotationItem *item = m_items.value(id);
    if (item) {
        item->setAnnotation(*annotation, color, name);
    } else {
        item = new AnnotationItem(*annotation, color, name);
        item->setViewScale(m_viewScale);
        addItem(item);
        m_items.insert(id, item);
    }
    item->setVisible(isClassVisible(annotation->classId));
}

void CanvasScene::removeItem(qint64 id)
{
    delete m_items.take(id);
}

void CanvasScene::updateSelection()
{
    const QSet<qint64> selection = m_document ? m_document->selection() : QSet<qint64>();
    for (AnnotationItem *item : std::as_const(m_items))
        item->setSelectedInDocument(selection.contains(item->id()));
}

AnnotationItem *CanvasScene::annotationAt(const QPointF &scenePos) const
{
    AnnotationItem *best = nullptr;
    for (AnnotationItem *item : std::as_const(m_items)) {
        if (!item->isVisible() || !item->hitTest(scenePos))
            continue;
        if (!best || item->zValue() > best->zValue())
            best = item;
    }
    return best;
}

void CanvasScene::setClassVisible(qint64 classId, bool visible)
{
    if (visible)
        m_hiddenClasses.remove(classId);
    else
        m_hiddenClasses.insert(classId);
    for (AnnotationItem *item : std::as_const(m_items)) {
        if (item->annotation().classId == classId)
            item->setVisible(visible);
    }
}

void CanvasScene::setViewScale(double scale)
{
    if (scale == m_viewScale)
        return;
    m_viewScale = scale;
    for (AnnotationItem *item : std::as_const(m_items))
        item->setViewScale(scale);
}

} // namespace fieldmark
