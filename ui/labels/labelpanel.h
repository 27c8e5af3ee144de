#pragma once

#include "core/document/changeevent.h"
#include "core/model/labeltask.h"

#include <QSet>
#include <QWidget>

class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace fieldmark {

class ItemDocument;
struct Annotation;

// The "Labels" dock: the task's classes (colour, shortcut key, a visibility check box; the
// current class is the selected row), the current item's labels in a list whose selection is
// the document's selection both ways (machine labels awaiting review first, lowest confidence
// first, with their confidence), and "Nothing to label" with a reason.
class LabelPanel : public QWidget
{
    Q_OBJECT

public:
    enum ClassColumn { ClassNameColumn, ClassKeyColumn };
    enum AnnotationColumn { LabelColumn, ShapeColumn, SourceColumn };

    explicit LabelPanel(QWidget *parent = nullptr);

    void setTask(const LabelTask &task);
    const LabelTask &task() const { return m_task; }
    // The item whose labels are listed; null for none. Not owned: call setDocument(nullptr)
    // before the document goes.
    void setDocument(ItemDocument *document);
    ItemDocument *document() const { return m_document; }

    qint64 currentClass() const { return m_currentClass; }
    void setCurrentClass(qint64 classId);
    bool isClassVisible(qint64 classId) const { return !m_hiddenClasses.contains(classId); }

    QTreeWidget *classList() const { return m_classList; }
    QTreeWidget *annotationList() const { return m_annotationList; }
    QPushButton *skipButton() const { return m_skipButton; }
    QLineEdit *skipReasonEdit() const { return m_skipReason; }
    // The annotation ids in list order.
    QList<qint64> listedAnnotations() const;
    // Marks the item "nothing to label" with the reason in the box (focusing the box when it
    // is empty), or clears the mark.
    void setSkipped(bool skipped);
    void focusSkipReason();

    // What a label's row says, in short: its source ("Person", "Machine 62%") and shape
    // ("Box", "Polygon (4)"); the details go in its tooltip.
    static QString sourceText(const Annotation &annotation);
    static QString shapeText(const Annotation &annotation);
    static QString detailText(const Annotation &annotation);

Q_SIGNALS:
    void currentClassChanged(qint64 classId);
    void classVisibilityChanged(qint64 classId, bool visible);
    // An edit made here was refused; the message says why.
    void editFailed(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void documentChanged(const ChangeEvent &event);
    void fillAnnotations();
    void showSelection();
    void annotationSelectionChanged();
    void classItemChanged(QTreeWidgetItem *item, int column);
    void showSkip();

    LabelTask m_task;
    ItemDocument *m_document = nullptr;
    qint64 m_currentClass = 0;
    QSet<qint64> m_hiddenClasses;
    bool m_syncing = false;
    QTreeWidget *m_classList = nullptr;
    QTreeWidget *m_annotationList = nullptr;
    QLabel *m_annotationsTitle = nullptr;
    QGroupBox *m_skipBox = nullptr;
    QPushButton *m_skipButton = nullptr;
    QLineEdit *m_skipReason = nullptr;
};

} // namespace fieldmark
