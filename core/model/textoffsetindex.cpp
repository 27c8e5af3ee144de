#include "textoffsetindex.h"

#include <QCoreApplication>
#include <QTextBoundaryFinder>

#include <algorithm>

namespace fieldmark {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("fieldmark::TextOffsetIndex", text);
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark() || c.isSurrogate() || c == u'_';
}

} // namespace

TextOffsetIndex::TextOffsetIndex(const QString &text)
    : m_utf16Length(text.size())
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i].isHighSurrogate() && text[i + 1].isLowSurrogate()) {
            m_pairs.append(i);
            ++i;
        }
    }
}

qsizetype TextOffsetIndex::toUtf16(qint64 codePoint) const
{
    if (codePoint < 0 || codePoint > codePointLength())
        return -1;
    // Pair k starts at code point m_pairs[k] - k; every pair before the code point adds one
    // unit. Those code points ascend with k, so a binary search counts them.
    qsizetype low = 0;
    qsizetype high = m_pairs.size();
    while (low < high) {
        const qsizetype middle = low + (high - low) / 2;
        if (m_pairs[middle] - middle < codePoint)
            low = middle + 1;
        else
            high = middle;
    }
    return qsizetype(codePoint) + low;
}

qint64 TextOffsetIndex::toCodePoint(qsizetype index) const
{
    if (index < 0 || index > m_utf16Length || splitsSurrogatePair(index))
        return -1;
    const auto before = std::lower_bound(m_pairs.cbegin(), m_pairs.cend(), index);
    return qint64(index) - (before - m_pairs.cbegin());
}

bool TextOffsetIndex::splitsSurrogatePair(qsizetype index) const
{
    return std::binary_search(m_pairs.cbegin(), m_pairs.cend(), index - 1);
}

Result<Span> TextOffsetIndex::spanFromUtf16(qsizetype start, qsizetype end) const
{
    if (start < 0 || end > m_utf16Length || start > end)
        return makeError(tr("the selection %1\u2013%2 lies outside the text of %3 characters")
                             .arg(start)
                             .arg(end)
                             .arg(codePointLength()));
    if (start == end)
        return makeError(tr("the selection is empty: select some text first"));
    if (splitsSurrogatePair(start) || splitsSurrogatePair(end))
        return makeError(tr("the selection %1\u2013%2 cuts a character (a surrogate pair) in two")
                             .arg(start)
                             .arg(end));
    return Span{toCodePoint(start), toCodePoint(end)};
}

std::pair<qsizetype, qsizetype> TextOffsetIndex::spanToUtf16(const Span &span) const
{
    const qsizetype start = toUtf16(span.start);
    const qsizetype end = toUtf16(span.end);
    if (start < 0 || end < 0)
        return {-1, -1};
    return {start, end};
}

std::pair<qsizetype, qsizetype> snapToGraphemes(const QString &text, qsizetype start, qsizetype end)
{
    start = std::clamp<qsizetype>(start, 0, text.size());
    end = std::clamp<qsizetype>(end, start, text.size());
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    finder.setPosition(start);
    if (!finder.isAtBoundary())
        start = std::max<qsizetype>(finder.toPreviousBoundary(), 0);
    finder.setPosition(end);
    if (!finder.isAtBoundary()) {
        const qsizetype next = finder.toNextBoundary();
        end = next < 0 ? text.size() : next;
    }
    return {start, end};
}

std::pair<qsizetype, qsizetype> snapToWords(const QString &text, qsizetype start, qsizetype end)
{
    std::tie(start, end) = snapToGraphemes(text, start, end);
    // Leave out what is not part of a word at either end: the blank after a double-clicked
    // word, the comma a drag ran over.
    qsizetype first = start;
    qsizetype last = end;
    while (first < last && !isWordCharacter(text[first]))
        ++first;
    while (last > first && !isWordCharacter(text[last - 1]))
        --last;
    if (first == last)
        return {start, end};
    QTextBoundaryFinder finder(QTextBoundaryFinder::Word, text);
    finder.setPosition(first);
    if (!finder.isAtBoundary() || !(finder.boundaryReasons() & QTextBoundaryFinder::StartOfItem)) {
        const qsizetype previous = finder.toPreviousBoundary();
        first = previous < 0 ? 0 : previous;
    }
    finder.setPosition(last);
    if (!finder.isAtBoundary() || !(finder.boundaryReasons() & QTextBoundaryFinder::EndOfItem)) {
        const qsizetype next = finder.toNextBoundary();
        last = next < 0 ? text.size() : next;
    }
    return {first, last};
}

} // namespace fieldmark
