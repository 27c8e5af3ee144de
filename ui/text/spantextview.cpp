#include "spantextview.h"

#include "core/document/itemdocument.h"
#include "core/model/textoffsetindex.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QGlyphRun>
#include <QHash>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextLayout>

#include <algorithm>
#include <utility>

namespace fieldmark {

namespace {

constexpr int kBarGap = 2;      // between stacked bars, and between the text and the first bar
constexpr int kHandleReach = 5; // pixels either side of a selected span's end that grab it

QColor textOn(const QColor &background)
{
    return qGray(background.rgb()) > 140 ? QColor(20, 20, 20) : QColor(Qt::white);
}

bool isRightToLeft(QChar c)
{
    switch (c.direction()) {
    case QChar::DirR:
    case QChar::DirAL:
    case QChar::DirRLE:
    case QChar::DirRLO:
    case QChar::DirRLI:
        return true;
    default:
        return false;
    }
}

// Where the characters [from, to) of a block (positions in the block) lie on one of its lines.
// Left-to-right text is two caret positions; where right-to-left text is near, the caret
// positions of the ends can sit at the far side of a run, so the glyphs themselves decide.
std::pair<qreal, qreal> horizontalExtent(const QTextBlock &block, const QTextLine &line, int from,
                                         int to)
{
    const QString text = block.text();
    bool bidi = false;
    for (int i = std::max(0, from - 1); i < std::min(int(text.size()), to + 1) && !bidi; ++i)
        bidi = isRightToLeft(text[i]);
    if (!bidi) {
        const qreal x1 = line.cursorToX(from);
        const qreal x2 = line.cursorToX(to);
        return {std::min(x1, x2), std::max(x1, x2)};
    }
    QRectF glyphs;
    const QList<QGlyphRun> runs = line.glyphRuns(from, to - from);
    for (const QGlyphRun &run : runs)
        glyphs = glyphs.united(run.boundingRect());
    if (glyphs.isNull())
        return {line.cursorToX(from), line.cursorToX(from)};
    return {glyphs.left(), glyphs.right()};
}

// The text as the view shows it, one UTF-16 unit for one, so a position in the view is a
// position in the item's text: QTextDocument would fold "\r\n" into one paragraph break and
// give its frame markers a meaning.
QString displayText(QString text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\r')
            text[i] = (i + 1 < text.size() && text[i + 1] == u'\n') ? QChar(0x200B) : QChar(u'\n');
        else if (c == QChar(0xFDD0) || c == QChar(0xFDD1) || c == QChar::ObjectReplacementCharacter)
            text[i] = QChar::ReplacementCharacter;
    }
    return text;
}

bool movesTheCaret(const QKeyEvent *key)
{
    switch (key->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
    case Qt::Key_Home:
    case Qt::Key_End:
    case Qt::Key_PageUp:
    case Qt::Key_PageDown:
        // Plain, Shift (select) and Ctrl (word-wise) arrows belong to the text, as in any text
        // field; the window's arrow shortcuts would otherwise change the item under the caret.
        return !(key->modifiers() &
                 ~(Qt::ShiftModifier | Qt::ControlModifier | Qt::KeypadModifier));
    default:
        return false;
    }
}

} // namespace

