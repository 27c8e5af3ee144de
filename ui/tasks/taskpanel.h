#pragma once

#include "core/model/labeltask.h"
#include "core/store/projectstore.h"

#include <QHash>
#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QStackedLayout;
class QTreeWidget;

namespace fieldmark {

// The "Task" dock: the project's label tasks, the classes of the current one with their
// colour and shortcut, and how far labeling has come (store.taskStatus()). Read-only for now;
// the class editor arrives with the editors.
class TaskPanel : public QWidget
{
    Q_OBJECT

public:
    // The counts the panel shows, in order; the names are the labels' object names.
    enum class Count { Items, Unlabeled, Human, AwaitingReview, Accepted, Rejected, Skipped };

    explicit TaskPanel(QWidget *parent = nullptr);

    // The store to show (nullptr for none); it must outlive the panel or be replaced first.
    void setStore(ProjectStore *store);
    // Reads tasks and counts again (after an import or an edit).
    void refresh();
    // Shows new counts of the current task (after an edit), without reading the tasks again.
    void showStatus(const TaskStatus &status);

    qint64 currentTaskId() const;
    QList<LabelTask> tasks() const { return m_tasks; }
    QComboBox *taskCombo() const { return m_taskCombo; }
    QTreeWidget *classTree() const { return m_classTree; }
    QLabel *countLabel(Count count) const { return m_countLabels.value(int(count)); }
    QProgressBar *progressBar() const { return m_progress; }

    static QIcon colorSwatch(const QColor &color, int size = 16);

Q_SIGNALS:
    void currentTaskChanged(qint64 taskId);

private:
    void showCurrentTask();

    ProjectStore *m_store = nullptr;
    QList<LabelTask> m_tasks;
    QStackedLayout *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QWidget *m_taskPage = nullptr;
    QComboBox *m_taskCombo = nullptr;
    QLabel *m_typeLabel = nullptr;
    QTreeWidget *m_classTree = nullptr;
    QProgressBar *m_progress = nullptr;
    QHash<int, QLabel *> m_countLabels;
};

} // namespace fieldmark
