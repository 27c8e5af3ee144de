#pragma once

#include "core/model/item.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QStackedLayout;

namespace fieldmark {

class ImageLoader;
class ImageView;

// The central area: the current item as it is, an image fitted to the window (decoded in the
// background at screen size) or a text read-only; a clear message where there is nothing to
// show or the image cannot be decoded.
class ItemPreview : public QWidget
{
    Q_OBJECT

public:
    enum class State { Empty, Loading, Image, Text, Error };

    explicit ItemPreview(QWidget *parent = nullptr);

    // Shows the item; an image appears when its decode finishes.
    void showItem(const Item &item);
    // Shows a message in place of an item ("Open a project…", "Select an item…").
    void showMessage(const QString &message);

    State state() const { return m_state; }
    qint64 itemId() const { return m_itemId; }
    QImage image() const;    // the decoded image, scaled to the screen
    QString message() const; // the message or error shown, if any
    ImageView *imageView() const { return m_imageView; }
    QPlainTextEdit *textView() const { return m_textView; }

Q_SIGNALS:
    void stateChanged(fieldmark::ItemPreview::State state);

private:
    void setState(State state);
    void imageLoaded(qint64 itemId, const QImage &image, const QSize &originalSize);
    void imageFailed(qint64 itemId, const QString &error);
    QSize decodeSize() const;

    State m_state = State::Empty;
    qint64 m_itemId = 0;
    Item m_item;
    ImageLoader *m_loader = nullptr;
    QStackedLayout *m_stack = nullptr;
    QLabel *m_messageLabel = nullptr;
    QWidget *m_imagePage = nullptr;
    ImageView *m_imageView = nullptr;
    QLabel *m_imageCaption = nullptr;
    QWidget *m_textPage = nullptr;
    QPlainTextEdit *m_textView = nullptr;
    QLabel *m_textCaption = nullptr;
    QWidget *m_errorPage = nullptr;
    QLabel *m_errorIcon = nullptr;
    QLabel *m_errorLabel = nullptr;
};

} // namespace fieldmark
