#include "uitestutil.h"

#include "ui/browser/itembrowser.h"
#include "ui/browser/itemlistmodel.h"
#include "ui/browser/thumbnailprovider.h"

#include "core/import/importer.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

#include <iostream>

using namespace fieldmark;

namespace {

// A project of many short texts, imported from JSON Lines.
std::unique_ptr<ProjectStore> makeTextProject(const QTemporaryDir &dir, int count)
{
    QByteArray jsonl;
    for (int i = 0; i < count; ++i)
        jsonl += "{\"text\": \"review number " + QByteArray::number(i) +
                 " says the product is fine\"}\n";
    const QString file = dir.filePath(QStringLiteral("texts.jsonl"));
    if (!test::writeBytes(file, jsonl))
        return nullptr;
    auto store = ProjectStore::create(dir.filePath(QStringLiteral("project")));
    if (!store)
        return nullptr;
    Importer importer(**store);
    auto summary = importer.importJsonl(file);
    if (!summary || summary->added != count)
        return nullptr;
    return std::move(store).value();
}

TEST(ItemListModelTest, LoadsOnlyTheRowsThatAreShown)
{
    QTemporaryDir dir;
    auto store = makeTextProject(dir, 3000);
    ASSERT_TRUE(store);
    ThumbnailProvider thumbnails;
    ItemListModel model(&thumbnails);
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setStore(store.get());
    EXPECT_EQ(model.rowCount(), 3000);
    // Only the id list (the model tester peeks at the first row: one block).
    EXPECT_LE(model.loadedItemCount(), ItemListModel::kBlockSize);

    ItemBrowser browser(&model);
    browser.resize(300, 400);
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    QTest::qWait(100);
    // A screenful of rows, a block at a time; not 3,000 items.
    EXPECT_GT(model.loadedItemCount(), 0);
    EXPECT_LE(model.loadedItemCount(), 2 * ItemListModel::kBlockSize);

    browser.view()->scrollToBottom();
    QTest::qWait(50);
    EXPECT_EQ(model.data(model.index(2999)).toString(),
              QStringLiteral("review number 2999 says the product is fine"));
    EXPECT_LE(model.loadedItemCount(), 4 * ItemListModel::kBlockSize);
}

TEST(ItemListModelTest, DisplayTextToolTipAndFilter)
{
    Item text;
    text.kind = ItemKind::Text;
    text.text = QString(200, QLatin1Char('a')) + QStringLiteral("\nsecond line");
    const QString shown = ItemListModel::displayText(text);
    EXPECT_EQ(shown.size(), ItemListModel::kMaxDisplayChars);
    EXPECT_TRUE(shown.endsWith(QChar(0x2026)));

    Item image;
    image.kind = ItemKind::Image;
    image.path = QStringLiteral("/data/birds/robin.jpg");
    image.width = 640;
    image.height = 480;
    image.fileSize = 2048;
    EXPECT_EQ(ItemListModel::displayText(image), QStringLiteral("robin.jpg"));
    const QString tip = ItemListModel::toolTip(image, QStringLiteral("Cannot decode it"));
    EXPECT_TRUE(tip.contains(QDir::toNativeSeparators(image.path)));
    EXPECT_TRUE(tip.contains(QStringLiteral("640 \u00d7 480")));
    EXPECT_TRUE(tip.contains(QStringLiteral("Cannot decode it")));
}

TEST(ItemListModelTest, RefreshAppendsRowsAndFilterByKind)
{
    auto sample = test::SampleProject::create();
    ASSERT_TRUE(sample);
    auto store = ProjectStore::open(sample->projectDir);
    ASSERT_TRUE(store);
    ItemListModel model(nullptr);
    QAbstractItemModelTester tester(&model,
                                    QAbstractItemModelTester::FailureReportingMode::Warning);
    model.setStore(store->get());
    ASSERT_EQ(model.rowCount(), 4);
    EXPECT_EQ(model.data(model.index(0), ItemListModel::KindRole).toInt(), int(ItemKind::Image));
    EXPECT_EQ(model.rowForItem(model.itemId(3)), 3);
    EXPECT_EQ(model.rowForItem(987654), -1);

    Item note;
    note.kind = ItemKind::Text;
    note.text = QStringLiteral("a text among images");
    note.hash = "sha1:0123456789abcdef0123456789abcdef01234567";
    ASSERT_TRUE((*store)->addItems({note}));

    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh();
    EXPECT_EQ(model.rowCount(), 5);
    EXPECT_EQ(inserted.count(), 1); // appended, not reset: the selection survives
    EXPECT_EQ(reset.count(), 0);

    model.setKindFilter(ItemKind::Text);
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(model.data(model.index(0)).toString(), QStringLiteral("a text among images"));
    model.setKindFilter(ItemKind::Image);
    EXPECT_EQ(model.rowCount(), 4);
    model.setStore(nullptr);
    EXPECT_EQ(model.rowCount(), 0);
}

} // namespace

