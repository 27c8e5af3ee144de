#include "texteditor.h"

#include "spantextview.h"

#include "core/document/itemdocument.h"

#include <QAction>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QStyle>
#include <QTextCursor>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

namespace fieldmark {

namespace {

QString chip(const QString &name, const QColor &color, const QString &note)
{
    const QString swatch = QStringLiteral("<span style=\"color:%1\">\u25A0</span>")
                               .arg(color.isValid() ? color.name() : QStringLiteral("#888"));
    QString text = swatch + QStringLiteral("&nbsp;<b>%1</b>").arg(name.toHtmlEscaped());
    if (!note.isEmpty())
        text += QStringLiteral(" <i>(%1)</i>").arg(note.toHtmlEscaped());
    return text;
}

} // namespace

TextEditor::TextEditor(QWidget *parent)
    : QWidget(parent)
    , m_view(new SpanTextView(this))
    , m_banner(new QLabel(this))
{
    m_view->setObjectName(QStringLiteral("spanTextView"));
    m_banner->setObjectName(QStringLiteral("textClassBanner"));
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setWordWrap(true);
    m_banner->setMargin(6);
    m_proportionalFont = m_view->font();

    m_findBar = new QWidget(this);
    m_findEdit = new QLineEdit(m_findBar);
    m_findEdit->setObjectName(QStringLiteral("textFindEdit"));
    m_findEdit->setPlaceholderText(tr("Find in this text"));
    m_findEdit->setClearButtonEnabled(true);
    m_findEdit->installEventFilter(this);
    m_findStatus = new QLabel(m_findBar);
    auto *previous = new QToolButton(m_findBar);
    previous->setArrowType(Qt::UpArrow);
    previous->setToolTip(tr("Previous match (Shift+Enter)"));
    auto *next = new QToolButton(m_findBar);
    next->setArrowType(Qt::DownArrow);
    next->setToolTip(tr("Next match (Enter)"));
    auto *close = new QToolButton(m_findBar);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Close the find bar (Esc)"));
    auto *findLayout = new QHBoxLayout(m_findBar);
    findLayout->setContentsMargins(6, 2, 6, 2);
    findLayout->addWidget(new QLabel(tr("Find:"), m_findBar));
    findLayout->addWidget(m_findEdit, 1);
    findLayout->addWidget(previous);
    findLayout->addWidget(next);
    findLayout->addWidget(m_findStatus);
    findLayout->addWidget(close);
    m_findBar->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_banner);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_findBar);

    m_monospace = new QAction(tr("&Monospace Text"), this);
    m_monospace->setObjectName(QStringLiteral("actionMonospaceText"));
    m_monospace->setCheckable(true);
    m_monospace->setStatusTip(tr("Show texts in a fixed-width font"));
    connect(m_monospace, &QAction::toggled, this, &TextEditor::setMonospace);
    m_precision = new QAction(tr("&Character Precision for Spans"), this);
    m_precision->setObjectName(QStringLiteral("actionCharacterPrecision"));
    m_precision->setCheckable(true);
    m_precision->setStatusTip(
        tr("Spans take exactly the selected characters instead of snapping to whole words"));
    connect(m_precision, &QAction::toggled, m_view, &SpanTextView::setCharacterPrecision);
    m_find = new QAction(tr("&Find in Text\u2026"), this);
    m_find->setObjectName(QStringLiteral("actionFindInText"));
    m_find->setStatusTip(tr("Search inside the open text (Ctrl+F while the text has the focus)"));
    connect(m_find, &QAction::triggered, this, &TextEditor::showFindBar);

    connect(m_view, &SpanTextView::findRequested, this, &TextEditor::showFindBar);
    connect(m_view, &SpanTextView::statusMessage, this, &TextEditor::statusMessage);
    connect(m_findEdit, &QLineEdit::textChanged, this, [this] {
        // Search as the user types, from where the text cursor is.
        QTextCursor cursor = m_view->textCursor();
        cursor.setPosition(cursor.selectionStart());
        m_view->setTextCursor(cursor);
        findNext(false);
    });
    connect(next, &QToolButton::clicked, this, [this] { findNext(false); });
    connect(previous, &QToolButton::clicked, this, [this] { findNext(true); });
    connect(close, &QToolButton::clicked, this, [this] {
        m_findBar->hide();
        m_view->setFocus();
    });
    showBanner();
}

TextEditor::~TextEditor() = default;

void TextEditor::setDocument(ItemDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_view->setDocument(document);
    if (document)
        connect(document, &ItemDocument::changed, this, &TextEditor::documentChanged);
    m_findStatus->clear();
    showBanner();
}

ItemDocument *TextEditor::document() const
{
    return m_document;
}

QList<QAction *> TextEditor::viewActions() const
{
    return {m_monospace, m_precision, m_find};
}

