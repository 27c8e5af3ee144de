#include "editorcontroller.h"

#include "appinfo.h"
#include "browser/itembrowser.h"
#include "browser/itemlistmodel.h"
#include "canvas/imageeditor.h"
#include "dialogs/shortcutsdialog.h"
#include "labels/labelpanel.h"
#include "preview/itempreview.h"
#include "tasks/taskpanel.h"
#include "text/texteditor.h"
#include "tools/toolmanager.h"

#include "core/document/itemdocument.h"
#include "core/store/projectstore.h"

#include <QAction>
#include <QActionGroup>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QUndoGroup>
#include <QUndoStack>
#include <QWidget>

namespace fieldmark {

namespace {

const QString kAdvanceKey = QStringLiteral("editor/advanceAfterLabeling");
const QString kMonospaceKey = QStringLiteral("text/monospace");
const QString kCharacterPrecisionKey = QStringLiteral("text/characterPrecision");
constexpr int kStatusMs = 6000;
constexpr int kCountsDelayMs = 150;
constexpr int kPrefetchAhead = 2; // images decoded ahead of the user, and one behind

// Who is labeling: the operating system's user name, as the store records it.
QString osUserName()
{
    for (const char *variable : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(variable).trimmed();
        if (!name.isEmpty())
            return name;
    }
    return QStringLiteral("annotator");
}

bool isSingleLabelClassification(TaskType type)
{
    return type == TaskType::ImageClassification || type == TaskType::TextClassification;
}

bool isMultiLabelClassification(TaskType type)
{
    return type == TaskType::ImageMultiLabel || type == TaskType::TextMultiLabel;
}

QString acceptedText(qsizetype count)
{
    // Spelled out: without a translation loaded, tr()'s %n forms read "label(s)".
    return count == 1 ? EditorController::tr("Accepted 1 label.")
                      : EditorController::tr("Accepted %1 labels.").arg(count);
}

QString menuText(QString name)
{
    return name.replace(QLatin1Char('&'), QStringLiteral("&&"));
}

} // namespace

EditorController::EditorController(QSettings &settings, const Views &views, QWidget *window)
    : QObject(window)
    , m_settings(settings)
    , m_views(views)
    , m_window(window)
{
    m_undoGroup = new QUndoGroup(this);
    m_countsTimer = new QTimer(this);
    m_countsTimer->setSingleShot(true);
    m_countsTimer->setInterval(kCountsDelayMs);
    connect(m_countsTimer, &QTimer::timeout, this, &EditorController::refreshCounts);
    createActions();
    connect(m_views.browser, &ItemBrowser::currentItemChanged, this, &EditorController::showItem);
    connect(m_views.tasks, &TaskPanel::currentTaskChanged, this, &EditorController::taskChanged);
    connect(m_views.labels, &LabelPanel::editFailed, this, &EditorController::reportRefusal);
    connect(m_views.labels, &LabelPanel::currentClassChanged, this, [this](qint64 classId) {
        for (QAction *action : std::as_const(m_classActions))
            action->setChecked(action->data().toLongLong() == classId);
        m_views.imageEditor->setCurrentClass(classId);
    });
    connect(m_views.labels, &LabelPanel::classVisibilityChanged, m_views.imageEditor,
            &ImageEditor::setClassVisible);
    connect(m_views.labels, &LabelPanel::classVisibilityChanged, m_views.textEditor,
            &TextEditor::setClassVisible);
    connect(m_views.textEditor, &TextEditor::statusMessage, this,
            [this](const QString &text) { m_views.statusBar->showMessage(text, kStatusMs); });
    // The text editor's switches are kept between sessions, like "advance after labeling".
    TextEditor *text = m_views.textEditor;
    text->monospaceAction()->setChecked(m_settings.value(kMonospaceKey, false).toBool());
    text->characterPrecisionAction()->setChecked(
        m_settings.value(kCharacterPrecisionKey, false).toBool());
    connect(text->monospaceAction(), &QAction::toggled, this,
            [this](bool on) { m_settings.setValue(kMonospaceKey, on); });
    connect(text->characterPrecisionAction(), &QAction::toggled, this,
            [this](bool on) { m_settings.setValue(kCharacterPrecisionKey, on); });

    // The status bar: the pixel under the cursor, the zoom, and the tools' hints.
    m_cursorLabel = new QLabel(m_views.statusBar);
    m_cursorLabel->setObjectName(QStringLiteral("cursorLabel"));
    m_zoomLabel = new QLabel(m_views.statusBar);
    m_zoomLabel->setObjectName(QStringLiteral("zoomLabel"));
    ImageEditor *editor = m_views.imageEditor;
    connect(editor, &ImageEditor::cursorPixelChanged, this,
            [this](const QPoint &pixel, bool inside) {
                m_cursorLabel->setText(inside ? tr("x %1, y %2").arg(pixel.x()).arg(pixel.y())
                                              : QString());
            });
    connect(editor, &ImageEditor::zoomChanged, this, [this](double scale) {
        m_zoomLabel->setText(tr("%1%").arg(QLocale().toString(scale * 100.0, 'f', 0)));
    });
    connect(editor, &ImageEditor::statusMessage, this,
            [this](const QString &text) { m_views.statusBar->showMessage(text, kStatusMs); });
    connect(editor, &ImageEditor::stateChanged, this, [this](ImageEditor::State state) {
        if (state != ImageEditor::State::Ready) {
            m_cursorLabel->clear();
            m_zoomLabel->clear();
        }
    });
    // The editor deletes what its canvas has selected; the Reject or Delete action does the
    // same from anywhere in the window, so the editor's Delete key would only make the key
    // ambiguous (and then Qt runs neither).
    const QList<QAction *> editActions = editor->editActions();
    for (QAction *action : editActions) {
        QList<QKeySequence> keys = action->shortcuts();
        keys.removeAll(QKeySequence(QKeySequence::Delete));
        keys.removeAll(QKeySequence(Qt::Key_Delete));
        action->setShortcuts(keys);
    }
    updateActions();
}

EditorController::~EditorController()
{
    closeDocument();
}

void EditorController::createActions()
{
    auto make = [this](const QString &name, const QString &text, const QList<QKeySequence> &keys) {
        auto *action = new QAction(text, m_window);
        action->setObjectName(name);
        action->setShortcuts(keys);
        return action;
    };

    m_undoAction = m_undoGroup->createUndoAction(m_window, tr("&Undo"));
    m_undoAction->setObjectName(QStringLiteral("actionUndo"));
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_undoAction->setIcon(themeIcon(QStringLiteral("edit-undo"), -1));
    m_redoAction = m_undoGroup->createRedoAction(m_window, tr("&Redo"));
    m_redoAction->setObjectName(QStringLiteral("actionRedo"));
    QList<QKeySequence> redoKeys = {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)};
    for (const QKeySequence &key : QKeySequence::keyBindings(QKeySequence::Redo)) {
        if (!redoKeys.contains(key))
            redoKeys.append(key);
    }
    m_redoAction->setShortcuts(redoKeys);
    m_redoAction->setIcon(themeIcon(QStringLiteral("edit-redo"), -1));

