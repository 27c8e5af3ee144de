#pragma once

#include "core/document/itemdocument.h"
#include "ui/canvas/imagepyramid.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QStackedLayout;

namespace fieldmark {

class CanvasScene;
class CanvasView;
class ImageCache;
class ItemDocument;
class ToolManager;

// The image editing area: the current item's image and annotations on a QGraphicsView
// canvas, the tools, and a clear message in place of an image that cannot be decoded.
class ImageEditor : public QWidget
{
    Q_OBJECT

public:
    enum class State { Empty, Loading, Ready, Error };
    Q_ENUM(State)

    explicit ImageEditor(QWidget *parent = nullptr);
    ~ImageEditor() override;

    // Shows and edits `document`'s item (the image is decoded in the background; big images
    // tiled); null shows nothing. Does not own the document: call setDocument(nullptr)
    // before deleting it.
    void setDocument(ItemDocument *document);
    ItemDocument *document() const;
    void showMessage(const QString &message); // "Open a project…", "Select an item…"
    State state() const { return m_state; }
    QString message() const; // the message or decode error shown
    CanvasView *view() const { return m_view; }
    CanvasScene *scene() const { return m_scene; }
    ToolManager *toolManager() const { return m_tools; }
    QList<QAction *> viewActions() const; // zoom in (Ctrl+=), out (Ctrl+-), fit, 1:1
    QList<QAction *> editActions() const; // copy, paste, select all, delete
    void setCurrentClass(qint64 classId); // the class new shapes get
    qint64 currentClass() const;
    void setClassVisible(qint64 classId, bool visible);
    void prefetch(const QStringList &imagePaths); // decode neighbours ahead (cache)
    ImageCache *imageCache() const { return m_cache; }

Q_SIGNALS:
    void stateChanged(fieldmark::ImageEditor::State state);
    void cursorPixelChanged(const QPoint &pixel, bool insideImage); // status bar
    void zoomChanged(double scale);
    void statusMessage(const QString &text); // tool hints

private:
    void createActions();
    void setState(State state);
    void imageReady(const QString &path, const ImagePyramidPtr &pyramid);
    void previewReady(const QString &path, const ImagePyramidPtr &pyramid);
    void imageFailed(const QString &path, const QString &error);
    void showCanvas();
    void copy();
    void paste();
    void selectAll();
    void deleteSelection();
    void updateEditActions();

    QPointer<ItemDocument> m_document;
    QString m_path;              // the image being shown or decoded
    bool m_previewShown = false; // the user may have zoomed it: the full image keeps the view
    State m_state = State::Empty;
    QStackedLayout *m_stack;
    CanvasScene *m_scene;
    CanvasView *m_view;
    QLabel *m_message;
    ToolManager *m_tools;
    ImageCache *m_cache;
    QList<QAction *> m_viewActions;
    QAction *m_copy;
    QAction *m_paste;
    QAction *m_selectAll;
    QAction *m_delete;
};

} // namespace fieldmark
