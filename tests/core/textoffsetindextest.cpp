// TextOffsetIndex (UTF-16 <-> code points without a walk per conversion), word snapping, and
// span editing on ItemDocument: validation, commands with undo and redo, review of machine
// spans.
#include "core/model/textoffsetindex.h"
#include "core/document/itemdocument.h"
#include "core/model/textoffsets.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QTemporaryDir>
#include <QTextBoundaryFinder>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::succeeds;

// The index must agree with the plain walk of textoffsets.h at every UTF-16 index.
void expectAgreesWithWalk(const QString &text)
{
    const TextOffsetIndex index(text);
    EXPECT_EQ(index.utf16Length(), text.size());
    EXPECT_EQ(index.codePointLength(), qint64(text.toUcs4().size()));
    for (qint64 cp = 0; cp <= index.codePointLength(); ++cp)
        EXPECT_EQ(index.toUtf16(cp), utf16IndexOfCodePoint(text, cp)) << "code point " << cp;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const bool inPair =
            i > 0 && i < text.size() && text[i].isLowSurrogate() && text[i - 1].isHighSurrogate();
        EXPECT_EQ(index.splitsSurrogatePair(i), inPair) << "index " << i;
        EXPECT_EQ(index.toCodePoint(i), inPair ? -1 : codePointOfUtf16Index(text, i))
            << "index " << i;
    }
    EXPECT_EQ(index.toUtf16(-1), -1);
    EXPECT_EQ(index.toUtf16(index.codePointLength() + 1), -1);
    EXPECT_EQ(index.toCodePoint(text.size() + 1), -1);
}

TEST(TextOffsetIndexTest, AgreesWithTheWalkOnEveryScript)
{
    expectAgreesWithWalk(QString());
    expectAgreesWithWalk(u"plain ascii text"_s);
    expectAgreesWithWalk(u"I \U0001F600 emoji \U0001F468\u200D\U0001F469\u200D\U0001F467 "
                         u"\U0001F1EB\U0001F1F7!"_s);
    expectAgreesWithWalk(u"cafe\u0301 n\u0303o"_s);                             // combining marks
    expectAgreesWithWalk(u"\u0645\u0631\u062D\u0628\u0627 \U0001F44B world"_s); // Arabic
    expectAgreesWithWalk(u"\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD \U0001D11E"_s); // Hebrew
    expectAgreesWithWalk(u"\U0001F600\U0001F600\U0001F600"_s);
}

TEST(TextOffsetIndexTest, EmojiShiftLaterOffsets)
{
    // "a😀b": b is code point 2 and UTF-16 index 3.
    const QString text = u"a\U0001F600b"_s;
    const TextOffsetIndex index(text);
    EXPECT_EQ(index.codePointLength(), 3);
    EXPECT_EQ(index.toUtf16(2), 3);
    EXPECT_EQ(index.toCodePoint(3), 2);
    EXPECT_TRUE(index.splitsSurrogatePair(2));
    EXPECT_EQ(index.toCodePoint(2), -1);
}

TEST(TextOffsetIndexTest, SpansFromUtf16AreRefusedWithAReason)
{
    const TextOffsetIndex index(u"a\U0001F600b c"_s);
    EXPECT_TRUE(failsMentioning(index.spanFromUtf16(2, 2), {u"empty"_s}));
    EXPECT_TRUE(failsMentioning(index.spanFromUtf16(0, 9), {u"outside"_s}));
    EXPECT_TRUE(failsMentioning(index.spanFromUtf16(-1, 2), {u"outside"_s}));
    EXPECT_TRUE(failsMentioning(index.spanFromUtf16(0, 2), {u"surrogate pair"_s}));
    EXPECT_TRUE(failsMentioning(index.spanFromUtf16(2, 4), {u"surrogate pair"_s}));
    auto span = index.spanFromUtf16(1, 4);
    ASSERT_TRUE(succeeds(span));
    EXPECT_EQ(*span, (Span{1, 3}));
    EXPECT_EQ(index.spanToUtf16(Span{1, 3}), std::make_pair(qsizetype(1), qsizetype(4)));
    EXPECT_EQ(index.spanToUtf16(Span{1, 9}), std::make_pair(qsizetype(-1), qsizetype(-1)));
}

TEST(TextOffsetIndexTest, LongTextsConvertBothWays)
{
    QString text;
    for (int i = 0; i < 5000; ++i)
        text += (i % 7 == 0) ? u"\U0001F600 "_s : u"word "_s;
    const TextOffsetIndex index(text);
    // Spot checks against the walk, far into the text.
    for (qint64 cp : {qint64(0), qint64(123), qint64(9999), index.codePointLength()})
        EXPECT_EQ(index.toUtf16(cp), utf16IndexOfCodePoint(text, cp));
    for (qsizetype i : {qsizetype(0), qsizetype(4000), text.size()})
        EXPECT_EQ(index.toCodePoint(i), codePointOfUtf16Index(text, i));
}

