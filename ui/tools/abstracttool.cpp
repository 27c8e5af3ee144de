#include "abstracttool.h"

#include <QAction>

namespace fieldmark {

AbstractTool::AbstractTool(const QString &name, const QIcon &icon, const QKeySequence &shortcut,
                           QObject *parent)
    : QObject(parent)
    , m_name(name)
    , m_action(new QAction(icon, name, this))
{
    m_action->setCheckable(true);
    m_action->setShortcut(shortcut);
    m_action->setData(name);
    updateToolTip();
}

AbstractTool::~AbstractTool() = default;

void AbstractTool::updateToolTip()
{
    const QKeySequence shortcut = m_action->shortcut();
    m_action->setToolTip(
        shortcut.isEmpty()
            ? m_name
            : tr("%1 (%2)").arg(m_name, shortcut.toString(QKeySequence::NativeText)));
}

void AbstractTool::mousePressed(QMouseEvent *, const QPointF &) {}
void AbstractTool::mouseMoved(QMouseEvent *, const QPointF &) {}
void AbstractTool::mouseReleased(QMouseEvent *, const QPointF &) {}
void AbstractTool::mouseDoubleClicked(QMouseEvent *, const QPointF &) {}

bool AbstractTool::keyPressed(QKeyEvent *)
{
    return false;
}

bool AbstractTool::wantsKey(QKeyEvent *) const
{
    return false;
}

} // namespace fieldmark
