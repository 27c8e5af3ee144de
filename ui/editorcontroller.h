#pragma once

#include "core/model/labeltask.h"

#include <QList>
#include <QObject>

#include <memory>

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QSettings;
class QStackedWidget;
class QStatusBar;
class QTimer;
class QUndoGroup;
class QWidget;

namespace fieldmark {

class ImageEditor;
class ItemBrowser;
class ItemDocument;
class ItemListModel;
class ItemPreview;
class LabelPanel;
class ProjectStore;
class TaskPanel;
class TextEditor;
struct Item;

// Editing the current item: owns its ItemDocument (for the task chosen in the task panel,
// crediting the OS user as annotator), swaps it when the browser's current item changes, and
// holds the actions that edit and move: undo / redo, review (accept, accept all, reject or
// delete), the class keys (select the class; on classification tasks label the item), "nothing
// to label", and navigation (next, previous, next unlabeled, next awaiting review). After each
// edit it refreshes the item's browser row and the task counts. Failures to save show in the
// status bar and a message box. The main window only wires it in.
class EditorController : public QObject
{
    Q_OBJECT

public:
    struct Views
    {
        ItemBrowser *browser = nullptr;
        ItemListModel *model = nullptr;
        ItemPreview *preview = nullptr;
        LabelPanel *labels = nullptr;
        TaskPanel *tasks = nullptr;
        QStatusBar *statusBar = nullptr;
        // The centre: the editor for images with a document, the preview for the rest.
        QStackedWidget *centre = nullptr;
        ImageEditor *imageEditor = nullptr;
        // Text items with a document (text classification, multi-label, spans).
        TextEditor *textEditor = nullptr;
    };

    // `window` parents the actions and message boxes; the settings hold "advance after labeling".
    EditorController(QSettings &settings, const Views &views, QWidget *window);
    ~EditorController() override;

    // The project to edit (nullptr: none). The old document goes before the old store.
    void setStore(ProjectStore *store);
    ItemDocument *document() const { return m_document.get(); }
    qint64 annotatorId() const { return m_annotatorId; }
    const LabelTask &task() const { return m_task; }
    QUndoGroup *undoGroup() const { return m_undoGroup; }

    // Fills the Edit, Tools, Label, Go and View menus (the Label menu again whenever the task
    // changes).
    void fillMenus(QMenu *edit, QMenu *tools, QMenu *label, QMenu *go, QMenu *view);
    QList<QAction *> toolBarActions() const;
    QList<QAction *> toolActions() const;
    // For the status bar: the pixel under the cursor and the zoom.
    QLabel *cursorLabel() const { return m_cursorLabel; }
    QLabel *zoomLabel() const { return m_zoomLabel; }
    QList<QAction *> classActions() const { return m_classActions; }

    // Shows the item (0: none) and opens its document for the current task.
    void showItem(qint64 itemId);
    // Opens the current item's document again (after an annotation import changed it).
    void reloadDocument();

    // What the actions do, for callers and tests; false when there was nowhere to go or
    // nothing to do.
    bool goNext();
    bool goPrevious();
    bool goNextUnlabeled();
    bool goNextAwaitingReview();
    void acceptSelected();
    void acceptAll();
    void rejectSelected();
    void activateClass(qint64 classId);
    // Shows the task's counts now (they follow edits after a short pause).
    void refreshCounts();
    bool advanceAfterLabeling() const;

    void setAdvanceAfterLabeling(bool on);

Q_SIGNALS:
    void documentChanged(fieldmark::ItemDocument *document);
    // The item's labels changed (an edit, an undo or a redo).
    void itemEdited(qint64 itemId);

private:
    void createActions();
    void taskChanged(qint64 taskId);
    void rebuildClassActions();
    void openDocument(const Item &item);
    void closeDocument();
    void documentEdited();
    void updateActions();
    bool goToNextIn(const QList<int> &states);
    void prefetchNeighbours();
    void showInCentre(QWidget *page);
    // An edit the document refused: a line in the status bar.
    void reportRefusal(const QString &message);
    // A save that failed: the status bar and a message box.
    void reportSaveFailure(const QString &message);

    QSettings &m_settings;
    Views m_views;
    QWidget *m_window = nullptr;
    ProjectStore *m_store = nullptr;
    LabelTask m_task;
    qint64 m_annotatorId = 0;
    qint64 m_itemId = 0;
    std::unique_ptr<ItemDocument> m_document;
    QUndoGroup *m_undoGroup = nullptr;
    QMenu *m_labelMenu = nullptr;
    QTimer *m_countsTimer = nullptr;
    QLabel *m_cursorLabel = nullptr;
    QLabel *m_zoomLabel = nullptr;

    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_acceptAction = nullptr;
    QAction *m_acceptAllAction = nullptr;
    QAction *m_rejectAction = nullptr;
    QAction *m_skipAction = nullptr;
    QAction *m_advanceAction = nullptr;
    QAction *m_nextAction = nullptr;
    QAction *m_previousAction = nullptr;
    QAction *m_nextUnlabeledAction = nullptr;
    QAction *m_nextReviewAction = nullptr;
    QActionGroup *m_classGroup = nullptr;
    QList<QAction *> m_classActions;
};

} // namespace fieldmark
