#include "textoffsets.h"

#include <QTextBoundaryFinder>

#include <algorithm>

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

namespace {

// How far either side of an index the grapheme rules are given to look: far more than a
// letter with its marks or an emoji sequence takes.
constexpr qsizetype kGraphemeContext = 64;

bool isRegionalIndicatorAt(const QString &text, qsizetype index)
{
    if (index < 0 || index + 1 >= text.size() || !text[index].isHighSurrogate())
        return false;
    const char32_t c = QChar::surrogateToUcs4(text[index], text[index + 1]);
    return c >= 0x1F1E6 && c <= 0x1F1FF;
}

} // namespace

bool isGraphemeBoundary(const QString &text, qsizetype utf16Index)
{
    if (utf16Index <= 0 || utf16Index >= text.size())
        return utf16Index == 0 || utf16Index == text.size();
    // The rules look at near neighbours only, so a window around the index decides, and a
    // check costs the same in a 200,000-character text as in a short one. Flags (pairs of
    // regional indicators) are counted from the start of their run: the window takes it all.
    qsizetype start = std::max<qsizetype>(0, utf16Index - kGraphemeContext);
    if (start > 0 && text[start].isLowSurrogate())
        --start;
    while (isRegionalIndicatorAt(text, start - 2))
        start -= 2;
    const qsizetype end = std::min<qsizetype>(text.size(), utf16Index + kGraphemeContext);
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.constData() + start,
                               end - start);
    finder.setPosition(utf16Index - start);
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
