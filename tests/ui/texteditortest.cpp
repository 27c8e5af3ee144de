// The text editors in the main window: spans made with the mouse and with the keyboard,
// overlapping spans, changing a span's class, dragging its end, deleting, undo and redo,
// reviewing machine spans, reopening the project; document classes by key (single-label moves
// on, multi-label toggles); find in the text; and screenshots. Real widgets, QTest events,
// offscreen.
#include "uitestutil.h"

#include "ui/browser/itembrowser.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/editorcontroller.h"
#include "ui/labels/labelpanel.h"
#include "ui/mainwindow.h"
#include "ui/tasks/taskpanel.h"
#include "ui/text/spantextview.h"
#include "ui/text/texteditor.h"

#include "core/document/itemdocument.h"
#include "core/model/textoffsetindex.h"
#include "core/store/projectstore.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPalette>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTreeWidget>
#include <QUndoStack>

#include <gtest/gtest.h>

using namespace fieldmark;
using namespace Qt::StringLiterals;

namespace {

// Item 0: plain English; item 1: emoji, a combining mark and Hebrew; item 2: with machine
// spans awaiting review; item 3: with "\r\n" and "\r" line ends.
const QStringList kTexts = {
    u"Ada Lovelace met Charles Babbage, in London.\nShe wrote the first program."_s,
    u"\U0001F600 Zoe\u0308 flew from \u05EA\u05DC \u05D0\u05D1\u05D9\u05D1 to Paris."_s,
    u"Grace Hopper worked at Harvard University in Cambridge with Howard Aiken."_s,
    u"Line one\r\nthen Paris\rand Rome"_s, // Windows and old Mac line ends
};

struct TextProject
{
    QTemporaryDir root;
    QString projectDir;
    LabelTask entities;
    LabelTask sentiment;
    LabelTask topics;
    QList<qint64> itemIds;

