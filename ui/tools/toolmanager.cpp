#include "toolmanager.h"

#include "core/document/itemdocument.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/tools/abstracttool.h"

#include <QAction>
#include <QActionGroup>

namespace fieldmark {

ToolManager::ToolManager(CanvasView *view, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_group(new QActionGroup(this))
{
    m_group->setExclusive(true);
}

ToolManager::~ToolManager() = default;

void ToolManager::registerTool(AbstractTool *tool)
{
    tool->setParent(this);
    tool->m_manager = this;
    m_tools.append(tool);
    m_group->addAction(tool->action());
    connect(tool->action(), &QAction::triggered, this, [this, tool] { setCurrentTool(tool); });
    connect(tool, &AbstractTool::statusMessage, this, &ToolManager::statusMessage);
    updateEnabled();
}

QList<QAction *> ToolManager::actions() const
{
    return m_group->actions();
}

void ToolManager::setCurrentTool(AbstractTool *tool)
{
    if (!tool || !tool->action()->isEnabled()) {
        tool = nullptr;
        for (AbstractTool *candidate : m_tools) {
            if (candidate->action()->isEnabled()) {
                tool = candidate;
                break;
            }
        }
    }
    if (tool == m_current) {
        if (m_current)
            m_current->action()->setChecked(true);
        return;
    }
    if (m_current)
        m_current->deactivate();
    m_current = tool;
    if (m_current) {
        m_current->action()->setChecked(true);
        m_current->activate();
    } else if (QAction *checked = m_group->checkedAction()) {
        checked->setChecked(false);
    }
    m_view->setCrosshairVisible(m_current && m_current->drawsShapes());
    m_view->updateCursorShape();
    Q_EMIT currentToolChanged(m_current);
}

void ToolManager::setDocument(ItemDocument *document)
{
    for (AbstractTool *tool : std::as_const(m_tools))
        tool->documentChanged();
    m_document = document;
    if (m_current)
        m_current->activate();
    updateEnabled();
}

void ToolManager::updateEnabled()
{
    for (AbstractTool *tool : std::as_const(m_tools))
        tool->action()->setEnabled(m_document && tool->fitsTask(m_document->task().type));
    if (!m_current || !m_current->action()->isEnabled())
        setCurrentTool(nullptr);
}

CanvasScene *ToolManager::scene() const
{
    return m_view->canvasScene();
}

qint64 ToolManager::currentClass() const
{
    if (!m_document)
        return 0;
    const LabelTask &task = m_document->task();
    if (m_currentClass && task.classById(m_currentClass))
        return m_currentClass;
    return task.classes.isEmpty() ? 0 : task.classes.constFirst().id;
}

bool ToolManager::hasImage() const
{
    // Not a preview: a mask proposed or painted on it would miss the full image's detail.
    return scene()->image() && !scene()->image()->isPreview();
}

QRectF ToolManager::imageRect() const
{
    return scene()->imageRect();
}

bool ToolManager::active() const
{
    return m_current && m_document && hasImage();
}

void ToolManager::mousePressed(QMouseEvent *event, const QPointF &scenePos)
{
    if (active())
        m_current->mousePressed(event, scenePos);
}

void ToolManager::mouseMoved(QMouseEvent *event, const QPointF &scenePos)
{
    if (active())
        m_current->mouseMoved(event, scenePos);
}

void ToolManager::mouseReleased(QMouseEvent *event, const QPointF &scenePos)
{
    if (active())
        m_current->mouseReleased(event, scenePos);
}

void ToolManager::mouseDoubleClicked(QMouseEvent *event, const QPointF &scenePos)
{
    if (active())
        m_current->mouseDoubleClicked(event, scenePos);
}

bool ToolManager::keyPressed(QKeyEvent *event)
{
    return active() && m_current->keyPressed(event);
}

bool ToolManager::wantsKey(QKeyEvent *event) const
{
    return active() && m_current->wantsKey(event);
}

QCursor ToolManager::cursor() const
{
    return m_current ? m_current->cursor() : QCursor(Qt::ArrowCursor);
}

} // namespace fieldmark
