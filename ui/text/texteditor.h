#pragma once

#include "core/util/result.h"

#include <QList>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QToolButton;

namespace fieldmark {

class ItemDocument;
class SpanTextView;
struct ChangeEvent;

// The text editing area, the counterpart of ImageEditor for text items: the text, readable
// (wrapped, with a monospace switch and a find bar, Ctrl+F), the item's classes above it for
// text classification, and for span tasks the spans over the text (SpanTextView). The class
// keys stay with the window's actions; for span tasks they label the text selection through
// labelSelection().
class TextEditor : public QWidget
{
    Q_OBJECT

public:
    explicit TextEditor(QWidget *parent = nullptr);
    ~TextEditor() override;

    // Shows and edits `document`'s text item; null shows nothing. Does not own the document:
    // call setDocument(nullptr) before deleting it.
    void setDocument(ItemDocument *document);
    ItemDocument *document() const;
    SpanTextView *view() const { return m_view; }
    // Monospace, character precision and find, for the View menu.
    QList<QAction *> viewActions() const;
    QAction *monospaceAction() const { return m_monospace; }
    QAction *characterPrecisionAction() const { return m_precision; }
    QLineEdit *findEdit() const { return m_findEdit; }
    QLabel *classBanner() const { return m_banner; }

    void setClassVisible(qint64 classId, bool visible);
    // True when text is selected in a span task: the next class key makes it a span.
    bool hasTextSelection() const;
    // Makes the text selection (snapped to words unless character precision is on) a span of
    // the class, selects the new span and clears the text selection.
    Result<qint64> labelSelection(qint64 classId);
    // Finds the next (or previous) occurrence of the find bar's text, wrapping around; false
    // when there is none.
    bool findNext(bool backward = false);

Q_SIGNALS:
    void statusMessage(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void documentChanged(const ChangeEvent &event);
    void showBanner();
    void showFindBar();
    void setMonospace(bool on);

    QPointer<ItemDocument> m_document;
    SpanTextView *m_view = nullptr;
    QLabel *m_banner = nullptr;
    QWidget *m_findBar = nullptr;
    QLineEdit *m_findEdit = nullptr;
    QLabel *m_findStatus = nullptr;
    QAction *m_monospace = nullptr;
    QAction *m_precision = nullptr;
    QAction *m_find = nullptr;
    QFont m_proportionalFont;
};

} // namespace fieldmark