    static std::unique_ptr<TextProject> create()
    {
        auto project = std::make_unique<TextProject>();
        if (!project->root.isValid())
            return nullptr;
        project->projectDir = project->root.filePath(u"project"_s);
        auto store = ProjectStore::create(project->projectDir);
        if (!store)
            return nullptr;
        auto entities =
            (*store)->addTask(u"entities"_s, TaskType::Spans, {u"person"_s, u"place"_s, u"org"_s});
        auto sentiment = (*store)->addTask(u"sentiment"_s, TaskType::TextClassification,
                                           {u"positive"_s, u"negative"_s});
        auto topics = (*store)->addTask(u"topics"_s, TaskType::TextMultiLabel,
                                        {u"science"_s, u"history"_s, u"travel"_s});
        if (!entities || !sentiment || !topics)
            return nullptr;
        project->entities = *entities;
        project->sentiment = *sentiment;
        project->topics = *topics;
        QList<Item> items;
        for (int i = 0; i < kTexts.size(); ++i) {
            Item item;
            item.kind = ItemKind::Text;
            item.text = kTexts[i];
            item.hash = "sha1:text" + QByteArray::number(i);
            item.sourceRef = u"texts.jsonl:%1"_s.arg(i + 1);
            items.append(item);
        }
        auto added = (*store)->addItems(items);
        if (!added || added->addedIds.size() != kTexts.size())
            return nullptr;
        project->itemIds = added->addedIds;
        // Machine spans on item 2: "Grace Hopper" (person, 0.91), "Harvard University" (org,
        // 0.55), "Cambridge" (place, 0.38).
        const auto machine = [&](int classIndex, qint64 start, qint64 end, double confidence) {
            Annotation a;
            a.itemId = project->itemIds[2];
            a.taskId = project->entities.id;
            a.classId = project->entities.classes[classIndex].id;
            a.shape = Span{start, end};
            a.provenance.state = LabelState::Machine;
            a.provenance.confidence = confidence;
            return bool((*store)->addAnnotation(a));
        };
        if (!machine(0, 0, 12, 0.91) || !machine(2, 23, 41, 0.55) || !machine(1, 45, 54, 0.38))
            return nullptr;
        return project;
    }
};

class TextEditorTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        project = TextProject::create();
        ASSERT_TRUE(project);
        openWindow();
    }

    void TearDown() override
    {
        window.reset();
        settings.reset();
        project.reset();
    }

    void openWindow()
    {
        settings =
            std::make_unique<QSettings>(project->root.filePath(u"ui.ini"_s), QSettings::IniFormat);
        window = std::make_unique<MainWindow>(*settings);
        window->resize(1280, 800);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
        window->activateWindow();
        ASSERT_TRUE(QTest::qWaitForWindowActive(window.get()));
        ASSERT_TRUE(window->openProject(project->projectDir));
    }

    void selectTask(const QString &name)
    {
        QComboBox *combo = window->taskPanel()->taskCombo();
        const int index = combo->findText(name);
        ASSERT_GE(index, 0);
        combo->setCurrentIndex(index);
        ASSERT_EQ(window->editor()->task().name, name);
    }

    // Opens an item of the span task with the text view focused and painted.
    void openSpans(int item)
    {
        selectTask(u"entities"_s);
        ASSERT_TRUE(window->browser()->setCurrentItem(project->itemIds[item]));
        auto *centre = qobject_cast<QStackedWidget *>(window->centralWidget());
        ASSERT_EQ(centre->currentWidget(), window->textEditor());
        ASSERT_NE(window->textEditor()->document(), nullptr);
        view()->setFocus();
        paint();
    }

    SpanTextView *view() const { return window->textEditor()->view(); }
    ItemDocument *document() const { return window->editor()->document(); }
    void paint() const { view()->viewport()->repaint(); }

    // The middle of the character at UTF-16 index `index`, in viewport coordinates.
    QPoint at(int index) const
    {
        QTextCursor cursor(view()->document());
        cursor.setPosition(index);
        const QRect left = view()->cursorRect(cursor);
        cursor.setPosition(index + 1);
        const QRect right = view()->cursorRect(cursor);
        return QPoint((left.center().x() + right.center().x()) / 2, left.center().y());
    }

    // The caret position before UTF-16 index `index`: a drag between two of these selects
    // exactly the characters between them.
    QPoint edge(int index) const
    {
        QTextCursor cursor(view()->document());
        cursor.setPosition(index);
        return view()->cursorRect(cursor).center();
    }

    void sendMouse(QEvent::Type type, const QPoint &pos, Qt::MouseButtons buttons)
    {
        QWidget *viewport = view()->viewport();
        QMouseEvent event(type, pos, viewport->mapToGlobal(pos),
                          type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton, buttons,
                          Qt::NoModifier);
        QApplication::sendEvent(viewport, &event);
        QCoreApplication::processEvents();
    }

    // A mouse drag from one point to another, as a person selects or drags an end.
    void drag(const QPoint &from, const QPoint &to)
    {
        sendMouse(QEvent::MouseButtonPress, from, Qt::LeftButton);
        const QPoint middle = (from + to) / 2;
        sendMouse(QEvent::MouseMove, middle, Qt::LeftButton);
        sendMouse(QEvent::MouseMove, to, Qt::LeftButton);
        sendMouse(QEvent::MouseButtonRelease, to, Qt::NoButton);
    }

    void click(const QPoint &pos) { drag(pos, pos); }

    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = {})
    {
        QWidget *focus = QApplication::focusWidget();
        QTest::keyClick(focus && focus->window() == window.get() ? focus : window.get(), key,
                        modifiers);
        QCoreApplication::processEvents();
    }

    // The live spans stored for an item, as (class name, text) in text order.
    QList<std::pair<QString, QString>> storedSpans(int item) const
    {
        QList<std::pair<qint64, std::pair<QString, QString>>> spans;
        const qint64 id = project->itemIds[item];
        for (const Annotation &a : window->store()->annotations(id, project->entities.id)) {
            if (a.provenance.state == LabelState::Rejected)
                continue;
            const Span span = std::get<Span>(a.shape);
            const auto [start, end] = TextOffsetIndex(kTexts[item]).spanToUtf16(span);
            const QString text = kTexts[item].mid(start, end - start);
            spans.append({span.start, {project->entities.classById(a.classId)->name, text}});
        }
        std::sort(spans.begin(), spans.end(), [](const auto &a, const auto &b) {
            return a.first != b.first ? a.first < b.first : a.second < b.second;
        });
        QList<std::pair<QString, QString>> result;
        for (const auto &s : spans)
            result.append(s.second);
        return result;
    }

    std::unique_ptr<TextProject> project;
    std::unique_ptr<QSettings> settings;
    std::unique_ptr<MainWindow> window;
};