void TextEditor::setClassVisible(qint64 classId, bool visible)
{
    m_view->setClassVisible(classId, visible);
}

bool TextEditor::hasTextSelection() const
{
    return m_document && m_view->showsSpans() && m_view->textCursor().hasSelection();
}

Result<qint64> TextEditor::labelSelection(qint64 classId)
{
    if (!m_document)
        return makeError(tr("No text is open."));
    const auto [start, end] = m_view->snappedSelection();
    auto added = m_document->addSpan(classId, start, end);
    if (!added)
        return added;
    QTextCursor cursor = m_view->textCursor();
    cursor.setPosition(int(end));
    m_view->setTextCursor(cursor);
    m_document->setSelection({*added});
    return added;
}

bool TextEditor::findNext(bool backward)
{
    const QString needle = m_findEdit->text();
    if (needle.isEmpty()) {
        m_findStatus->clear();
        return false;
    }
    const QTextDocument::FindFlags flags =
        backward ? QTextDocument::FindFlags(QTextDocument::FindBackward)
                 : QTextDocument::FindFlags();
    if (m_view->find(needle, flags)) {
        m_findStatus->clear();
        return true;
    }
    // Wrap around, as editors do.
    QTextCursor cursor = m_view->textCursor();
    cursor.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
    m_view->setTextCursor(cursor);
    if (m_view->find(needle, flags)) {
        m_findStatus->setText(tr("Wrapped around"));
        return true;
    }
    m_findStatus->setText(tr("Not found"));
    return false;
}

void TextEditor::showFindBar()
{
    m_findBar->show();
    m_findEdit->setFocus(Qt::ShortcutFocusReason);
    m_findEdit->selectAll();
}

void TextEditor::setMonospace(bool on)
{
    QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    fixed.setPointSizeF(m_proportionalFont.pointSizeF());
    m_view->setFont(on ? fixed : m_proportionalFont);
}

bool TextEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched != m_findEdit)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool mine = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter ||
                          key->key() == Qt::Key_Escape;
        if (!mine)
            return false;
        // Enter and Esc belong to the find bar here, not to the window's accept action.
        if (event->type() == QEvent::ShortcutOverride) {
            event->accept();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            m_findBar->hide();
            m_view->setFocus(Qt::OtherFocusReason);
        } else {
            findNext(key->modifiers().testFlag(Qt::ShiftModifier));
        }
        return true;
    }
    return false;
}

void TextEditor::documentChanged(const ChangeEvent &event)
{
    if (event.kind != ChangeEvent::Kind::SelectionChanged)
        showBanner();
}

void TextEditor::showBanner()
{
    if (!m_document) {
        m_banner->clear();
        m_banner->hide();
        return;
    }
    const LabelTask &task = m_document->task();
    const bool spans = task.type == TaskType::Spans;
    QStringList parts;
    if (!m_document->skipReason().isEmpty()) {
        parts.append(
            (spans ? tr("<b>No entities in this text:</b> %1") : tr("<b>Nothing to label:</b> %1"))
                .arg(m_document->skipReason().toHtmlEscaped()));
    }
    int spanCount = 0;
    int awaiting = 0;
    QStringList classes;
    for (const Annotation &a : m_document->liveAnnotations()) {
        const bool machine = a.provenance.state == LabelState::Machine;
        awaiting += machine ? 1 : 0;
        if (std::holds_alternative<Span>(a.shape)) {
            ++spanCount;
            continue;
        }
        const LabelClass *labelClass = task.classById(a.classId);
        QString note;
        if (machine)
            note =
                a.provenance.confidence
                    ? tr("machine %1%, Enter accepts").arg(qRound(*a.provenance.confidence * 100))
                    : tr("machine, Enter accepts");
        classes.append(chip(labelClass ? labelClass->name : tr("class %1").arg(a.classId),
                            labelClass ? labelClass->color : QColor(), note));
    }
    if (spans) {
        QString line = spanCount == 1 ? tr("1 span") : tr("%1 spans").arg(spanCount);
        if (awaiting > 0)
            line += tr(", %1 awaiting review").arg(awaiting);
        parts.append(line + tr(" \u2014 select text and press a class key; Tab walks the spans"));
    } else if (classes.isEmpty()) {
        parts.append(isMultiLabel(task.type)
                         ? tr("No class yet \u2014 class keys toggle classes on and off")
                         : tr("No class yet \u2014 press a class key"));
    } else {
        parts.append((classes.size() == 1 ? tr("Class: %1") : tr("Classes: %1"))
                         .arg(classes.join(QStringLiteral(" &nbsp; "))));
    }
    m_banner->setText(parts.join(QStringLiteral("<br>")));
    m_banner->show();
}

} // namespace fieldmark
