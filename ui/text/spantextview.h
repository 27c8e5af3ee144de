#pragma once

#include "core/model/labeltask.h"

#include <QList>
#include <QPointer>
#include <QSet>
#include <QTextEdit>

namespace fieldmark {

class ItemDocument;
struct ChangeEvent;

// The text of a text item, read-only and selectable with the mouse and the keyboard, with the
// item's spans drawn over it: a light fill in the class colour on the characters and, under
// each line, one bar per nesting level carrying the class name, so overlapping and nested
// spans stay readable. Machine spans have a dashed bar with their confidence. Only the
// visible lines are painted, so long documents scroll at the same speed as short ones.
//
// A click on a span (its text or its bar) selects it in the document; the selected span's
// ends can be dragged. Edits go through the document: the view never changes a span itself.
class SpanTextView : public QTextEdit
{
    Q_OBJECT

public:
    explicit SpanTextView(QWidget *parent = nullptr);
    ~SpanTextView() override;

    // Shows `document`'s text and spans (null: nothing). Not owned.
    void setDocument(ItemDocument *document);
    ItemDocument *itemDocument() const { return m_document; }
    // Spans are drawn only for span tasks.
    bool showsSpans() const { return m_showSpans; }

    void setClassVisible(qint64 classId, bool visible);
    // Selections and dragged ends snap to whole words unless this is on.
    void setCharacterPrecision(bool on);
    bool characterPrecision() const { return m_characterPrecision; }

    // The UTF-16 range of the text selection, snapped as new spans are; empty when nothing is
    // selected.
    std::pair<qsizetype, qsizetype> snappedSelection() const;
    // Where a span's characters are drawn (viewport coordinates, first line), for tests and
    // scrolling; empty when it is not laid out on screen.
    QRect spanTextRect(qint64 annotationId) const;
    // Where a span's bar is drawn (its first line), empty when off screen.
    QRect spanBarRect(qint64 annotationId) const;
    // The spans painted by the last paint: how many, for the benchmark.
    int paintedSpanCount() const { return m_paintedSpans; }
    // Scrolls so the span is visible.
    void revealSpan(qint64 annotationId);

Q_SIGNALS:
    void findRequested();
    void statusMessage(const QString &text);

protected:
    bool event(QEvent *event) override;
    void changeEvent(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    // One span as drawn: its UTF-16 range, nesting level and look.
    struct SpanView
    {
        qint64 id = 0;
        qint64 classId = 0;
        qsizetype start = 0;
        qsizetype end = 0;
        int level = 0;
        bool machine = false;
        QString label; // the class name, with the confidence for machine spans
        QColor color;
    };
    // A piece of a span on one line, as last painted (viewport coordinates).
    struct Piece
    {
        qint64 id = 0;
        QRect text;
        QRect bar;
        bool first = false; // the span starts on this line
        bool last = false;  // the span ends on this line
    };

    void documentChanged(const ChangeEvent &event);
    void rebuildSpans();
    void applyLineSpacing();
    int barHeight() const;
    int levelCount() const;
    QList<Piece> layoutPieces(const SpanView &span, qsizetype visibleStart,
                              qsizetype visibleEnd) const;
    const SpanView *spanById(qint64 id) const;
    qint64 spanAt(const QPoint &viewportPos) const;
    // The end of the selected span under the point: -1 start, 1 end, 0 none.
    int handleAt(const QPoint &viewportPos) const;
    std::pair<qsizetype, qsizetype> snap(qsizetype start, qsizetype end) const;
    qsizetype positionAt(const QPoint &viewportPos) const;
    void selectSpan(qint64 id, bool extend);
    void selectNeighbourSpan(int direction);

    QPointer<ItemDocument> m_document;
    LabelTask m_task;
    bool m_showSpans = false;
    bool m_characterPrecision = false;
    QSet<qint64> m_hiddenClasses;
    QList<SpanView> m_spans; // by start, longer first
    qsizetype m_longestSpan = 0;
    int m_levels = 0;
    int m_appliedLevels = -1;
    QList<Piece> m_pieces; // of the last paint
    int m_paintedSpans = 0;

    // Dragging one end of the selected span.
    qint64 m_dragId = 0;
    int m_dragEnd = 0;
    qsizetype m_dragStart = 0;
    qsizetype m_dragStop = 0;
    QPoint m_pressPos;
    bool m_pressOnSpan = false;
};

} // namespace fieldmark
