#pragma once

#include "ui/tools/abstracttool.h"

class QGraphicsRectItem;

namespace fieldmark {

// Draws a box of the current class by dragging; the box is kept inside the image. Escape
// drops the box being drawn. The new box is selected, so arrows can nudge it at once.
class BoxTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit BoxTool(QObject *parent = nullptr);
    ~BoxTool() override;

    bool fitsTask(TaskType type) const override { return type == TaskType::Boxes; }
    void activate() override;
    void deactivate() override;
    void mousePressed(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseReleased(QMouseEvent *event, const QPointF &scenePos) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(QKeyEvent *event) const override;

private:
    QRectF currentRect(const QPointF &scenePos) const;

    QPointF m_start;
    QGraphicsRectItem *m_preview = nullptr;
};

} // namespace fieldmark
