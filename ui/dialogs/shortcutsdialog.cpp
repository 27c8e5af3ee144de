#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QKeySequence>
#include <QMenu>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace fieldmark {

namespace {

QString plainText(QString text)
{
    // "&Open Project…" reads "Open Project…"; "&&" is a literal ampersand.
    text.replace(QLatin1String("&&"), QStringLiteral("\x01"));
    text.remove(QLatin1Char('&'));
    text.replace(QStringLiteral("\x01"), QStringLiteral("&"));
    return text;
}

QString keysText(const QAction *action)
{
    QStringList keys;
    const QList<QKeySequence> shortcuts = action->shortcuts();
    for (const QKeySequence &shortcut : shortcuts)
        keys.append(shortcut.toString(QKeySequence::NativeText));
    return keys.join(QStringLiteral(", "));
}

void addActionRows(QTreeWidgetItem *parent, const QList<QAction *> &actions)
{
    for (const QAction *action : actions) {
        if (action->isSeparator())
            continue;
        if (const QMenu *sub = action->menu()) {
            addActionRows(parent, sub->actions());
            continue;
        }
        if (action->shortcuts().isEmpty())
            continue;
        auto *row = new QTreeWidgetItem(parent);
        row->setText(0, plainText(action->text()));
        row->setText(1, keysText(action));
    }
}

const char *const kBaseToolTip = "fieldmarkBaseToolTip";

} // namespace

ShortcutsDialog::ShortcutsDialog(const QList<QMenu *> &menus, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("shortcutTree"));
    m_tree->setHeaderLabels({tr("Action"), tr("Shortcut")});
    m_tree->setRootIsDecorated(false);
    m_tree->setSelectionMode(QAbstractItemView::NoSelection);
    m_tree->setFocusPolicy(Qt::NoFocus);
    for (const QMenu *menu : menus) {
        auto *group = new QTreeWidgetItem(m_tree);
        group->setText(0, plainText(menu->title()));
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        group->setFirstColumnSpanned(true);
        addActionRows(group, menu->actions());
        if (group->childCount() == 0)
            delete group;
    }
    m_tree->expandAll();
    m_tree->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tree);
    layout->addWidget(buttons);
    resize(560, 640);
}

void ShortcutsDialog::addGroup(const QString &title, const QList<QAction *> &actions)
{
    auto *group = new QTreeWidgetItem(m_tree);
    group->setText(0, plainText(title));
    QFont bold = group->font(0);
    bold.setBold(true);
    group->setFont(0, bold);
    group->setFirstColumnSpanned(true);
    addActionRows(group, actions);
    if (group->childCount() == 0)
        delete group;
    else
        group->setExpanded(true);
}

void ShortcutsDialog::addRows(const QString &title, const QList<std::pair<QString, QString>> &rows)
{
    auto *group = new QTreeWidgetItem(m_tree);
    group->setText(0, title);
    QFont bold = group->font(0);
    bold.setBold(true);
    group->setFont(0, bold);
    group->setFirstColumnSpanned(true);
    for (const auto &[what, how] : rows) {
        auto *row = new QTreeWidgetItem(group);
        row->setText(0, what);
        row->setText(1, how);
    }
    group->setExpanded(true);
}

void ShortcutsDialog::showShortcutInToolTip(QAction *action)
{
    if (action->isSeparator() || action->menu())
        return;
    QVariant base = action->property(kBaseToolTip);
    if (!base.isValid()) {
        base = action->toolTip();
        action->setProperty(kBaseToolTip, base);
    }
    const QString keys = keysText(action);
    const QString first = action->shortcut().toString(QKeySequence::NativeText);
    // A tooltip its owner already wrote with the key stays as it is.
    if (keys.isEmpty() || base.toString().contains(QLatin1Char('(') + first))
        action->setToolTip(base.toString());
    else
        action->setToolTip(tr("%1 (%2)").arg(base.toString(), keys));
}

} // namespace fieldmark