using Spans = QList<std::pair<QString, QString>>;

TEST_F(TextEditorTest, TextItemsOpenInTheTextEditor)
{
    openSpans(0);
    EXPECT_EQ(view()->toPlainText(), kTexts[0]);
    EXPECT_TRUE(view()->isReadOnly());
    EXPECT_TRUE(view()->showsSpans());
    // The monospace switch changes the font, and back.
    const QFont proportional = view()->font();
    window->textEditor()->monospaceAction()->setChecked(true);
    EXPECT_EQ(view()->font().family(),
              QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
    EXPECT_EQ(view()->font().pointSizeF(), proportional.pointSizeF());
    window->textEditor()->monospaceAction()->setChecked(false);
    EXPECT_EQ(view()->font(), proportional);
    // The switches are kept in the settings.
    window->textEditor()->characterPrecisionAction()->setChecked(true);
    EXPECT_TRUE(settings->value(u"text/characterPrecision"_s).toBool());
    EXPECT_TRUE(window->textEditor()->findEdit()->parentWidget()->isHidden());
    // "Nothing to label" reads as "no entities" on a span task.
    EXPECT_TRUE(window->labelPanel()->skipReasonEdit()->placeholderText().contains(u"Enter"_s));
}

TEST_F(TextEditorTest, DoubleClickAWordAndLabelItWithAKey)
{
    openSpans(0);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(8)); // in "Lovelace"
    ASSERT_TRUE(view()->textCursor().hasSelection());
    press(Qt::Key_1);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Lovelace"_s}}));
    // The new span is selected, in the text and in the side list.
    ASSERT_EQ(document()->selection().size(), 1);
    QTreeWidget *list = window->labelPanel()->annotationList();
    ASSERT_EQ(list->topLevelItemCount(), 1);
    EXPECT_TRUE(list->topLevelItem(0)->isSelected());
    EXPECT_EQ(list->topLevelItem(0)->text(LabelPanel::ShapeColumn), u"\u201CLovelace\u201D"_s);
}

TEST_F(TextEditorTest, ASloppyMouseSelectionSnapsToWholeWords)
{
    openSpans(0);
    // From inside "Charles" to inside "Babbage": both words, whole.
    drag(at(19), at(28));
    ASSERT_TRUE(view()->textCursor().hasSelection());
    press(Qt::Key_1);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Charles Babbage"_s}}));

    // With character precision the selection is taken as it is.
    window->textEditor()->characterPrecisionAction()->setChecked(true);
    drag(edge(37), edge(40)); // "Lon" of "London"
    press(Qt::Key_2);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Charles Babbage"_s}, {u"place"_s, u"Lon"_s}}));
}

TEST_F(TextEditorTest, LabelWithTheKeyboardOnly)
{
    openSpans(0);
    // Ctrl+Home, then word by word to "Charles", then select two words with Ctrl+Shift+Right.
    press(Qt::Key_Home, Qt::ControlModifier);
    for (int i = 0; i < 3; ++i)
        press(Qt::Key_Right, Qt::ControlModifier);
    EXPECT_EQ(view()->textCursor().position(), 17);
    EXPECT_EQ(window->browser()->currentItemId(), project->itemIds[0]); // arrows stay in text
    press(Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier);
    press(Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier);
    ASSERT_TRUE(view()->textCursor().hasSelection());
    press(Qt::Key_1);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Charles Babbage"_s}}));
    // Tab walks the spans; Escape clears the selection.
    press(Qt::Key_Escape);
    EXPECT_TRUE(document()->selection().isEmpty());
    press(Qt::Key_Tab);
    EXPECT_EQ(document()->selection().size(), 1);
}