TEST(TextOffsetIndexTest, GraphemeChecksFarIntoALongTextAgreeWithAWholeTextFinder)
{
    // The check looks at a window around the index; deep in a long text it must still see a
    // combining mark, an emoji sequence, and a long run of flags from its start.
    QString text = QString(500, u'x');
    for (int i = 0; i < 40; ++i)
        text += u"\U0001F1EB\U0001F1F7"_s; // 40 French flags: 80 regional indicators
    text += u"cafe\u0301 \U0001F468\u200D\U0001F469\u200D\U0001F467 end"_s;
    QTextBoundaryFinder whole(QTextBoundaryFinder::Grapheme, text);
    for (qsizetype i = 480; i <= text.size(); ++i) {
        whole.setPosition(i);
        EXPECT_EQ(isGraphemeBoundary(text, i), whole.isAtBoundary()) << "index " << i;
    }
}

// ---- word snapping --------------------------------------------------------------------------

QString snapped(const QString &text, qsizetype start, qsizetype end)
{
    const auto [first, last] = snapToWords(text, start, end);
    return text.mid(first, last - first);
}

TEST(SnapToWordsTest, WidensToWholeWordsAndDropsBlanksAndPunctuation)
{
    const QString text = u"Ada Lovelace met Charles Babbage, in London."_s;
    EXPECT_EQ(snapped(text, 6, 9), u"Lovelace"_s);          // inside a word
    EXPECT_EQ(snapped(text, 2, 6), u"Ada Lovelace"_s);      // across two words
    EXPECT_EQ(snapped(text, 17, 33), u"Charles Babbage"_s); // the comma is left out
    EXPECT_EQ(snapped(text, 37, 44), u"London"_s);          // the full stop too
    EXPECT_EQ(snapped(text, 3, 4), u" "_s);                 // only a blank: as it was
}

TEST(SnapToWordsTest, KeepsEmojiCombiningMarksAndRightToLeftWordsWhole)
{
    const QString accents = u"caf\u0065\u0301 noir"_s; // "café" with a combining accent
    EXPECT_EQ(snapped(accents, 1, 3), u"caf\u0065\u0301"_s);
    const QString arabic = u"\u0645\u0631\u062D\u0628\u0627 \u0628\u0643"_s; // مرحبا بك
    EXPECT_EQ(snapped(arabic, 1, 2), u"\u0645\u0631\u062D\u0628\u0627"_s);
    const QString hebrew = u"\u05E9\u05DC\u05D5\u05DD \u05E2\u05D5\u05DC\u05DD"_s; // שלום עולם
    EXPECT_EQ(snapped(hebrew, 6, 7), u"\u05E2\u05D5\u05DC\u05DD"_s);
    const QString emoji = u"hi \U0001F600 there"_s;
    // A selection ending inside the surrogate pair takes the whole emoji.
    const auto [first, last] = snapToGraphemes(emoji, 3, 4);
    EXPECT_EQ(first, 3);
    EXPECT_EQ(last, 5);
}

TEST(SnapToWordsTest, GraphemesKeepACombiningMarkWithItsLetter)
{
    const QString text = u"e\u0301t\u00E9"_s;
    const auto [first, last] = snapToGraphemes(text, 0, 1);
    EXPECT_EQ(first, 0);
    EXPECT_EQ(last, 2);
}

// ---- spans on the document --------------------------------------------------------------------

class SpanDocumentTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        auto store = ProjectStore::create(m_dir.path());
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
        auto spans = m_store->addTask(u"entities"_s, TaskType::Spans, {u"person"_s, u"place"_s});
        ASSERT_TRUE(spans);
        m_task = *spans;
        Item item;
        item.kind = ItemKind::Text;
        item.text = m_text;
        item.hash = "sha1:text";
        auto added = m_store->addItems({item});
        ASSERT_TRUE(added);
        m_item = added->addedIds.constFirst();
        auto annotator = m_store->annotatorId(u"ada"_s);
        ASSERT_TRUE(annotator);
        m_annotator = *annotator;
        auto document = ItemDocument::load(*m_store, m_item, m_task.id, m_annotator);
        ASSERT_TRUE(succeeds(document));
        m_doc = std::move(document).value();
    }

    QList<Span> storedSpans()
    {
        auto other = ProjectStore::open(m_dir.path());
        EXPECT_TRUE(other);
        QList<Span> spans;
        for (const Annotation &a : (*other)->annotations(m_item, m_task.id)) {
            if (a.provenance.state != LabelState::Rejected)
                spans.append(std::get<Span>(a.shape));
        }
        return spans;
    }

    // "😀 Zoë in Tel Aviv": the emoji is two UTF-16 units, "ë" a letter and a combining mark.
    const QString m_text = u"\U0001F600 Zoe\u0308 in \u05EA\u05DC \u05D0\u05D1\u05D9\u05D1"_s;
    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    std::unique_ptr<ItemDocument> m_doc;
    LabelTask m_task;
    qint64 m_item = 0;
    qint64 m_annotator = 0;
};

