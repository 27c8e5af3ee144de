#pragma once

#include <QWidget>

class QComboBox;
class QListView;

namespace fieldmark {

class ItemListModel;

// The browser dock's content: a filter by kind over a virtualised list of the project's items
// with their thumbnails. Says which item is current; never changes the project.
class ItemBrowser : public QWidget
{
    Q_OBJECT

public:
    explicit ItemBrowser(ItemListModel *model, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    QComboBox *kindFilter() const { return m_kindFilter; }
    ItemListModel *model() const { return m_model; }

    qint64 currentItemId() const;
    // Makes the row current and visible; false when the item is not listed.
    bool setCurrentItem(qint64 itemId);

Q_SIGNALS:
    // 0 when no item is current.
    void currentItemChanged(qint64 itemId);

private:
    void kindFilterChanged();
    void emitCurrent();

    ItemListModel *m_model = nullptr;
    QComboBox *m_kindFilter = nullptr;
    QListView *m_view = nullptr;
};

} // namespace fieldmark
