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

QList<TextWord> textWords(const QString &text)
{
    QList<TextWord> words;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Word, text);
    qsizetype from = 0;
    for (qsizetype to = finder.toNextBoundary(); to != -1; to = finder.toNextBoundary()) {
        for (qsizetype i = from; i < to;) {
            if (text[i].isSpace()) {
                ++i;
                continue;
            }
            qsizetype j = i;
            while (j < to && !text[j].isSpace())
                ++j;
            words.append(TextWord{i, j, 0, 0});
            i = j;
        }
        from = to;
    }
    // One pass for the code point offsets, so long texts cost linear time.
    qsizetype index = 0;
    qint64 codePoint = 0;
    for (TextWord &word : words) {
        for (; index < word.from; ++index)
            codePoint +=
                !text[index].isLowSurrogate() || index == 0 || !text[index - 1].isHighSurrogate();
        word.start = codePoint;
        for (; index < word.to; ++index)
            codePoint +=
                !text[index].isLowSurrogate() || index == 0 || !text[index - 1].isHighSurrogate();
        word.end = codePoint;
    }
    return words;
}

} // namespace fieldmark
