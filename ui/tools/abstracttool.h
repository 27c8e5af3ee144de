#pragma once

#include "core/model/labeltask.h"

#include <QCursor>
#include <QIcon>
#include <QKeySequence>
#include <QObject>
#include <QPointF>

class QAction;
class QKeyEvent;
class QMouseEvent;

namespace fieldmark {

class ToolManager;

// One way of editing on the canvas (select, box, polygon, brush...). The tool manager routes
// the view's mouse and key events, in scene coordinates (image pixels), to the current tool.
// Tools change annotations only through the ItemDocument, so every edit is an undo step.
class AbstractTool : public QObject
{
    Q_OBJECT

public:
    AbstractTool(const QString &name, const QIcon &icon, const QKeySequence &shortcut,
                 QObject *parent = nullptr);
    ~AbstractTool() override;

    QString name() const { return m_name; }
    // Checkable, in the manager's exclusive group; its tooltip names the shortcut.
    QAction *action() const { return m_action; }
    ToolManager *manager() const { return m_manager; }

    // Whether the tool makes sense for a task type (a box tool has no place in a
    // segmentation task).
    virtual bool fitsTask(TaskType type) const = 0;
    // Drawing tools get the crosshair.
    virtual bool drawsShapes() const { return true; }
    virtual QCursor cursor() const { return Qt::CrossCursor; }

    virtual void activate() {}
    // Drops anything half drawn.
    virtual void deactivate() {}
    // The canvas shows another item (or none): drop anything half drawn.
    virtual void documentChanged() { deactivate(); }

    virtual void mousePressed(QMouseEvent *event, const QPointF &scenePos);
    virtual void mouseMoved(QMouseEvent *event, const QPointF &scenePos);
    virtual void mouseReleased(QMouseEvent *event, const QPointF &scenePos);
    virtual void mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos);
    // True when the tool used the key.
    virtual bool keyPressed(QKeyEvent *event);
    // True for keys the tool needs even where a window shortcut uses them.
    virtual bool wantsKey(QKeyEvent *event) const;

Q_SIGNALS:
    void statusMessage(const QString &text);

protected:
    // A tooltip such as "Box (W)" from the name and the shortcut, in the platform's words.
    void updateToolTip();

private:
    friend class ToolManager;
    QString m_name;
    QAction *m_action;
    ToolManager *m_manager = nullptr;
};

} // namespace fieldmark
