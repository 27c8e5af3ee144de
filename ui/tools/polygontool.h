#pragma once

#include "ui/tools/abstracttool.h"

#include <QVector>

class QGraphicsPathItem;

namespace fieldmark {

// Draws a polygon of the current class: click the vertices, close it by clicking the first
// point, double-clicking or pressing Enter; Backspace takes back the last vertex and Escape
// drops the polygon. A vertex whose edge would cross an earlier edge is refused with a
// status message, so every stored polygon is simple.
class PolygonTool : public AbstractTool
{
    Q_OBJECT

public:
    explicit PolygonTool(QObject *parent = nullptr);
    ~PolygonTool() override;

    bool fitsTask(TaskType type) const override { return type == TaskType::Segmentation; }
    void activate() override;
    void deactivate() override;
    void mousePressed(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos) override;
    void mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos) override;
    bool keyPressed(QKeyEvent *event) override;
    bool wantsKey(QKeyEvent *event) const override;

    const QVector<QPointF> &points() const { return m_points; }

private:
    void addPoint(const QPointF &point);
    bool nearFirstPoint(const QPointF &scenePos) const;
    void close();
    void updatePreview();

    QVector<QPointF> m_points;
    QPointF m_cursor;
    QGraphicsPathItem *m_preview = nullptr;
};

} // namespace fieldmark