    m_acceptAction = make(QStringLiteral("actionAccept"), tr("&Accept Machine Label"),
                          {QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    m_acceptAction->setStatusTip(
        tr("Accept the selected machine labels, or the least sure one when none is selected"));
    m_acceptAction->setIcon(
        themeIcon(QStringLiteral("dialog-ok-apply"), QStyle::SP_DialogApplyButton));
    connect(m_acceptAction, &QAction::triggered, this, &EditorController::acceptSelected);
    m_acceptAllAction =
        make(QStringLiteral("actionAcceptAll"), tr("Accept A&ll on Item"),
             {QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    connect(m_acceptAllAction, &QAction::triggered, this, &EditorController::acceptAll);
    m_rejectAction = make(QStringLiteral("actionReject"), tr("&Reject or Delete Label"),
                          {QKeySequence(Qt::Key_X), QKeySequence(QKeySequence::Delete)});
    m_rejectAction->setStatusTip(
        tr("Reject the selected machine labels; delete the selected labels made by people"));
    m_rejectAction->setIcon(
        themeIcon(QStringLiteral("edit-delete"), QStyle::SP_DialogDiscardButton));
    connect(m_rejectAction, &QAction::triggered, this, &EditorController::rejectSelected);

    m_skipAction = make(QStringLiteral("actionNothingToLabel"), tr("&Nothing to Label\u2026"),
                        {QKeySequence(Qt::CTRL | Qt::Key_K)});
    connect(m_skipAction, &QAction::triggered, this, [this] {
        if (m_document && !m_document->skipReason().isEmpty())
            m_views.labels->setSkipped(false);
        else
            m_views.labels->focusSkipReason();
    });
    m_advanceAction = make(QStringLiteral("actionAdvance"), tr("Advance After &Labeling"), {});
    m_advanceAction->setCheckable(true);
    m_advanceAction->setChecked(m_settings.value(kAdvanceKey, true).toBool());
    m_advanceAction->setStatusTip(
        tr("On classification tasks, move to the next item once a class key labels this one"));
    connect(m_advanceAction, &QAction::toggled, this,
            [this](bool on) { m_settings.setValue(kAdvanceKey, on); });

    m_nextAction = make(QStringLiteral("actionNextItem"), tr("&Next Item"),
                        {QKeySequence(Qt::Key_D), QKeySequence(Qt::Key_Right)});
    m_nextAction->setIcon(themeIcon(QStringLiteral("go-next"), QStyle::SP_ArrowForward));
    connect(m_nextAction, &QAction::triggered, this, &EditorController::goNext);
    m_previousAction = make(QStringLiteral("actionPreviousItem"), tr("&Previous Item"),
                            {QKeySequence(Qt::Key_A), QKeySequence(Qt::Key_Left)});
    m_previousAction->setIcon(themeIcon(QStringLiteral("go-previous"), QStyle::SP_ArrowBack));
    connect(m_previousAction, &QAction::triggered, this, &EditorController::goPrevious);
    m_nextUnlabeledAction = make(QStringLiteral("actionNextUnlabeled"), tr("Next &Unlabeled Item"),
                                 {QKeySequence(Qt::Key_N)});
    connect(m_nextUnlabeledAction, &QAction::triggered, this, &EditorController::goNextUnlabeled);
    m_nextReviewAction = make(QStringLiteral("actionNextAwaitingReview"),
                              tr("Next Item Awaiting &Review"), {QKeySequence(Qt::Key_R)});
    connect(m_nextReviewAction, &QAction::triggered, this, &EditorController::goNextAwaitingReview);

    m_classGroup = new QActionGroup(this);
    m_classGroup->setExclusive(true);
}

void EditorController::fillMenus(QMenu *edit, QMenu *tools, QMenu *label, QMenu *go, QMenu *view)
{
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    ImageEditor *editor = m_views.imageEditor;
    const QList<QAction *> editActions = editor->editActions();
    for (QAction *action : editActions) {
        // Its Delete is the Reject or Delete action below.
        if (!action->shortcuts().isEmpty())
            edit->addAction(action);
    }
    edit->addSeparator();
    edit->addAction(m_acceptAction);
    edit->addAction(m_acceptAllAction);
    edit->addAction(m_rejectAction);
    tools->addActions(toolActions());
    view->addActions(editor->viewActions());
    view->addSeparator();
    view->addActions(m_views.textEditor->viewActions());
    view->addSeparator();
    m_labelMenu = label;
    rebuildClassActions();
    go->addAction(m_nextAction);
    go->addAction(m_previousAction);
    go->addSeparator();
    go->addAction(m_nextUnlabeledAction);
    go->addAction(m_nextReviewAction);
}

QList<QAction *> EditorController::toolBarActions() const
{
    return {m_undoAction, m_redoAction, nullptr,        m_previousAction,
            m_nextAction, nullptr,      m_acceptAction, m_rejectAction};
}

QList<QAction *> EditorController::toolActions() const
{
    return m_views.imageEditor->toolManager()->actions();
}

void EditorController::setStore(ProjectStore *store)
{
    closeDocument();
    m_store = store;
    m_itemId = 0;
    m_annotatorId = 0;
    if (m_store) {
        auto annotator = m_store->annotatorId(osUserName());
        if (annotator)
            m_annotatorId = *annotator;
        else
            reportSaveFailure(tr("Your name could not be recorded as an annotator: %1")
                                  .arg(annotator.errorString()));
    }
    taskChanged(m_views.tasks->currentTaskId());
}

void EditorController::taskChanged(qint64 taskId)
{
    m_countsTimer->stop();
    closeDocument();
    m_task = {};
    TaskStatus status;
    if (m_store && taskId > 0) {
        if (auto task = m_store->task(taskId)) {
            m_task = *task;
            status = m_store->taskStatus(taskId);
        }
    }
    m_views.labels->setTask(m_task);
    rebuildClassActions();
    m_views.browser->setTask(m_task, status);
    showItem(m_views.browser->currentItemId());
}

void EditorController::rebuildClassActions()
{
    qDeleteAll(m_classActions);
    m_classActions.clear();
    if (!m_labelMenu)
        return;
    m_labelMenu->clear();
    for (const LabelClass &labelClass : std::as_const(m_task.classes)) {
        auto *action = new QAction(TaskPanel::colorSwatch(labelClass.color),
                                   menuText(labelClass.name), m_window);
        action->setObjectName(QStringLiteral("actionClass%1").arg(labelClass.id));
        action->setData(labelClass.id);
        action->setCheckable(true);
        action->setChecked(labelClass.id == m_views.labels->currentClass());
        if (!labelClass.shortcut.isEmpty())
            action->setShortcut(QKeySequence(labelClass.shortcut, QKeySequence::PortableText));
        ShortcutsDialog::showShortcutInToolTip(action);
        m_classGroup->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, id = labelClass.id] { activateClass(id); });
        m_labelMenu->addAction(action);
        m_classActions.append(action);
    }
    if (!m_classActions.isEmpty())
        m_labelMenu->addSeparator();
    m_labelMenu->addAction(m_advanceAction);
    m_labelMenu->addAction(m_skipAction);
    updateActions();
}

void EditorController::showItem(qint64 itemId)
{
    if (m_document && m_document->item().id == itemId && m_document->task().id == m_task.id)
        return;
    closeDocument();
    m_itemId = itemId;
    ItemPreview *preview = m_views.preview;
    if (!m_store) {
        preview->showMessage(tr("No project is open.\nCreate one with File \u2192 New Project "
                                "or open one with File \u2192 Open Project."));
        updateActions();
        return;
    }
    const int row = m_views.model->rowForItem(itemId);
    const std::optional<Item> item = row >= 0 ? m_views.model->item(row) : std::nullopt;
    if (item) {
        openDocument(*item);
        // Images with a document are edited on the canvas and texts in the text editor; items
        // that the current task does not label are shown as they are.
        if (m_document && item->kind == ItemKind::Image) {
            preview->showMessage({});
            m_views.imageEditor->setDocument(m_document.get());
            showInCentre(m_views.imageEditor);
        } else if (m_document && item->kind == ItemKind::Text) {
            preview->showMessage({});
            m_views.textEditor->setDocument(m_document.get());
            showInCentre(m_views.textEditor);
        } else {
            preview->showItem(*item);
            showInCentre(preview);
        }
        prefetchNeighbours();
    } else if (m_views.model->rowCount() == 0) {
        preview->showMessage(m_store->itemCount() == 0
                                 ? tr("This project has no items yet.\nAdd some with File "
                                      "\u2192 Import Images or Import Texts.")
                                 : tr("No item matches the filters."));
    } else {
        preview->showMessage(tr("Select an item in the list."));
    }
    if (!item)
        showInCentre(preview);
    updateActions();
}

void EditorController::showInCentre(QWidget *page)
{
    if (m_views.centre->currentWidget() != page)
        m_views.centre->setCurrentWidget(page);
    // The text editor's actions act on the text shown, so only while one is.
    const QList<QAction *> textActions = m_views.textEditor->viewActions();
    for (QAction *action : textActions)
        action->setEnabled(page == m_views.textEditor);
}

void EditorController::prefetchNeighbours()
{
    // The next images (and the one before) are decoded while the user works on this one, so
    // D shows the next image at once.
    const int row = m_views.model->rowForItem(m_itemId);
    if (row < 0)
        return;
    QStringList paths;
    for (const int next : {row + 1, row + 2, row - 1}) {
        if (paths.size() >= kPrefetchAhead + 1 || next < 0 || next >= m_views.model->rowCount())
            continue;
        const std::optional<Item> neighbour = m_views.model->item(next);
        if (neighbour && neighbour->kind == ItemKind::Image)
            paths.append(neighbour->path);
    }
    if (!paths.isEmpty())
        m_views.imageEditor->prefetch(paths);
}

void EditorController::reloadDocument()
{
    const qint64 itemId = m_itemId;
    closeDocument();
    showItem(itemId);
}

void EditorController::openDocument(const Item &item)
{
    if (m_task.id <= 0 || itemKindForTaskType(m_task.type) != item.kind)
        return;
    auto loaded = ItemDocument::load(*m_store, item.id, m_task.id, m_annotatorId);
    if (!loaded) {
        reportSaveFailure(
            tr("The labels of this item could not be read: %1").arg(loaded.errorString()));
        return;
    }
    m_document = std::move(loaded).value();
    ItemDocument *document = m_document.get();
    m_undoGroup->addStack(document->undoStack());
    m_undoGroup->setActiveStack(document->undoStack());
    connect(document, &ItemDocument::changed, this, [this](const ChangeEvent &event) {
        if (event.kind == ChangeEvent::Kind::SelectionChanged)
            updateActions();
        else
            documentEdited();
    });
    connect(document, &ItemDocument::saveFailed, this, &EditorController::reportSaveFailure);
    m_views.labels->setDocument(document);
    Q_EMIT documentChanged(document);
}

void EditorController::closeDocument()
{
    if (!m_document)
        return;
    // Views let go of the document before it is deleted.
    m_views.labels->setDocument(nullptr);
    m_views.imageEditor->setDocument(nullptr);
    m_views.textEditor->setDocument(nullptr);
    Q_EMIT documentChanged(nullptr);
    m_document.reset(); // its undo stack leaves the group with it
}

void EditorController::documentEdited()
{
    if (!m_document || !m_store)
        return;
    const qint64 itemId = m_document->item().id;
    m_views.model->refreshItem(itemId);
    // The counts are one query over the whole task: on a big project they wait for a pause
    // in the typing instead of slowing every key.
    m_countsTimer->start();
    updateActions();
    Q_EMIT itemEdited(itemId);
}

void EditorController::refreshCounts()
{
    m_countsTimer->stop();
    if (!m_store || m_task.id <= 0)
        return;
    const TaskStatus status = m_store->taskStatus(m_task.id);
    m_views.tasks->showStatus(status);
    m_views.browser->setStatus(status);
}

void EditorController::updateActions()
{
    const bool open = m_document != nullptr;
    const bool awaiting = open && !m_document->awaitingReview().isEmpty();
    m_acceptAction->setEnabled(awaiting);
    m_acceptAllAction->setEnabled(awaiting);
    m_rejectAction->setEnabled(open && !m_document->selection().isEmpty());
    m_skipAction->setEnabled(open);
    for (QAction *action : std::as_const(m_classActions))
        action->setEnabled(m_store != nullptr);
    const bool hasItems = m_store && m_views.model->rowCount() > 0;
    m_nextAction->setEnabled(hasItems);
    m_previousAction->setEnabled(hasItems);
    m_nextUnlabeledAction->setEnabled(hasItems && m_task.id > 0);
    m_nextReviewAction->setEnabled(hasItems && m_task.id > 0);
}

bool EditorController::goNext()
{
    if (m_views.browser->moveCurrent(1))
        return true;
    m_views.statusBar->showMessage(tr("This is the last item in the list."), kStatusMs);
    return false;
}

bool EditorController::goPrevious()
{
    if (m_views.browser->moveCurrent(-1))
        return true;
    m_views.statusBar->showMessage(tr("This is the first item in the list."), kStatusMs);
    return false;
}

bool EditorController::goNextUnlabeled()
{
    // Items whose machine labels were all rejected are back in the human queue.
    if (goToNextIn({int(ItemLabelState::Unlabeled), int(ItemLabelState::Rejected)}))
        return true;
    m_views.statusBar->showMessage(tr("No other item in the list is unlabeled."), kStatusMs);
    return false;
}

bool EditorController::goNextAwaitingReview()
{
    if (goToNextIn({int(ItemLabelState::AwaitingReview)}))
        return true;
    m_views.statusBar->showMessage(tr("No other item in the list awaits review."), kStatusMs);
    return false;
}

bool EditorController::goToNextIn(const QList<int> &states)
{
    if (!m_store || m_task.id <= 0)
        return false;
    ItemFilter filter;
    filter.kind = itemKindForTaskType(m_task.type);
    filter.taskId = m_task.id;
    for (const int state : states)
        filter.states.append(ItemLabelState(state));
    // One query for the candidates; the browser's list (with its own filters) decides which
    // are reachable. Both are in id order, so the next one after the current item wins, and
    // the search wraps around at the end.
    const QList<qint64> candidates = m_store->itemIds(filter);
    const qint64 current = m_views.browser->currentItemId();
    if (states == QList<int>{int(ItemLabelState::AwaitingReview)}) {
        // In review order (lowest confidence first): the one after the current item, or the
        // first when the current item no longer awaits review.
        const qsizetype at = candidates.indexOf(current);
        for (qsizetype k = 1; k <= candidates.size(); ++k) {
            const qint64 id = candidates[(at + k) % candidates.size()];
            if (id != current && m_views.model->rowForItem(id) >= 0)
                return m_views.browser->setCurrentItem(id);
        }
        return false;
    }
    qint64 wrapped = 0;
    for (const qint64 id : candidates) {
        if (id == current || m_views.model->rowForItem(id) < 0)
            continue;
        if (id > current)
            return m_views.browser->setCurrentItem(id);
        if (wrapped == 0)
            wrapped = id;
    }
    return wrapped != 0 && m_views.browser->setCurrentItem(wrapped);
}

void EditorController::acceptSelected()
{
    if (!m_document)
        return;
    const QList<qint64> awaiting = m_document->awaitingReview();
    QList<qint64> ids;
    for (const qint64 id : awaiting) {
        if (m_document->selection().contains(id))
            ids.append(id);
    }
    if (ids.isEmpty() && !awaiting.isEmpty())
        ids = {awaiting.constFirst()};
    if (ids.isEmpty()) {
        m_views.statusBar->showMessage(tr("No label on this item awaits review."), kStatusMs);
        return;
    }
    if (auto done = m_document->accept(ids); !done) {
        reportRefusal(done.errorString());
        return;
    }
    // The next label to review is selected, so Enter, Enter, ... walks through the item.
    const QList<qint64> left = m_document->awaitingReview();
    m_document->setSelection(left.isEmpty() ? QSet<qint64>() : QSet<qint64>{left.constFirst()});
    m_views.statusBar->showMessage(acceptedText(ids.size()), kStatusMs);
}

void EditorController::acceptAll()
{
    if (!m_document)
        return;
    const qsizetype count = m_document->awaitingReview().size();
    if (auto done = m_document->acceptAll(); !done)
        reportRefusal(done.errorString());
    else if (count > 0)
        m_views.statusBar->showMessage(acceptedText(count), kStatusMs);
}

void EditorController::rejectSelected()
{
    if (!m_document)
        return;
    const QList<qint64> ids = m_document->selection().values();
    if (ids.isEmpty()) {
        m_views.statusBar->showMessage(tr("Select the labels to reject or delete first."),
                                       kStatusMs);
        return;
    }
    if (auto done = m_document->deleteAnnotations(ids); !done)
        reportRefusal(done.errorString());
}

void EditorController::activateClass(qint64 classId)
{
    m_views.labels->setCurrentClass(classId);
    if (!m_document)
        return;
    const TaskType type = m_task.type;
    if (isSingleLabelClassification(type)) {
        if (auto done = m_document->setItemClass(classId); !done) {
            reportRefusal(done.errorString());
            return;
        }
        if (advanceAfterLabeling())
            goNext();
        return;
    }
    if (isMultiLabelClassification(type)) {
        if (auto done = m_document->toggleItemClass(classId); !done)
            reportRefusal(done.errorString());
        return;
    }
    // Spans: the key makes the selected text a span of the class.
    if (type == TaskType::Spans && m_views.centre->currentWidget() == m_views.textEditor &&
        m_views.textEditor->hasTextSelection()) {
        if (auto done = m_views.textEditor->labelSelection(classId); !done)
            reportRefusal(done.errorString());
        return;
    }
    // Shapes: the key picks the class for new shapes, and relabels the selected ones.
    const QList<qint64> selected = m_document->selection().values();
    if (!selected.isEmpty()) {
        if (auto done = m_document->changeClass(selected, classId); !done)
            reportRefusal(done.errorString());
    } else if (type == TaskType::Spans) {
        m_views.statusBar->showMessage(
            tr("Select some text (or a span), then press the class key."), kStatusMs);
    }
}

bool EditorController::advanceAfterLabeling() const
{
    return m_advanceAction->isChecked();
}

void EditorController::setAdvanceAfterLabeling(bool on)
{
    m_advanceAction->setChecked(on);
}

void EditorController::reportRefusal(const QString &message)
{
    m_views.statusBar->showMessage(message, kStatusMs);
}

void EditorController::reportSaveFailure(const QString &message)
{
    m_views.statusBar->showMessage(message, kStatusMs);
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Label Not Saved"), message,
                                QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("saveFailedBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace fieldmark
