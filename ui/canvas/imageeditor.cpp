#include "imageeditor.h"

#include "core/document/itemdocument.h"
#include "ui/canvas/canvasscene.h"
#include "ui/canvas/canvasview.h"
#include "ui/canvas/imagecache.h"
#include "ui/tools/annotationclipboard.h"
#include "ui/tools/boxtool.h"
#include "ui/tools/brushtool.h"
#include "ui/tools/grabcuttool.h"
#include "ui/tools/polygontool.h"
#include "ui/tools/selecttool.h"
#include "ui/tools/toolmanager.h"

#include <QAction>
#include <QClipboard>
#include <QDir>
#include <QGuiApplication>
#include <QLabel>
#include <QMimeData>
#include <QStackedLayout>

namespace fieldmark {

ImageEditor::ImageEditor(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedLayout(this))
    , m_scene(new CanvasScene(this))
    , m_view(new CanvasView(m_scene, this))
    , m_message(new QLabel(this))
    , m_tools(new ToolManager(m_view, this))
    , m_cache(new ImageCache(this))
{
    m_view->setToolManager(m_tools);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setMargin(24);
    m_message->setAutoFillBackground(true);
    m_message->setBackgroundRole(QPalette::Base);
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_message);
    m_stack->setCurrentWidget(m_message);

    m_tools->registerTool(new SelectTool);
    m_tools->registerTool(new BoxTool);
    m_tools->registerTool(new PolygonTool);
    m_tools->registerTool(new BrushTool);
    m_tools->registerTool(new EraserTool);
    m_tools->registerTool(new GrabCutTool);
    addActions(m_tools->actions());
    createActions();

    connect(m_cache, &ImageCache::ready, this, &ImageEditor::imageReady);
    connect(m_cache, &ImageCache::previewReady, this, &ImageEditor::previewReady);
    connect(m_cache, &ImageCache::failed, this, &ImageEditor::imageFailed);
    connect(m_view, &CanvasView::cursorPixelChanged, this, &ImageEditor::cursorPixelChanged);
    connect(m_view, &CanvasView::zoomChanged, this, &ImageEditor::zoomChanged);
    connect(m_tools, &ToolManager::statusMessage, this, &ImageEditor::statusMessage);
    connect(QGuiApplication::clipboard(), &QClipboard::dataChanged, this,
            &ImageEditor::updateEditActions);
    updateEditActions();
}

ImageEditor::~ImageEditor()
{
    // Tools hold pointers into the scene; they go first.
    m_view->setToolManager(nullptr);
    delete m_tools;
    m_tools = nullptr;
}

