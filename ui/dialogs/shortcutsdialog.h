#pragma once

#include <QDialog>
#include <QList>

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

private:
    QTreeWidget *m_tree = nullptr;
};

} // namespace fieldmark