SpanTextView::SpanTextView(QWidget *parent)
    : QTextEdit(parent)
{
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setLineWrapMode(QTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    setMouseTracking(true);
    document()->setDocumentMargin(12);
    // Texts are read, not skimmed: a size up from the interface's.
    QFont reading = font();
    reading.setPointSizeF(reading.pointSizeF() * 1.2);
    setFont(reading);
}

SpanTextView::~SpanTextView() = default;

void SpanTextView::setDocument(ItemDocument *document)
{
    if (m_document)
        disconnect(m_document, nullptr, this, nullptr);
    m_document = document;
    m_dragId = 0;
    m_appliedLevels = -1;
    m_task = document ? document->task() : LabelTask();
    m_showSpans = document && m_task.type == TaskType::Spans;
    // The line spacing goes on the empty text first: every block the text brings inherits it,
    // so a long text is laid out once instead of twice.
    clear();
    rebuildSpans();
    applyLineSpacing();
    if (document) {
        QTextCursor insert(this->document());
        insert.insertText(displayText(document->item().text));
        setTextCursor(QTextCursor(this->document()));
        connect(document, &ItemDocument::changed, this, &SpanTextView::documentChanged);
    }
    verticalScrollBar()->setValue(0);
    viewport()->update();
}

void SpanTextView::setClassVisible(qint64 classId, bool visible)
{
    const bool wasVisible = !m_hiddenClasses.contains(classId);
    if (visible == wasVisible)
        return;
    if (visible)
        m_hiddenClasses.remove(classId);
    else
        m_hiddenClasses.insert(classId);
    rebuildSpans();
    viewport()->update();
}

void SpanTextView::setCharacterPrecision(bool on)
{
    m_characterPrecision = on;
}

void SpanTextView::documentChanged(const ChangeEvent &event)
{
    if (event.kind == ChangeEvent::Kind::SelectionChanged) {
        if (event.ids.size() == 1)
            revealSpan(event.ids.constFirst());
    } else if (event.kind != ChangeEvent::Kind::SkipChanged) {
        rebuildSpans();
        applyLineSpacing();
    }
    viewport()->update();
}

void SpanTextView::rebuildSpans()
{
    m_spans.clear();
    m_longestSpan = 0;
    m_levels = 0;
    if (!m_showSpans || !m_document)
        return;
    const TextOffsetIndex &index = m_document->textIndex();
    for (const Annotation &a : m_document->annotations()) {
        const auto *span = std::get_if<Span>(&a.shape);
        if (!span || a.provenance.state == LabelState::Rejected ||
            m_hiddenClasses.contains(a.classId))
            continue;
        const auto [start, end] = index.spanToUtf16(*span);
        if (start < 0 || start >= end)
            continue;
        SpanView view;
        view.id = a.id;
        view.classId = a.classId;
        view.start = start;
        view.end = end;
        view.machine = a.provenance.state == LabelState::Machine;
        const LabelClass *labelClass = m_task.classById(a.classId);
        view.label = labelClass ? labelClass->name : tr("class %1").arg(a.classId);
        if (view.machine && a.provenance.confidence)
            view.label += QStringLiteral(" %1%").arg(qRound(*a.provenance.confidence * 100));
        view.color =
            labelClass && labelClass->color.isValid() ? labelClass->color : QColor(Qt::magenta);
        m_spans.append(view);
    }
    // Outer spans first, so nested ones get the deeper levels: each span takes the first level
    // whose last span has ended.
    std::sort(m_spans.begin(), m_spans.end(), [](const SpanView &a, const SpanView &b) {
        return a.start != b.start ? a.start < b.start : a.end > b.end;
    });
    QList<qsizetype> levelEnds;
    for (SpanView &span : m_spans) {
        int level = 0;
        while (level < levelEnds.size() && levelEnds[level] > span.start)
            ++level;
        if (level == levelEnds.size())
            levelEnds.append(0);
        levelEnds[level] = span.end;
        span.level = level;
        m_longestSpan = std::max(m_longestSpan, span.end - span.start);
    }
    m_levels = int(levelEnds.size());
}

int SpanTextView::barHeight() const
{
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    return QFontMetrics(small).height() + 2;
}

int SpanTextView::levelCount() const
{
    return m_showSpans ? std::max(1, m_levels) : 0;
}

void SpanTextView::applyLineSpacing()
{
    // Room under every line for the bars of the deepest nesting; changed only when the depth
    // changes, since it lays the whole text out again.
    const int levels = levelCount();
    if (levels == m_appliedLevels)
        return;
    m_appliedLevels = levels;
    QTextBlockFormat format;
    // Without spans, a third of a line between lines, as reading views have.
    format.setLineHeight(levels == 0 ? 135 : levels * (barHeight() + kBarGap) + kBarGap,
                         levels == 0 ? QTextBlockFormat::ProportionalHeight
                                     : QTextBlockFormat::LineDistanceHeight);
    QTextCursor cursor(document());
    cursor.select(QTextCursor::Document);
    cursor.mergeBlockFormat(format);
}

QList<SpanTextView::Piece> SpanTextView::layoutPieces(const SpanView &span, qsizetype visibleStart,
                                                      qsizetype visibleEnd) const
{
    QList<Piece> pieces;
    qsizetype spanStart = span.start;
    qsizetype spanEnd = span.end;
    if (span.id == m_dragId && m_dragId != 0) {
        spanStart = m_dragStart;
        spanEnd = m_dragStop;
    }
    const qsizetype start = std::max(spanStart, visibleStart);
    const qsizetype end = std::min(spanEnd, visibleEnd);
    if (start >= end)
        return pieces;
    QAbstractTextDocumentLayout *layout = document()->documentLayout();
    const QPointF scroll(horizontalScrollBar()->value(), verticalScrollBar()->value());
    const int barStep = barHeight() + kBarGap;
    for (QTextBlock block = document()->findBlock(int(start));
         block.isValid() && block.position() < end; block = block.next()) {
        const QTextLayout *textLayout = block.layout();
        if (!textLayout)
            continue;
        const QPointF origin = layout->blockBoundingRect(block).topLeft() - scroll;
        const int blockStart = block.position();
        for (int i = 0; i < textLayout->lineCount(); ++i) {
            const QTextLine line = textLayout->lineAt(i);
            const qsizetype lineStart = blockStart + line.textStart();
            const qsizetype lineEnd = lineStart + line.textLength();
            if (lineEnd <= start)
                continue;
            if (lineStart >= end)
                break;
            const qsizetype from = std::max(start, lineStart);
            const qsizetype to = std::min(end, lineEnd);
            const auto [left, right] =
                horizontalExtent(block, line, int(from - blockStart), int(to - blockStart));
            const qreal top = origin.y() + line.y();
            const QRectF text(origin.x() + left, top, right - left, line.ascent() + line.descent());
            Piece piece;
            piece.id = span.id;
            piece.text = text.toAlignedRect();
            piece.bar =
                QRect(piece.text.left(),
                      int(top + line.ascent() + line.descent()) + kBarGap + span.level * barStep,
                      std::max(piece.text.width(), 4), barStep - kBarGap);
            piece.first = from == spanStart;
            piece.last = to == spanEnd;
            pieces.append(piece);
        }
    }
    return pieces;
}

void SpanTextView::paintEvent(QPaintEvent *event)
{
    m_pieces.clear();
    m_paintedSpans = 0;
    if (!m_showSpans || !m_document || m_spans.isEmpty()) {
        QTextEdit::paintEvent(event);
        return;
    }
    // Only what is on screen: the characters between the top-left and bottom-right corners,
    // widened to whole blocks.
    const QRect area = viewport()->rect();
    const QTextBlock firstBlock =
        document()->findBlock(cursorForPosition(area.topLeft()).position());
    const QTextBlock lastBlock =
        document()->findBlock(cursorForPosition(area.bottomRight()).position());
    const qsizetype visibleStart = firstBlock.position();
    const qsizetype visibleEnd = lastBlock.position() + lastBlock.length();

    // Spans are sorted by start; none is longer than m_longestSpan, so those that can reach the
    // screen start after visibleStart - m_longestSpan.
    const auto from =
        std::partition_point(m_spans.cbegin(), m_spans.cend(), [&](const SpanView &s) {
            return s.start < visibleStart - m_longestSpan;
        });
    QList<const SpanView *> visible;
    for (auto it = from; it != m_spans.cend() && it->start < visibleEnd; ++it) {
        if (it->end > visibleStart || it->id == m_dragId)
            visible.append(&*it);
    }
    const QSet<qint64> selection = m_document->selection();
    QHash<qint64, QList<Piece>> pieces;
    for (const SpanView *span : std::as_const(visible))
        pieces.insert(span->id, layoutPieces(*span, visibleStart, visibleEnd));
    m_paintedSpans = int(visible.size());

    {
        // The fills go under the text.
        QPainter painter(viewport());
        for (const SpanView *span : std::as_const(visible)) {
            QColor fill = span->color;
            fill.setAlpha(selection.contains(span->id) ? 110 : (span->machine ? 35 : 60));
            for (const Piece &piece : pieces.value(span->id))
                painter.fillRect(piece.text, fill);
        }
    }
    QTextEdit::paintEvent(event);

    QPainter painter(viewport());
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    painter.setFont(small);
    const QFontMetrics metrics(small);
    const QColor highlight = palette().color(QPalette::Highlight);
    for (const SpanView *span : std::as_const(visible)) {
        const bool selected = selection.contains(span->id);
        for (const Piece &piece : pieces.value(span->id)) {
            m_pieces.append(piece);
            const QRectF bar = QRectF(piece.bar).adjusted(0.5, 0.5, -0.5, -0.5);
            if (span->machine) {
                // As machine labels on images: dashed, with a dark tag and the confidence.
                QColor fill = span->color;
                fill.setAlpha(60);
                painter.fillRect(bar, fill);
                QPen dashed(span->color, 1.5, Qt::DashLine);
                painter.setPen(dashed);
                painter.drawRect(bar);
            } else {
                painter.fillRect(bar, span->color);
            }
            if (selected) {
                painter.setPen(QPen(highlight, 2));
                painter.drawRect(bar.adjusted(-1, -1, 1, 1));
                painter.setPen(QPen(highlight, 2));
                painter.drawRect(QRectF(piece.text).adjusted(-1, -1, 1, 1));
                // The ends that can be dragged.
                const int handleTop = piece.text.top() - 2;
                const int handleBottom = piece.bar.bottom();
                if (piece.first)
                    painter.fillRect(
                        QRect(piece.text.left() - 2, handleTop, 4, handleBottom - handleTop),
                        highlight);
                if (piece.last)
                    painter.fillRect(
                        QRect(piece.text.right() - 1, handleTop, 4, handleBottom - handleTop),
                        highlight);
            }
            if (!piece.first)
                continue;
            // The class name on the bar where the span starts; a short span's name runs past
            // its bar on a tag of its own, so it stays readable.
            const int textWidth = metrics.horizontalAdvance(span->label) + 6;
            QRect tag(piece.bar.left(), piece.bar.top(), std::max(textWidth, 0),
                      piece.bar.height());
            QColor tagColor = span->machine ? QColor(30, 30, 30, 210) : span->color;
            if (span->machine || textWidth > piece.bar.width())
                painter.fillRect(tag, tagColor);
            if (span->machine) {
                // Framed in the class colour, so the dark tag stands out on a dark theme too.
                painter.setPen(QPen(span->color, 1));
                painter.drawRect(QRectF(tag).adjusted(0.5, 0.5, -0.5, -0.5));
            }
            painter.setPen(span->machine ? QColor(Qt::white) : textOn(span->color));
            painter.drawText(tag.adjusted(3, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft,
                             span->label);
        }
    }
}

const SpanTextView::SpanView *SpanTextView::spanById(qint64 id) const
{
    for (const SpanView &span : m_spans) {
        if (span.id == id)
            return &span;
    }
    return nullptr;
}

qint64 SpanTextView::spanAt(const QPoint &pos) const
{
    for (const Piece &piece : m_pieces) {
        if (piece.bar.contains(pos))
            return piece.id;
    }
    // On the characters: the innermost span there, the one most likely meant.
    qint64 best = 0;
    qsizetype bestLength = 0;
    for (const Piece &piece : m_pieces) {
        if (!piece.text.contains(pos))
            continue;
        const SpanView *span = spanById(piece.id);
        if (span && (best == 0 || span->end - span->start < bestLength)) {
            best = span->id;
            bestLength = span->end - span->start;
        }
    }
    return best;
}

int SpanTextView::handleAt(const QPoint &pos) const
{
    if (!m_document || m_document->selection().size() != 1)
        return 0;
    const qint64 id = *m_document->selection().cbegin();
    for (const Piece &piece : m_pieces) {
        if (piece.id != id || pos.y() < piece.text.top() - 2 || pos.y() > piece.bar.bottom())
            continue;
        if (piece.first && std::abs(pos.x() - piece.text.left()) <= kHandleReach)
            return -1;
        if (piece.last && std::abs(pos.x() - piece.text.right()) <= kHandleReach)
            return 1;
    }
    return 0;
}

std::pair<qsizetype, qsizetype> SpanTextView::snap(qsizetype start, qsizetype end) const
{
    if (!m_document)
        return {0, 0};
    const QString &text = m_document->item().text;
    return m_characterPrecision ? snapToGraphemes(text, start, end) : snapToWords(text, start, end);
}

std::pair<qsizetype, qsizetype> SpanTextView::snappedSelection() const
{
    const QTextCursor cursor = textCursor();
    if (!cursor.hasSelection())
        return {0, 0};
    return snap(cursor.selectionStart(), cursor.selectionEnd());
}

qsizetype SpanTextView::positionAt(const QPoint &pos) const
{
    return cursorForPosition(pos).position();
}

QRect SpanTextView::spanTextRect(qint64 annotationId) const
{
    for (const Piece &piece : m_pieces) {
        if (piece.id == annotationId && piece.first)
            return piece.text;
    }
    return {};
}

QRect SpanTextView::spanBarRect(qint64 annotationId) const
{
    for (const Piece &piece : m_pieces) {
        if (piece.id == annotationId && piece.first)
            return piece.bar;
    }
    return {};
}

void SpanTextView::revealSpan(qint64 annotationId)
{
    const SpanView *span = spanById(annotationId);
    if (!span)
        return;
    QTextCursor cursor(document());
    cursor.setPosition(int(span->start));
    const QRect at = cursorRect(cursor);
    if (viewport()->rect().contains(at))
        return;
    setTextCursor(cursor);
    ensureCursorVisible();
}

void SpanTextView::selectSpan(qint64 id, bool extend)
{
    if (!m_document)
        return;
    QSet<qint64> selection = extend ? m_document->selection() : QSet<qint64>();
    if (id != 0 && extend && selection.contains(id))
        selection.remove(id);
    else if (id != 0)
        selection.insert(id);
    m_document->setSelection(selection);
}

void SpanTextView::selectNeighbourSpan(int direction)
{
    if (!m_document || m_spans.isEmpty())
        return;
    // From the selected span, or else from the caret.
    qsizetype at = textCursor().position();
    qsizetype current = -1;
    if (m_document->selection().size() == 1) {
        for (qsizetype i = 0; i < m_spans.size(); ++i) {
            if (m_spans[i].id == *m_document->selection().cbegin())
                current = i;
        }
    }
    qsizetype next = 0;
    if (current >= 0) {
        next = (current + direction + m_spans.size()) % m_spans.size();
    } else {
        next = direction > 0 ? 0 : m_spans.size() - 1;
        for (qsizetype i = 0; i < m_spans.size(); ++i) {
            const qsizetype k = direction > 0 ? i : m_spans.size() - 1 - i;
            if (direction > 0 ? m_spans[k].start >= at : m_spans[k].start < at) {
                next = k;
                break;
            }
        }
    }
    QTextCursor cursor = textCursor();
    cursor.clearSelection();
    setTextCursor(cursor);
    selectSpan(m_spans[next].id, false);
    revealSpan(m_spans[next].id);
}

bool SpanTextView::event(QEvent *event)
{
    if (event->type() == QEvent::ShortcutOverride) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (movesTheCaret(key) || key->matches(QKeySequence::Find) ||
            (key->key() == Qt::Key_Escape && textCursor().hasSelection())) {
            event->accept();
            return true;
        }
    }
    if (event->type() == QEvent::KeyPress && m_showSpans) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Tab || key->key() == Qt::Key_Backtab) {
            selectNeighbourSpan(key->key() == Qt::Key_Tab ? 1 : -1);
            return true;
        }
    }
    return QTextEdit::event(event);
}