TEST_F(TextEditorTest, OverlappingSpansClassChangeDeleteUndoRedo)
{
    openSpans(0);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(39)); // "London"
    press(Qt::Key_2);
    drag(at(34), at(41)); // from "in" into "London": "in London", around it
    press(Qt::Key_3);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}, {u"place"_s, u"London"_s}}));
    paint();
    // Nested spans get their own bars, one under the other.
    qint64 outer = 0, inner = 0;
    for (const Annotation &a : document()->liveAnnotations())
        (std::get<Span>(a.shape).start == 34 ? outer : inner) = a.id;
    const QRect outerBar = view()->spanBarRect(outer);
    const QRect innerBar = view()->spanBarRect(inner);
    ASSERT_FALSE(outerBar.isEmpty());
    ASSERT_FALSE(innerBar.isEmpty());
    EXPECT_GT(innerBar.top(), outerBar.top());

    // The side list and the text select together, both ways.
    QTreeWidget *list = window->labelPanel()->annotationList();
    ASSERT_EQ(list->topLevelItemCount(), 2);
    for (int row = 0; row < 2; ++row) {
        QTreeWidgetItem *item = list->topLevelItem(row);
        if (item->text(LabelPanel::ShapeColumn) == u"\u201Cin London\u201D"_s)
            list->setCurrentItem(item);
    }
    EXPECT_EQ(document()->selection(), QSet<qint64>{outer});

    // A click on the inner bar selects it; a class key changes its class.
    click(innerBar.center());
    EXPECT_EQ(document()->selection(), QSet<qint64>{inner});
    ASSERT_EQ(list->selectedItems().size(), 1);
    EXPECT_EQ(list->selectedItems()[0]->text(LabelPanel::ShapeColumn), u"\u201CLondon\u201D"_s);
    press(Qt::Key_1);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}, {u"person"_s, u"London"_s}}));
    // A click on the characters selects the innermost span there.
    paint();
    // (Later than a double click's interval, or the text takes it for a triple click.)
    QTest::qWait(QApplication::doubleClickInterval() + 50);
    click(at(38));
    EXPECT_EQ(document()->selection(), QSet<qint64>{inner});
    press(Qt::Key_Delete);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}}));
    press(Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}, {u"person"_s, u"London"_s}}));
    press(Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}, {u"place"_s, u"London"_s}}));
    press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    press(Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"in London"_s}}));
}

TEST_F(TextEditorTest, DragTheEndOfASelectedSpan)
{
    openSpans(0);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(20)); // "Charles"
    press(Qt::Key_1);
    ASSERT_EQ(document()->selection().size(), 1);
    paint();
    const qint64 id = *document()->selection().cbegin();
    const QRect text = view()->spanTextRect(id);
    ASSERT_FALSE(text.isEmpty());
    // The end handle, dragged into "Babbage": the span snaps to the whole word.
    drag(QPoint(text.right(), text.center().y()), at(28));
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Charles Babbage"_s}}));
    EXPECT_EQ(document()->undoStack()->count(), 2); // one step for the drag
    press(Qt::Key_Z, Qt::ControlModifier);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Charles"_s}}));
}

TEST_F(TextEditorTest, OffsetsAreCodePointsWithEmojiCombiningMarksAndHebrew)
{
    openSpans(1);
    // "Zoë" is UTF-16 [3, 7) after the emoji; "אביב" is UTF-16 [21, 25).
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(4));
    press(Qt::Key_1);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(22));
    press(Qt::Key_2);
    const QList<Annotation> stored =
        window->store()->annotations(project->itemIds[1], project->entities.id);
    ASSERT_EQ(stored.size(), 2);
    EXPECT_EQ(std::get<Span>(stored[0].shape), (Span{2, 6}));
    EXPECT_EQ(std::get<Span>(stored[1].shape), (Span{20, 24}));
    EXPECT_EQ(storedSpans(1),
              (Spans{{u"person"_s, u"Zoe\u0308"_s}, {u"place"_s, u"\u05D0\u05D1\u05D9\u05D1"_s}}));
}