TEST_F(SpanDocumentTest, AddSpanStoresCodePointsAndUndoes)
{
    const qint64 person = m_task.classes[0].id;
    // "Zoë" is UTF-16 [3, 7) and code points [2, 6).
    auto id = m_doc->addSpan(person, 3, 7);
    ASSERT_TRUE(succeeds(id));
    EXPECT_EQ(storedSpans(), (QList<Span>{Span{2, 6}}));
    m_doc->undoStack()->undo();
    EXPECT_TRUE(storedSpans().isEmpty());
    EXPECT_TRUE(m_doc->annotations().isEmpty());
    m_doc->undoStack()->redo();
    EXPECT_EQ(storedSpans(), (QList<Span>{Span{2, 6}}));
}

TEST_F(SpanDocumentTest, InvalidSpansAreRefusedWithoutAStep)
{
    const qint64 person = m_task.classes[0].id;
    EXPECT_TRUE(failsMentioning(m_doc->addSpan(person, 3, 3), {u"item"_s, u"empty"_s}));
    EXPECT_TRUE(failsMentioning(m_doc->addSpan(person, 3, 400), {u"outside"_s}));
    EXPECT_TRUE(failsMentioning(m_doc->addSpan(person, 1, 5), {u"surrogate pair"_s}));
    // Code points that cut "ë" from its combining mark.
    EXPECT_TRUE(failsMentioning(m_doc->addAnnotation(person, Span{2, 5}), {u"combining"_s}));
    EXPECT_TRUE(failsMentioning(m_doc->addAnnotation(person, Span{4, 99}), {u"outside"_s}));
    EXPECT_EQ(m_doc->undoStack()->count(), 0);
    EXPECT_TRUE(storedSpans().isEmpty());
}

TEST_F(SpanDocumentTest, OverlappingSpansChangeSpanAndClass)
{
    const qint64 person = m_task.classes[0].id;
    const qint64 place = m_task.classes[1].id;
    auto outer = m_doc->addSpan(place, 3, 18);
    auto inner = m_doc->addSpan(person, 3, 7);
    ASSERT_TRUE(succeeds(outer) && succeeds(inner));
    EXPECT_EQ(storedSpans().size(), 2);

    // Two moves of the same end with one merge key are one step.
    ASSERT_TRUE(succeeds(m_doc->changeSpan(*inner, 3, 10, 7)));
    ASSERT_TRUE(succeeds(m_doc->changeSpan(*inner, 3, 13, 7)));
    EXPECT_EQ(m_doc->undoStack()->count(), 3);
    EXPECT_EQ(std::get<Span>(m_doc->annotation(*inner)->shape), (Span{2, 12}));
    EXPECT_TRUE(failsMentioning(m_doc->changeSpan(*inner, 13, 13), {u"empty"_s}));

    ASSERT_TRUE(succeeds(m_doc->changeClass({*inner}, place)));
    EXPECT_EQ(m_doc->annotation(*inner)->classId, place);
    m_doc->undoStack()->undo();
    EXPECT_EQ(m_doc->annotation(*inner)->classId, person);
    m_doc->undoStack()->undo();
    EXPECT_EQ(std::get<Span>(m_doc->annotation(*inner)->shape), (Span{2, 6}));
    m_doc->undoStack()->redo();
    EXPECT_EQ(std::get<Span>(m_doc->annotation(*inner)->shape), (Span{2, 12}));
}

TEST_F(SpanDocumentTest, MachineSpansAreAcceptedRejectedAndEdited)
{
    const qint64 person = m_task.classes[0].id;
    Annotation machine;
    machine.itemId = m_item;
    machine.taskId = m_task.id;
    machine.classId = person;
    machine.shape = Span{2, 6};
    machine.provenance.state = LabelState::Machine;
    machine.provenance.confidence = 0.7;
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        auto id = m_store->addAnnotation(machine);
        ASSERT_TRUE(succeeds(id));
        ids.append(*id);
    }
    auto document = ItemDocument::load(*m_store, m_item, m_task.id, m_annotator);
    ASSERT_TRUE(succeeds(document));
    m_doc = std::move(document).value();
    ASSERT_TRUE(succeeds(m_doc->accept({ids[0]})));
    ASSERT_TRUE(succeeds(m_doc->deleteAnnotations({ids[1]})));
    ASSERT_TRUE(succeeds(m_doc->changeSpan(ids[2], 3, 10)));
    EXPECT_EQ(m_doc->annotation(ids[0])->provenance.state, LabelState::MachineAccepted);
    EXPECT_EQ(m_doc->annotation(ids[1])->provenance.state, LabelState::Rejected);
    EXPECT_EQ(m_doc->annotation(ids[2])->provenance.state, LabelState::MachineEdited);
    EXPECT_EQ(m_doc->liveAnnotations().size(), 2);
    m_doc->undoStack()->undo();
    m_doc->undoStack()->undo();
    EXPECT_EQ(m_doc->annotation(ids[1])->provenance.state, LabelState::Machine);
    EXPECT_EQ(m_doc->annotation(ids[2])->provenance.state, LabelState::Machine);
}

} // namespace
} // namespace fieldmark