void ImageEditor::createActions()
{
    auto make = [this](const QString &text, const QList<QKeySequence> &shortcuts,
                       const QString &themeIcon, auto slot) {
        auto *action = new QAction(QIcon::fromTheme(themeIcon), text, this);
        // A standard key that is the same as ours (Ctrl+- is ZoomOut) must not be listed twice:
        // Qt would call the shortcut ambiguous and do nothing.
        QList<QKeySequence> unique;
        for (const QKeySequence &shortcut : shortcuts) {
            if (!shortcut.isEmpty() && !unique.contains(shortcut))
                unique.append(shortcut);
        }
        action->setShortcuts(unique);
        if (!shortcuts.isEmpty())
            action->setToolTip(
                tr("%1 (%2)").arg(text, shortcuts.constFirst().toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    m_viewActions = {
        make(tr("Zoom &In"), {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence::ZoomIn},
             QStringLiteral("zoom-in"), [this] { m_view->zoomIn(); }),
        make(tr("Zoom &Out"), {QKeySequence(Qt::CTRL | Qt::Key_Minus), QKeySequence::ZoomOut},
             QStringLiteral("zoom-out"), [this] { m_view->zoomOut(); }),
        make(tr("&Fit to Window"), {QKeySequence(Qt::CTRL | Qt::Key_0)},
             QStringLiteral("zoom-fit-best"), [this] { m_view->fitToWindow(); }),
        make(tr("&Actual Size"), {QKeySequence(Qt::CTRL | Qt::Key_1)},
             QStringLiteral("zoom-original"), [this] { m_view->actualSize(); }),
    };
    m_copy =
        make(tr("&Copy"), {QKeySequence::Copy}, QStringLiteral("edit-copy"), [this] { copy(); });
    m_paste = make(tr("&Paste"), {QKeySequence::Paste}, QStringLiteral("edit-paste"),
                   [this] { paste(); });
    m_selectAll = make(tr("Select &All"), {QKeySequence::SelectAll},
                       QStringLiteral("edit-select-all"), [this] { selectAll(); });
    m_delete = make(tr("&Delete"), {QKeySequence(Qt::Key_Delete)}, QStringLiteral("edit-delete"),
                    [this] { deleteSelection(); });
    // Copy, paste and delete act on the canvas only while it has the focus, so they never
    // take the keys from a text field or the item list.
    for (QAction *action : {m_copy, m_paste, m_selectAll, m_delete})
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
}

QList<QAction *> ImageEditor::viewActions() const
{
    return m_viewActions;
}

QList<QAction *> ImageEditor::editActions() const
{
    return {m_copy, m_paste, m_selectAll, m_delete};
}

void ImageEditor::setDocument(ItemDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_scene->setImage(nullptr);
    m_scene->setDocument(document);
    m_tools->setDocument(document);
    if (m_document)
        connect(m_document, &ItemDocument::changed, this, &ImageEditor::updateEditActions);
    updateEditActions();
    if (!document) {
        m_path.clear();
        m_message->clear();
        m_stack->setCurrentWidget(m_message);
        setState(State::Empty);
        return;
    }
    if (document->item().kind != ItemKind::Image) {
        m_path.clear();
        m_message->setText(tr("%1 is not an image.").arg(document->item().path));
        m_stack->setCurrentWidget(m_message);
        setState(State::Error);
        return;
    }
    m_path = document->item().path;
    m_previewShown = false;
    m_message->clear();
    showCanvas();
    setState(State::Loading);
    m_cache->request(m_path); // may answer at once from the cache
}

ItemDocument *ImageEditor::document() const
{
    return m_document;
}

void ImageEditor::showMessage(const QString &message)
{
    m_message->setText(message);
    m_stack->setCurrentWidget(m_message);
    if (!m_document)
        setState(State::Empty);
}

QString ImageEditor::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void ImageEditor::showCanvas()
{
    m_stack->setCurrentWidget(m_view);
    m_view->fitToWindow();
}

void ImageEditor::imageReady(const QString &path, const ImagePyramidPtr &pyramid)
{
    if (!m_document || path != m_path)
        return; // an image asked for before the user moved on
    m_scene->setImage(pyramid);
    if (m_previewShown)
        m_stack->setCurrentWidget(m_view);
    else
        showCanvas();
    m_previewShown = false;
    m_tools->setDocument(m_document); // tools re-read the image size
    setState(State::Ready);
}

void ImageEditor::previewReady(const QString &path, const ImagePyramidPtr &pyramid)
{
    if (!m_document || path != m_path || m_state != State::Loading)
        return;
    // Something to look at while a very large image decodes; editing waits for the real one.
    m_scene->setImage(pyramid);
    showCanvas();
    m_previewShown = true;
}

void ImageEditor::imageFailed(const QString &path, const QString &error)
{
    if (!m_document || path != m_path)
        return;
    m_message->setText(tr("This image cannot be shown.\n\n%1").arg(error));
    m_stack->setCurrentWidget(m_message);
    setState(State::Error);
}

void ImageEditor::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void ImageEditor::setCurrentClass(qint64 classId)
{
    m_tools->setCurrentClass(classId);
}

qint64 ImageEditor::currentClass() const
{
    return m_tools->currentClass();
}

void ImageEditor::setClassVisible(qint64 classId, bool visible)
{
    m_scene->setClassVisible(classId, visible);
}

void ImageEditor::prefetch(const QStringList &imagePaths)
{
    m_cache->prefetch(imagePaths);
}

void ImageEditor::copy()
{
    if (m_document)
        AnnotationClipboard::copy(*m_document);
}

void ImageEditor::paste()
{
    if (!m_document || m_state != State::Ready)
        return;
    if (auto pasted = AnnotationClipboard::paste(*m_document); !pasted)
        Q_EMIT statusMessage(pasted.errorString());
    else
        Q_EMIT statusMessage(tr("Pasted %n annotation(s).", nullptr, int(pasted->size())));
}

void ImageEditor::selectAll()
{
    if (!m_document)
        return;
    QSet<qint64> ids;
    for (const Annotation &annotation : m_document->liveAnnotations()) {
        if (m_scene->isClassVisible(annotation.classId) && m_scene->annotationItem(annotation.id))
            ids.insert(annotation.id);
    }
    m_document->setSelection(ids);
}

void ImageEditor::deleteSelection()
{
    if (!m_document || m_document->selection().isEmpty())
        return;
    if (auto deleted = m_document->deleteAnnotations(m_document->selection().values()); !deleted)
        Q_EMIT statusMessage(deleted.errorString());
}

void ImageEditor::updateEditActions()
{
    const bool hasSelection = m_document && !m_document->selection().isEmpty();
    m_copy->setEnabled(hasSelection);
    m_delete->setEnabled(hasSelection);
    m_selectAll->setEnabled(m_document != nullptr);
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    m_paste->setEnabled(m_document && data && data->hasFormat(AnnotationClipboard::MimeType));
}

} // namespace fieldmark