// 100,000 items: the filters are one query each and the list still loads only what it shows.
TEST(ItemListModelTest, FiltersOneHundredThousandItemsLazily)
{
    QTemporaryDir dir;
    auto created = ProjectStore::create(dir.filePath(QStringLiteral("project")));
    ASSERT_TRUE(created);
    std::unique_ptr<ProjectStore> store = std::move(created).value();
    constexpr int kItems = 100000;
    QList<Item> items;
    items.reserve(kItems);
    for (int i = 0; i < kItems; ++i) {
        Item item;
        item.kind = ItemKind::Text;
        item.text = QStringLiteral("review number %1 says the product is fine").arg(i);
        item.hash = "sha1:" + QByteArray::number(i);
        item.sourceRef = QStringLiteral("texts.jsonl:%1").arg(i + 1);
        items.append(item);
    }
    auto added = store->addItems(items);
    ASSERT_TRUE(added);
    ASSERT_EQ(added->addedIds.size(), kItems);
    auto task = store->addTask(QStringLiteral("sentiment"), TaskType::TextClassification,
                               {QStringLiteral("positive"), QStringLiteral("negative")});
    ASSERT_TRUE(task);
    // Every 10th item labeled by a person, every 25th (of the rest) proposed by the model.
    QList<Annotation> labels;
    for (int i = 0; i < kItems; ++i) {
        const bool human = i % 10 == 0;
        if (!human && i % 25 != 0)
            continue;
        Annotation a;
        a.itemId = added->addedIds.at(i);
        a.taskId = task->id;
        a.classId = task->classes.at(i % 2).id;
        a.shape = ClassTag{};
        a.provenance.state = human ? LabelState::Human : LabelState::Machine;
        if (!human)
            a.provenance.confidence = 0.9;
        labels.append(a);
    }
    ASSERT_TRUE(store->addAnnotations(labels));

    ThumbnailProvider thumbnails;
    ItemListModel model(&thumbnails);
    model.setStore(store.get());
    ItemBrowser browser(&model);
    browser.resize(300, 500);
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    browser.setTask(*task, store->taskStatus(task->id));
    EXPECT_EQ(model.rowCount(), kItems);

    QElapsedTimer timer;
    timer.start();
    browser.setStateFilter(int(ItemLabelState::Human));
    const qint64 humanMs = timer.restart();
    EXPECT_EQ(model.rowCount(), kItems / 10);
    browser.setStateFilter(int(ItemLabelState::AwaitingReview));
    const qint64 awaitingMs = timer.restart();
    // Multiples of 25 that are not multiples of 10: 4,000 - 2,000 (multiples of 50).
    EXPECT_EQ(model.rowCount(), 2000);
    EXPECT_EQ(browser.stateFilter()->currentText(), QStringLiteral("Awaiting review (2,000)"));
    browser.setStateFilter(ItemBrowser::kAllStates);
    browser.searchBox()->setText(QStringLiteral("number 99999 "));
    browser.applySearch();
    const qint64 searchMs = timer.restart();
    ASSERT_EQ(model.rowCount(), 1);
    EXPECT_EQ(browser.currentItemId(), added->addedIds.constLast());
    browser.searchBox()->clear();
    browser.applySearch();
    EXPECT_EQ(model.rowCount(), kItems);
    QTest::qWait(50);
    // Still only a screenful of items in memory, and the last one is still current.
    EXPECT_LE(model.loadedItemCount(), 4 * ItemListModel::kBlockSize);
    EXPECT_EQ(browser.currentItemId(), added->addedIds.constLast());
    std::cout << "[ timing   ] 100,000 items: state filter " << humanMs << " ms, " << awaitingMs
              << " ms; search " << searchMs << " ms\n";
}
