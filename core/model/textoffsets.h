#pragma once

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

} // namespace fieldmark