TEST_F(TextEditorTest, LineEndsKeepPositionsOneForOne)
{
    openSpans(3);
    // One position in the view is one position in the item's text, whatever the line ends.
    EXPECT_EQ(view()->document()->characterCount() - 1, kTexts[3].size());
    EXPECT_EQ(view()->document()->blockCount(), 3);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(17)); // "Paris"
    press(Qt::Key_2);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(27)); // "Rome"
    press(Qt::Key_2);
    EXPECT_EQ(storedSpans(3), (Spans{{u"place"_s, u"Paris"_s}, {u"place"_s, u"Rome"_s}}));
}

TEST_F(TextEditorTest, MachineSpansAreReviewedWithTheImageKeys)
{
    openSpans(2);
    EXPECT_EQ(document()->awaitingReview().size(), 3);
    // Enter accepts the least sure (Cambridge, 38%) and selects the next one.
    press(Qt::Key_Return);
    const qint64 item = project->itemIds[2];
    QHash<QString, LabelState> states;
    const auto readStates = [&] {
        states.clear();
        for (const Annotation &a : window->store()->annotations(item, project->entities.id))
            states.insert(project->entities.classById(a.classId)->name, a.provenance.state);
    };
    readStates();
    EXPECT_EQ(states.value(u"place"_s), LabelState::MachineAccepted);
    EXPECT_EQ(states.value(u"org"_s), LabelState::Machine);
    // X rejects the selected one (Harvard University, 55%).
    press(Qt::Key_X);
    readStates();
    EXPECT_EQ(states.value(u"org"_s), LabelState::Rejected);
    // Dragging a proposal's end is an edit: machine-edited ("Grace Hopper" to "Grace").
    paint();
    const qint64 grace = document()->awaitingReview().constFirst();
    document()->setSelection({grace});
    paint();
    const QRect text = view()->spanTextRect(grace);
    drag(QPoint(text.right(), text.center().y()), at(3));
    readStates();
    EXPECT_EQ(states.value(u"person"_s), LabelState::MachineEdited);
    EXPECT_EQ(storedSpans(2), (Spans{{u"person"_s, u"Grace"_s}, {u"place"_s, u"Cambridge"_s}}));
}

TEST_F(TextEditorTest, FindInTheTextThenLabelWhatWasFound)
{
    openSpans(0);
    press(Qt::Key_F, Qt::ControlModifier);
    QLineEdit *find = window->textEditor()->findEdit();
    ASSERT_TRUE(find->isVisible());
    EXPECT_TRUE(find->hasFocus());
    QTest::keyClicks(find, u"program"_s);
    EXPECT_EQ(view()->textCursor().selectedText(), u"program"_s);
    press(Qt::Key_Escape);
    EXPECT_FALSE(find->isVisible());
    EXPECT_TRUE(view()->hasFocus());
    press(Qt::Key_3);
    EXPECT_EQ(storedSpans(0), (Spans{{u"org"_s, u"program"_s}}));
}

TEST_F(TextEditorTest, NoEntitiesMarksTheTextAndSurvivesReopening)
{
    openSpans(0);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(1)); // "Ada"
    press(Qt::Key_1);
    ASSERT_TRUE(window->browser()->setCurrentItem(project->itemIds[1]));
    press(Qt::Key_K, Qt::ControlModifier);
    QTest::keyClick(window->labelPanel()->skipReasonEdit(), Qt::Key_Return);
    EXPECT_FALSE(window->store()->skipReason(project->itemIds[1], project->entities.id).isEmpty());
    ASSERT_TRUE(window->close());
    window.reset();

    openWindow();
    openSpans(0);
    EXPECT_EQ(storedSpans(0), (Spans{{u"person"_s, u"Ada"_s}}));
    ASSERT_EQ(document()->liveAnnotations().size(), 1);
    EXPECT_FALSE(view()->spanTextRect(document()->liveAnnotations()[0].id).isEmpty());
    EXPECT_EQ(window->itemModel()->labelState(1), ItemLabelState::Skipped);
}

