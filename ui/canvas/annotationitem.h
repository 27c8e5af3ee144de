#pragma once

#include "core/model/annotation.h"

#include <QColor>
#include <QGraphicsItem>
#include <QImage>

namespace fieldmark {

// One annotation on the canvas: a box, a polygon or a mask (a translucent class-coloured
// image). Machine labels awaiting review get a dashed outline and their confidence; the
// selection gets handles. Handles, outlines and text keep their screen size at any zoom.
// The item only draws: tools edit through the document.
class AnnotationItem : public QGraphicsItem
{
public:
    // What is under a point: the body, a box handle (0..7 clockwise from the top-left
    // corner), a polygon vertex, or a polygon edge (vertex i to i+1).
    struct Hit
    {
        enum class Part { None, Body, Handle, Vertex, Edge };
        Part part = Part::None;
        int index = -1;
        explicit operator bool() const { return part != Part::None; }
    };

    AnnotationItem(const Annotation &annotation, const QColor &color, const QString &className);

    const Annotation &annotation() const { return m_annotation; }
    qint64 id() const { return m_annotation.id; }
    void setAnnotation(const Annotation &annotation, const QColor &color, const QString &className);
    // A shape being dragged, shown until the document has the final one.
    void setPreviewShape(const Shape &shape);
    const Shape &shownShape() const { return m_shape; }

    // The polygon vertex the select tool acts on (Delete removes it), or -1.
    void setActiveVertex(int index);
    int activeVertex() const { return m_activeVertex; }
    void setSelectedInDocument(bool selected);
    bool isSelectedInDocument() const { return m_selected; }
    // Screen pixels per image pixel, for the handle and outline sizes.
    void setViewScale(double scale);

    bool isAwaitingReview() const;
    Hit hitTest(const QPointF &scenePos) const;
    // The eight handle centres of a box, clockwise from the top-left corner.
    static QList<QPointF> boxHandles(const QRectF &rect);

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    static constexpr double HandleSize = 8; // screen pixels
    // Shapes smaller than this on screen (pixels) get no tag unless selected.
    static constexpr double MinTaggedSize = 40;

private:
    QRectF shapeRect() const;
    QPointF tagAnchor() const;
    void rebuildMaskImage();
    void drawHandle(QPainter *painter, const QPointF &centre) const;
    void drawTag(QPainter *painter, const QPointF &anchor) const;

    Annotation m_annotation;
    Shape m_shape;
    QColor m_color;
    QString m_className;
    QString m_tagText;
    QSizeF m_tagSize;          // screen pixels
    mutable QImage m_tagImage; // the tag drawn once, at the screen's pixel ratio
    QImage m_maskImage;
    bool m_selected = false;
    int m_activeVertex = -1;
    double m_scale = 1;
};

} // namespace fieldmark
