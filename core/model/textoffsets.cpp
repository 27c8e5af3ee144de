#include "textoffsets.h"

#include <QTextBoundaryFinder>

namespace fieldmark {

qint64 codePointLength(const QString &text)
{
    qint64 count = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!text[i].isLowSurrogate() || i == 0 || !text[i - 1].isHighSurrogate())
            ++count;
    }
    return count;
}

qsizetype utf16IndexOfCodePoint(const QString &text, qint64 codePoint)
{
    if (codePoint < 0)
        return -1;
    qsizetype index = 0;
    for (qint64 cp = 0; cp < codePoint; ++cp) {
        if (index >= text.size())
            return -1;
        if (text[index].isHighSurrogate() && index + 1 < text.size() &&
            text[index + 1].isLowSurrogate())
            index += 2;
        else
            index += 1;
    }
    return index;
}

qint64 codePointOfUtf16Index(const QString &text, qsizetype index)
{
    return codePointLength(text.left(index));
}

bool isGraphemeBoundary(const QString &text, qsizetype utf16Index)
{
    if (utf16Index <= 0 || utf16Index >= text.size())
        return utf16Index == 0 || utf16Index == text.size();
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    finder.setPosition(utf16Index);
    return finder.isAtBoundary();
}

} // namespace fieldmark
