#pragma once

#include "core/document/itemdocument.h"
#include "ui/canvas/imagepyramid.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointer>
#include <QSet>

namespace fieldmark {

class AnnotationItem;
class ImageLayer;
class ItemDocument;

// The canvas scene: the image layer and one AnnotationItem per live annotation of the
// document, kept in step with it through ItemDocument::changed(). Scene coordinates are
// image pixels.
class CanvasScene : public QGraphicsScene
{
    Q_OBJECT

public:
    explicit CanvasScene(QObject *parent = nullptr);
    ~CanvasScene() override;

    void setDocument(ItemDocument *document);
    ItemDocument *document() const { return m_document; }
    void setImage(ImagePyramidPtr pyramid);
    const ImagePyramidPtr &image() const;
    ImageLayer *imageLayer() const { return m_imageLayer; }
    // The image's rectangle in the scene (empty before an image is shown).
    QRectF imageRect() const;

    AnnotationItem *annotationItem(qint64 id) const { return m_items.value(id); }
    QList<AnnotationItem *> annotationItems() const { return m_items.values(); }
    // The visible annotation on top at a point, or null; the selected ones first.
    AnnotationItem *annotationAt(const QPointF &scenePos) const;

    void setClassVisible(qint64 classId, bool visible);
    bool isClassVisible(qint64 classId) const { return !m_hiddenClasses.contains(classId); }
    // Screen pixels per image pixel, for the items' handle and outline sizes.
    void setViewScale(double scale);
    double viewScale() const { return m_viewScale; }

private:
    void rebuild();
    void documentChanged(const ChangeEvent &event);
    void updateItem(qint64 id);
    void removeItem(qint64 id);
    void updateSelection();

    QPointer<ItemDocument> m_document;
    ImageLayer *m_imageLayer = nullptr;
    QHash<qint64, AnnotationItem *> m_items;
    QSet<qint64> m_hiddenClasses;
    double m_viewScale = 1;
};

} // namespace fieldmark
