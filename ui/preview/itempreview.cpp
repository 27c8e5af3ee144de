#include "itempreview.h"

#include "imageloader.h"
#include "imageview.h"
#include "ui/appinfo.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScreen>
#include <QStackedLayout>
#include <QStyle>
#include <QVBoxLayout>

namespace fieldmark {

ItemPreview::ItemPreview(QWidget *parent)
    : QWidget(parent)
    , m_loader(new ImageLoader(this))
{
    m_messageLabel = new QLabel(this);
    m_messageLabel->setObjectName(QStringLiteral("previewMessage"));
    m_messageLabel->setAlignment(Qt::AlignCenter);
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setEnabled(false); // the theme's muted text colour

    m_imagePage = new QWidget(this);
    m_imageView = new ImageView(m_imagePage);
    m_imageView->setObjectName(QStringLiteral("previewImage"));
    m_imageCaption = new QLabel(m_imagePage);
    m_imageCaption->setObjectName(QStringLiteral("previewCaption"));
    m_imageCaption->setAlignment(Qt::AlignCenter);
    m_imageCaption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *imageLayout = new QVBoxLayout(m_imagePage);
    imageLayout->setContentsMargins(0, 0, 0, 4);
    imageLayout->addWidget(m_imageView, 1);
    imageLayout->addWidget(m_imageCaption);

    m_textPage = new QWidget(this);
    m_textView = new QPlainTextEdit(m_textPage);
    m_textView->setObjectName(QStringLiteral("previewText"));
    m_textView->setReadOnly(true);
    m_textView->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    // Wrapped at the widget's width: a horizontal bar would only ever be a stale layout's.
    m_textView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_textView->document()->setDocumentMargin(8);
    m_textCaption = new QLabel(m_textPage);
    m_textCaption->setObjectName(QStringLiteral("previewTextCaption"));
    m_textCaption->setAlignment(Qt::AlignCenter);
    m_textCaption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *textLayout = new QVBoxLayout(m_textPage);
    textLayout->setContentsMargins(0, 0, 0, 4);
    textLayout->addWidget(m_textView, 1);
    textLayout->addWidget(m_textCaption);

    m_errorPage = new QWidget(this);
    m_errorIcon = new QLabel(m_errorPage);
    m_errorIcon->setAlignment(Qt::AlignCenter);
    m_errorIcon->setPixmap(
        themeIcon(QStringLiteral("dialog-error"), QStyle::SP_MessageBoxCritical).pixmap(48, 48));
    m_errorLabel = new QLabel(m_errorPage);
    m_errorLabel->setObjectName(QStringLiteral("previewError"));
    m_errorLabel->setAlignment(Qt::AlignCenter);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *errorLayout = new QVBoxLayout(m_errorPage);
    errorLayout->addStretch(1);
    errorLayout->addWidget(m_errorIcon);
    errorLayout->addWidget(m_errorLabel);
    errorLayout->addStretch(1);

    m_stack = new QStackedLayout(this);
    m_stack->addWidget(m_messageLabel);
    m_stack->addWidget(m_imagePage);
    m_stack->addWidget(m_textPage);
    m_stack->addWidget(m_errorPage);

    connect(m_loader, &ImageLoader::loaded, this, &ItemPreview::imageLoaded);
    connect(m_loader, &ImageLoader::failed, this, &ItemPreview::imageFailed);
    showMessage(tr("No project is open."));
}

void ItemPreview::showItem(const Item &item)
{
    m_itemId = item.id;
    m_item = item;
    if (item.kind == ItemKind::Text) {
        m_loader->cancel();
        m_textView->setPlainText(item.text);
        const QString source = !item.sourceRef.isEmpty() ? item.sourceRef
                               : !item.path.isEmpty()    ? QFileInfo(item.path).fileName()
                                                         : QString();
        const QString length = tr("%1 characters").arg(QLocale().toString(item.text.size()));
        m_textCaption->setText(source.isEmpty() ? length : tr("%1 \u2014 %2").arg(source, length));
        m_stack->setCurrentWidget(m_textPage);
        setState(State::Text);
        return;
    }
    m_messageLabel->setText(tr("Loading %1\u2026").arg(QFileInfo(item.path).fileName()));
    m_stack->setCurrentWidget(m_messageLabel);
    setState(State::Loading);
    m_loader->load(item.id, item.path, decodeSize());
}

void ItemPreview::showMessage(const QString &message)
{
    m_loader->cancel();
    m_itemId = 0;
    m_item = {};
    m_imageView->setImage({});
    m_textView->clear();
    m_messageLabel->setText(message);
    m_stack->setCurrentWidget(m_messageLabel);
    setState(State::Empty);
}

QImage ItemPreview::image() const
{
    return m_state == State::Image ? m_imageView->image() : QImage();
}

QString ItemPreview::message() const
{
    switch (m_state) {
    case State::Error:
        return m_errorLabel->text();
    case State::Empty:
    case State::Loading:
        return m_messageLabel->text();
    default:
        return {};
    }
}

QSize ItemPreview::decodeSize() const
{
    // The screen, not the widget: the window may grow, and the decode stays reasonable.
    const QScreen *screen = this->screen();
    const QSize logical = screen ? screen->size() : QSize(1920, 1080);
    const qreal ratio = devicePixelRatioF();
    return (QSizeF(logical) * ratio).toSize().expandedTo(QSize(256, 256));
}

void ItemPreview::imageLoaded(qint64 itemId, const QImage &image, const QSize &originalSize)
{
    if (itemId != m_itemId)
        return;
    m_imageView->setImage(image);
    const QSize size = originalSize.isValid() ? originalSize : image.size();
    m_imageCaption->setText(tr("%1 \u2014 %2 \u00d7 %3 pixels, %4")
                                .arg(QFileInfo(m_item.path).fileName())
                                .arg(size.width())
                                .arg(size.height())
                                .arg(QLocale().formattedDataSize(m_item.fileSize)));
    m_imageCaption->setToolTip(QDir::toNativeSeparators(m_item.path));
    m_stack->setCurrentWidget(m_imagePage);
    setState(State::Image);
}

void ItemPreview::imageFailed(qint64 itemId, const QString &error)
{
    if (itemId != m_itemId)
        return;
    m_imageView->setImage({});
    m_errorLabel->setText(tr("This image cannot be shown.\n%1").arg(error));
    m_stack->setCurrentWidget(m_errorPage);
    setState(State::Error);
}

void ItemPreview::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace fieldmark
