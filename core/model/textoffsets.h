#pragma once

#include <QList>
#include <QString>

namespace fieldmark {

// Qt counts text in UTF-16 code units; files and Ground Truth count Unicode code points.
// These convert between the two and tell where a user-perceived character (a grapheme
// cluster: a letter with its combining marks, an emoji sequence) begins.

qint64 codePointLength(const QString &text);
// The UTF-16 index of code point `codePoint`, or -1 when it lies past the end.
qsizetype utf16IndexOfCodePoint(const QString &text, qint64 codePoint);
// The code point offset of UTF-16 index `index` (which must not split a surrogate pair).
qint64 codePointOfUtf16Index(const QString &text, qsizetype index);
bool isGraphemeBoundary(const QString &text, qsizetype utf16Index);

// A word of a text: [from, to) in UTF-16 units and [start, end) in code points.
struct TextWord
{
    qsizetype from = 0;
    qsizetype to = 0;
    qint64 start = 0;
    qint64 end = 0;
};
// The words of a text at UAX #29 word boundaries, split further at any whitespace so that no
// word holds a blank (a combining mark after a space is its own segment's tail); punctuation
// marks are words of their own. CoNLL files and the span tagger cut texts the same way.
QList<TextWord> textWords(const QString &text);

} // namespace fieldmark