void SpanTextView::changeEvent(QEvent *event)
{
    QTextEdit::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        // The bars under the lines follow the font's size.
        m_appliedLevels = -1;
        applyLineSpacing();
    }
}

void SpanTextView::keyPressEvent(QKeyEvent *event)
{
    if (event->matches(QKeySequence::Find)) {
        Q_EMIT findRequested();
        return;
    }
    if (event->key() == Qt::Key_Escape) {
        QTextCursor cursor = textCursor();
        cursor.clearSelection();
        setTextCursor(cursor);
        if (m_document)
            m_document->setSelection({});
        return;
    }
    QTextEdit::keyPressEvent(event);
    // A text selection made with the keyboard is what the next class key labels, not a span.
    if (textCursor().hasSelection() && m_document && !m_document->selection().isEmpty())
        m_document->setSelection({});
}

void SpanTextView::mousePressEvent(QMouseEvent *event)
{
    m_pressPos = event->position().toPoint();
    m_pressOnSpan = false;
    if (event->button() == Qt::LeftButton && m_showSpans && m_document) {
        if (const int end = handleAt(m_pressPos); end != 0) {
            const SpanView *span = spanById(*m_document->selection().cbegin());
            if (span) {
                m_dragId = span->id;
                m_dragEnd = end;
                m_dragStart = span->start;
                m_dragStop = span->end;
                viewport()->setCursor(Qt::SizeHorCursor);
                return;
            }
        }
        for (const Piece &piece : std::as_const(m_pieces)) {
            if (piece.bar.contains(m_pressPos)) {
                m_pressOnSpan = true;
                setFocus(Qt::MouseFocusReason);
                QTextCursor cursor = textCursor();
                cursor.clearSelection();
                setTextCursor(cursor);
                selectSpan(piece.id, event->modifiers().testFlag(Qt::ControlModifier));
                return;
            }
        }
    }
    QTextEdit::mousePressEvent(event);
}

