#pragma once

#include "core/document/itemdocument.h"

#include <QCursor>
#include <QList>
#include <QObject>
#include <QPointF>
#include <QPointer>

class QActionGroup;
class QAction;
class QKeyEvent;
class QMouseEvent;

namespace fieldmark {

class AbstractTool;
class CanvasScene;
class CanvasView;
class ItemDocument;

// Owns the canvas tools, keeps their actions in one exclusive QActionGroup, enables only
// the tools that fit the task type, and routes the view's events to the current tool. It is
// also what tools see of the editor: the document, the scene, the view and the current class.
class ToolManager : public QObject
{
    Q_OBJECT

public:
    ToolManager(CanvasView *view, QObject *parent = nullptr);
    ~ToolManager() override;

    // Takes ownership. The first tool registered is the default (select).
    void registerTool(AbstractTool *tool);
    QList<AbstractTool *> tools() const { return m_tools; }
    QActionGroup *actionGroup() const { return m_group; }
    QList<QAction *> actions() const;
    AbstractTool *currentTool() const { return m_current; }
    // Switches tools; a disabled tool or null falls back to the first enabled one.
    void setCurrentTool(AbstractTool *tool);
    template<typename T>
    T *findTool() const
    {
        for (AbstractTool *tool : m_tools) {
            if (auto *t = qobject_cast<T *>(tool))
                return t;
        }
        return nullptr;
    }

    // The item being edited, or null (tools then do nothing). Enables the tools that fit its
    // task's type.
    void setDocument(ItemDocument *document);
    ItemDocument *document() const { return m_document; }
    CanvasView *view() const { return m_view; }
    CanvasScene *scene() const;
    // The class new shapes get; 0 means the task's first class.
    void setCurrentClass(qint64 classId) { m_currentClass = classId; }
    qint64 currentClass() const;
    // The image is shown (decoded): drawing needs its size and pixels.
    bool hasImage() const;
    QRectF imageRect() const;

    // ---- from the view ------------------------------------------------------------------------
    void mousePressed(QMouseEvent *event, const QPointF &scenePos);
    void mouseMoved(QMouseEvent *event, const QPointF &scenePos);
    void mouseReleased(QMouseEvent *event, const QPointF &scenePos);
    void mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos);
    bool keyPressed(QKeyEvent *event);
    bool wantsKey(QKeyEvent *event) const;
    QCursor cursor() const;

Q_SIGNALS:
    void currentToolChanged(fieldmark::AbstractTool *tool);
    void statusMessage(const QString &text);

private:
    void updateEnabled();
    bool active() const;

    CanvasView *m_view;
    QActionGroup *m_group;
    QList<AbstractTool *> m_tools;
    AbstractTool *m_current = nullptr;
    QPointer<ItemDocument> m_document;
    qint64 m_currentClass = 0;
};

} // namespace fieldmark
