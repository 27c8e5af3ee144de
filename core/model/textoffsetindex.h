#pragma once

#include "core/model/annotation.h"
#include "core/util/result.h"

#include <QList>
#include <QString>

namespace fieldmark {

// Converts offsets in one text between Qt's UTF-16 code units and the Unicode code points
// that files and Ground Truth count, in O(log n): it keeps only where the surrogate pairs are
// (most texts have none), so a 200,000-character document with thousands of spans converts
// without walking the text once per span. Built once per text; the text must not change.
class TextOffsetIndex
{
public:
    TextOffsetIndex() = default;
    explicit TextOffsetIndex(const QString &text);

    qsizetype utf16Length() const { return m_utf16Length; }
    qint64 codePointLength() const { return m_utf16Length - m_pairs.size(); }

    // The UTF-16 index of code point `codePoint`; -1 when it lies outside [0, length].
    qsizetype toUtf16(qint64 codePoint) const;
    // The code point of UTF-16 index `index`; -1 outside [0, length] or on the second half of
    // a surrogate pair (a place no code point starts at).
    qint64 toCodePoint(qsizetype index) const;
    bool splitsSurrogatePair(qsizetype index) const;

    // The span [start, end) of UTF-16 indexes as code points, refused with a message when it
    // is empty, lies outside the text or cuts a surrogate pair in two.
    Result<Span> spanFromUtf16(qsizetype start, qsizetype end) const;
    // The UTF-16 range [first, second) of a span; {-1, -1} when it lies outside the text.
    std::pair<qsizetype, qsizetype> spanToUtf16(const Span &span) const;

private:
    qsizetype m_utf16Length = 0;
    // The UTF-16 index of each surrogate pair's first half, ascending.
    QList<qsizetype> m_pairs;
};

// The UTF-16 range [start, end) widened to whole words (Unicode word boundaries, as
// QTextBoundaryFinder finds them) and narrowed to leave out the blanks and punctuation at
// its ends, so a sloppy mouse selection gives the words it touches. A range of nothing but
// blanks comes back as it was (at grapheme boundaries), to be refused or kept by the caller.
std::pair<qsizetype, qsizetype> snapToWords(const QString &text, qsizetype start, qsizetype end);
// The range widened to whole user-perceived characters (a letter with its combining marks,
// an emoji sequence), for character-precision selections.
std::pair<qsizetype, qsizetype> snapToGraphemes(const QString &text, qsizetype start,
                                                qsizetype end);

} // namespace fieldmark