void SpanTextView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_dragId != 0) {
        const qsizetype at = positionAt(pos);
        if (m_dragEnd < 0)
            m_dragStart = std::min(at, m_dragStop - 1);
        else
            m_dragStop = std::max(at, m_dragStart + 1);
        viewport()->update();
        return;
    }
    if (m_pressOnSpan)
        return;
    if (!(event->buttons() & Qt::LeftButton))
        viewport()->setCursor(handleAt(pos) != 0 ? Qt::SizeHorCursor : Qt::IBeamCursor);
    QTextEdit::mouseMoveEvent(event);
}

void SpanTextView::mouseReleaseEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_dragId != 0) {
        const qint64 id = std::exchange(m_dragId, 0);
        viewport()->setCursor(Qt::IBeamCursor);
        const auto [start, end] = snap(m_dragStart, m_dragStop);
        if (m_document) {
            if (auto changed = m_document->changeSpan(id, start, end); !changed)
                Q_EMIT statusMessage(changed.errorString());
        }
        viewport()->update();
        return;
    }
    if (m_pressOnSpan) {
        m_pressOnSpan = false;
        return;
    }
    QTextEdit::mouseReleaseEvent(event);
    if (!m_showSpans || !m_document || event->button() != Qt::LeftButton)
        return;
    if (textCursor().hasSelection()) {
        m_document->setSelection({});
        return;
    }
    // A click, not a drag: the span under it, or none.
    if ((pos - m_pressPos).manhattanLength() < QApplication::startDragDistance())
        selectSpan(spanAt(pos), event->modifiers().testFlag(Qt::ControlModifier));
}

void SpanTextView::mouseDoubleClickEvent(QMouseEvent *event)
{
    // A double click selects the word under it (to label with a key).
    QTextEdit::mouseDoubleClickEvent(event);
    if (m_document && textCursor().hasSelection())
        m_document->setSelection({});
}

} // namespace fieldmark
