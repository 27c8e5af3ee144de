#pragma once

#include "core/model/labeltask.h"
#include "core/store/projectstore.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QTimer;

namespace fieldmark {

class ItemListModel;

// The browser dock's content: filters (kind, label state, class, a search box) over a
// virtualised list of the project's items with their thumbnails and states, and how many are
// shown. Says which item is current; never changes the project.
class ItemBrowser : public QWidget
{
    Q_OBJECT

public:
    // The state filter's choices past the store's states.
    static constexpr int kAllStates = -1;
    static constexpr int kFailedToLoad = 100;

    explicit ItemBrowser(ItemListModel *model, QWidget *parent = nullptr);

    QListView *view() const { return m_view; }
    QComboBox *kindFilter() const { return m_kindFilter; }
    QComboBox *stateFilter() const { return m_stateFilter; }
    QComboBox *classFilter() const { return m_classFilter; }
    QLineEdit *searchBox() const { return m_search; }
    QLabel *countLabel() const { return m_countLabel; }
    ItemListModel *model() const { return m_model; }

    // The task whose states and classes the filters offer (none: id 0), with its counts.
    void setTask(const LabelTask &task, const TaskStatus &status);
    // New counts after an edit or an import.
    void setStatus(const TaskStatus &status);
    // Selects a state filter choice (an ItemLabelState, kAllStates or kFailedToLoad).
    void setStateFilter(int choice);
    // Applies the search box now instead of after the typing pause.
    void applySearch();

    qint64 currentItemId() const;
    // Makes the row current and visible; false when the item is not listed.
    bool setCurrentItem(qint64 itemId);
    // Moves the current row by `delta` rows; false at either end of the list.
    bool moveCurrent(int delta);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    // 0 when no item is current. Sent only when the current item really changes: a filter
    // that keeps the current item listed keeps it current without a signal.
    void currentItemChanged(qint64 itemId);

private:
    void kindFilterChanged();
    void applyFilters();
    void modelReset();
    void emitCurrent();
    void updateCountLabel();
    void fillStateFilter();

    ItemListModel *m_model = nullptr;
    QComboBox *m_kindFilter = nullptr;
    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_classFilter = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchTimer = nullptr;
    QLabel *m_countLabel = nullptr;
    QListView *m_view = nullptr;
    LabelTask m_task;
    TaskStatus m_status;
    qint64 m_lastEmitted = -1;
    qint64 m_keepItem = 0; // the item to keep current through a filter change
};

} // namespace fieldmark