TEST_F(TextEditorTest, DocumentClassByKeyMovesOn)
{
    selectTask(u"sentiment"_s);
    window->editor()->setAdvanceAfterLabeling(true);
    ASSERT_TRUE(window->browser()->setCurrentItem(project->itemIds[0]));
    view()->setFocus();
    ASSERT_EQ(qobject_cast<QStackedWidget *>(window->centralWidget())->currentWidget(),
              window->textEditor());
    EXPECT_FALSE(view()->showsSpans());
    press(Qt::Key_2);
    EXPECT_EQ(window->browser()->currentItemId(), project->itemIds[1]);
    const QList<Annotation> labels =
        window->store()->annotations(project->itemIds[0], project->sentiment.id);
    ASSERT_EQ(labels.size(), 1);
    EXPECT_EQ(labels[0].classId, project->sentiment.classes[1].id);
    EXPECT_TRUE(std::holds_alternative<ClassTag>(labels[0].shape));
    // Back on it, the banner names its class.
    press(Qt::Key_A);
    EXPECT_TRUE(window->textEditor()->classBanner()->text().contains(u"negative"_s));
}

TEST_F(TextEditorTest, MultiLabelKeysToggle)
{
    selectTask(u"topics"_s);
    ASSERT_TRUE(window->browser()->setCurrentItem(project->itemIds[0]));
    view()->setFocus();
    press(Qt::Key_1);
    press(Qt::Key_2);
    EXPECT_EQ(window->browser()->currentItemId(), project->itemIds[0]);
    const auto classes = [&] {
        QList<qint64> ids;
        for (const Annotation &a :
             window->store()->annotations(project->itemIds[0], project->topics.id))
            ids.append(a.classId);
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    EXPECT_EQ(classes(),
              (QList<qint64>{project->topics.classes[0].id, project->topics.classes[1].id}));
    press(Qt::Key_1);
    EXPECT_EQ(classes(), QList<qint64>{project->topics.classes[1].id});
    EXPECT_TRUE(window->textEditor()->classBanner()->text().contains(u"history"_s));
}

TEST_F(TextEditorTest, Screenshots)
{
    // Item 2: machine spans awaiting review, plus a person's spans that nest and overlap.
    openSpans(2);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(25)); // "Harvard"
    press(Qt::Key_2);
    drag(at(59), at(72)); // "Howard Aiken"
    press(Qt::Key_1);
    QTest::mouseDClick(view()->viewport(), Qt::LeftButton, {}, at(69)); // "Aiken"
    press(Qt::Key_3);
    document()->setSelection({document()->awaitingReview().constFirst()});
    QTest::qWait(100);
    ASSERT_TRUE(window->grab().toImage().save(test::screenshotPath(u"text-spans.png"_s)));
    ASSERT_TRUE(window->textEditor()->grab().toImage().save(
        test::screenshotPath(u"text-spans-editor.png"_s)));
    {
        // The same in a dark palette: the bars and tags must stay readable.
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(45, 45, 48));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(30, 30, 32));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(45, 45, 48));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(42, 130, 218));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        QApplication::setPalette(dark);
        QTest::qWait(100);
        const bool saved = window->textEditor()->grab().toImage().save(
            test::screenshotPath(u"text-spans-editor-dark.png"_s));
        QApplication::setPalette(original);
        ASSERT_TRUE(saved);
    }

    selectTask(u"sentiment"_s);
    window->editor()->setAdvanceAfterLabeling(false);
    ASSERT_TRUE(window->browser()->setCurrentItem(project->itemIds[0]));
    view()->setFocus();
    press(Qt::Key_1);
    QTest::qWait(100);
    ASSERT_TRUE(window->grab().toImage().save(test::screenshotPath(u"text-classification.png"_s)));
}

} // namespace
