#pragma once

#include <QDialog>
#include <QList>
#include <QString>

#include <utility>

class QAction;
class QMenu;
class QTreeWidget;

namespace fieldmark {

// Lists the keyboard shortcuts of every action in the given menus, grouped by menu, so the
// list never drifts from what the keys really do.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutsDialog(const QList<QMenu *> &menus, QWidget *parent = nullptr);

    QTreeWidget *tree() const { return m_tree; }
    // A group for actions outside the menus (a panel's own keys).
    void addGroup(const QString &title, const QList<QAction *> &actions);
    // A group of keys and mouse gestures that are not actions: (what it does, how).
    void addRows(const QString &title, const QList<std::pair<QString, QString>> &rows);

    // Appends the action's keys to its tooltip ("Next Item (D)"), once, however often called.
    static void showShortcutInToolTip(QAction *action);

private:
    QTreeWidget *m_tree = nullptr;
};

} // namespace fieldmark
