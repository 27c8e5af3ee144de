#pragma once

#include "core/model/annotation.h"
#include "ui/tools/abstracttool.h"

#include <QHash>

class QGraphicsRectItem;

namespace fieldmark {

class AnnotationItem;

// Selects by click (Ctrl or Shift adds) and rubber band; moves the selection; resizes boxes by
// their handles; moves polygon vertices, inserts one by double-clicking an edge and deletes
// the clicked one with Delete; nudges with the arrow keys (Shift: 10 pixels). Every drag goes
// through ItemDocument::changeShapes with one merge key, so a drag is one undo step.
class SelectTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit SelectTool(QObject *parent = nullptr);
    ~SelectTool() override;

    bool fitsTask(TaskType type) const override;
    bool drawsShapes() const override { return false; }
    QCursor cursor() const override { return Qt::ArrowCursor; }

    void deactivate() override;
    void mousePressed(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseReleased(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(QKeyEvent *event) const override;

private:
    enum class Mode { Idle, RubberBand, Move, Resize, MoveVertex };

    void startMove(const QPointF &scenePos);
    void dragTo(const QPointF &scenePos);
    void nudge(const QPointF &delta);
    void setActiveVertex(qint64 id, int index);
    AnnotationItem *activeVertexItem() const;
    void updateHoverCursor(const QPointF &scenePos);
    void finishRubberBand(const QPointF &scenePos, bool add);

    Mode m_mode = Mode::Idle;
    QPointF m_pressPos;
    int m_mergeKey = 0;
    qint64 m_dragId = 0;
    int m_dragIndex = -1; // the box handle or polygon vertex being dragged
    QHash<qint64, Shape> m_original;
    QGraphicsRectItem *m_rubberBand = nullptr;
    qint64 m_vertexOwner = 0;
    int m_vertex = -1;
};

} // namespace fieldmark
