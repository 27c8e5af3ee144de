// The export pipeline: plan (labels, split, media) and run (copies, links, cancel).
#include "core/formats/exporter.h"
#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"
#include "tests/core/resultassertions.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;

namespace fieldmark {
namespace {

using test::failsMentioning;
using test::str;
using test::succeeds;

class ExporterTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_store = makeProject(u"project"_s);
        ASSERT_TRUE(m_store);
    }

    // A boxes project over `count` images; real files when `files` is set (in two folders,
    // so names collide), otherwise paths and hashes only.
    std::unique_ptr<ProjectStore> makeProject(const QString &name, int count = 3,
                                              bool files = false, bool reversed = false)
    {
        auto store = ProjectStore::create(m_dir.filePath(name));
        if (!store)
            return nullptr;
        auto task = (*store)->addTask(u"objects"_s, TaskType::Boxes, {u"person"_s, u"car"_s});
        if (!task)
            return nullptr;
        m_task = *task;
        QList<Item> items;
        for (int i = 0; i < count; ++i) {
            Item item;
            item.path = m_dir.filePath(u"media/%1/img.png"_s.arg(i));
            item.hash = "sha1:" + QByteArray::number(i);
            item.width = 100;
            item.height = 80;
            if (files) {
                QDir().mkpath(QFileInfo(item.path).absolutePath());
                QImage image(100, 80, QImage::Format_RGB32);
                image.fill(QColor(i * 40, 0, 0));
                if (!image.save(item.path))
                    return nullptr;
                item.fileSize = QFileInfo(item.path).size();
            }
            items.append(item);
        }
        if (reversed)
            std::reverse(items.begin(), items.end());
        auto added = (*store)->addItems(items);
        if (!added)
            return nullptr;
        for (qint64 id : added->addedIds) {
            Annotation a;
            a.itemId = id;
            a.taskId = m_task.id;
            a.classId = m_task.classes[1].id;
            a.shape = Box{10, 10, 20, 30};
            if (!(*store)->addAnnotation(a))
                return nullptr;
        }
        return std::move(store).value();
    }

    const Format &format(const QString &name)
    {
        const Format *f = m_registry.find(name);
        EXPECT_NE(f, nullptr) << str(name);
        return *f;
    }

    static QSet<QByteArray> hashes(const ExportSubset &subset)
    {
        QSet<QByteArray> result;
        for (const ExportItem &e : subset.data.items)
            result.insert(e.item.hash);
        return result;
    }

    QTemporaryDir m_dir;
    FormatRegistry m_registry = FormatRegistry::builtIn();
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
};

TEST_F(ExporterTest, SplitSizesAreExactAndDependOnlyOnSeedAndContent)
{
    auto forward = makeProject(u"forward"_s, 20);
    auto backward = makeProject(u"backward"_s, 20, false, true);
    ASSERT_TRUE(forward && backward);
    ExportOptions options;
    options.taskId = m_task.id;
    options.validationShare = 0.2;
    options.testShare = 0.1;
    options.seed = 7;
    const QString out = m_dir.filePath(u"out/coco.json"_s);
    auto a = planExport(*forward, format(u"coco"_s), out, options);
    auto b = planExport(*backward, format(u"coco"_s), out, options);
    ASSERT_TRUE(succeeds(a));
    ASSERT_TRUE(succeeds(b));
    ASSERT_EQ(a->subsets.size(), 3);
    EXPECT_EQ(a->subsets[0].name, u"train"_s);
    EXPECT_EQ(a->subsets[0].data.items.size(), 14);
    EXPECT_EQ(a->subsets[1].data.items.size(), 4);
    EXPECT_EQ(a->subsets[2].data.items.size(), 2);
    EXPECT_EQ(a->subsets[1].path, m_dir.filePath(u"out/coco_val.json"_s));
    for (int s = 0; s < 3; ++s)
        EXPECT_EQ(hashes(a->subsets[s]), hashes(b->subsets[s])) << s;

    options.seed = 8;
    auto c = planExport(*forward, format(u"coco"_s), out, options);
    ASSERT_TRUE(c);
    EXPECT_NE(hashes(a->subsets[1]), hashes(c->subsets[1]));
}

TEST_F(ExporterTest, SplitExportWritesEverySubsetAndAllItemsReadBack)
{
    auto store = makeProject(u"split"_s, 10);
    ASSERT_TRUE(store);
    ExportOptions options;
    options.taskId = m_task.id;
    options.validationShare = 0.3;
    auto plan = planExport(*store, format(u"yolo"_s), m_dir.filePath(u"yolo"_s), options);
    ASSERT_TRUE(succeeds(plan));
    ASSERT_EQ(plan->subsets.size(), 2); // no test share: no empty test set
    auto done = runExport(*plan);
    ASSERT_TRUE(succeeds(done));
    EXPECT_EQ(done->items, 10);
    EXPECT_EQ(done->annotations, 10);
    EXPECT_EQ(done->written,
              (QStringList{m_dir.filePath(u"yolo/train"_s), m_dir.filePath(u"yolo/val"_s)}));
    EXPECT_TRUE(QFileInfo::exists(m_dir.filePath(u"yolo/val/classes.txt"_s)));
    EXPECT_EQ(QDir(m_dir.filePath(u"yolo/val/labels"_s)).entryList(QDir::Files).size(), 3);
}

TEST_F(ExporterTest, CopiedImagesGetUniqueNamesAndTheExportPointsAtThem)
{
    auto store = makeProject(u"copy"_s, 3, true);
    ASSERT_TRUE(store);
    ExportOptions options;
    options.taskId = m_task.id;
    options.media = ExportMedia::Copy;
    const QString out = m_dir.filePath(u"copy-out/train.json"_s);
    auto plan = planExport(*store, format(u"coco"_s), out, options);
    ASSERT_TRUE(succeeds(plan));
    auto done = runExport(*plan);
    ASSERT_TRUE(succeeds(done));
    EXPECT_EQ(done->mediaFiles, 3);
    const QStringList copies =
        QDir(m_dir.filePath(u"copy-out/images"_s)).entryList(QDir::Files, QDir::Name);
    EXPECT_EQ(copies.size(), 3); // three "img.png" from three folders, none overwritten

    auto read = format(u"coco"_s).read(out);
    ASSERT_TRUE(succeeds(read));
    ASSERT_EQ(read->items.size(), 3);
    for (const ImportedItem &item : read->items) {
        EXPECT_TRUE(item.path.startsWith(m_dir.filePath(u"copy-out/images/"_s))) << str(item.path);
        EXPECT_TRUE(QFileInfo::exists(item.path)) << str(item.path);
    }
    EXPECT_TRUE(plan->notes.isEmpty()); // copies lie inside the export
    // The originals stay where they were.
    EXPECT_TRUE(QFileInfo::exists(m_dir.filePath(u"media/0/img.png"_s)));
}

TEST_F(ExporterTest, LinkedImagesAreSymbolicLinksToTheOriginals)
{
    auto store = makeProject(u"link"_s, 2, true);
    ASSERT_TRUE(store);
    ExportOptions options;
    options.taskId = m_task.id;
    options.media = ExportMedia::Link;
    auto plan = planExport(*store, format(u"yolo"_s), m_dir.filePath(u"linked"_s), options);
    ASSERT_TRUE(succeeds(plan));
    ASSERT_TRUE(succeeds(runExport(*plan)));
    const QFileInfoList links =
        QDir(m_dir.filePath(u"linked/images"_s)).entryInfoList(QDir::Files | QDir::System);
    ASSERT_EQ(links.size(), 2);
    for (const QFileInfo &link : links) {
        EXPECT_TRUE(link.isSymLink()) << str(link.filePath());
        EXPECT_TRUE(link.symLinkTarget().startsWith(m_dir.filePath(u"media/"_s)));
    }
}

TEST_F(ExporterTest, CancelRemovesWhatTheExportCreated)
{
    auto store = makeProject(u"cancel"_s, 6, true);
    ASSERT_TRUE(store);
    ExportOptions options;
    options.taskId = m_task.id;
    options.media = ExportMedia::Copy;
    options.validationShare = 0.5;
    const QString out = m_dir.filePath(u"cancelled"_s);
    auto plan = planExport(*store, format(u"yolo"_s), out, options);
    ASSERT_TRUE(plan);
    int calls = 0;
    // Stop once the first subset is written and the second has begun.
    auto done = runExport(*plan, Progress([&](qint64 done, qint64) {
        ++calls;
        return done < 8;
    }));
    ASSERT_FALSE(done);
    EXPECT_TRUE(isFormatCancelled(done.error()));
    EXPECT_GT(calls, 3);
    EXPECT_FALSE(QFileInfo::exists(out));
}

TEST_F(ExporterTest, BadChoicesAreRefusedBeforeAnythingIsWritten)
{
    ExportOptions options;
    options.taskId = m_task.id;
    options.validationShare = 0.6;
    options.testShare = 0.4;
    const QString out = m_dir.filePath(u"bad.json"_s);
    EXPECT_TRUE(failsMentioning(planExport(*m_store, format(u"coco"_s), out, options),
                                {u"nothing for training"_s}));
    options.validationShare = 1.5;
    EXPECT_TRUE(
        failsMentioning(planExport(*m_store, format(u"coco"_s), out, options), {u"[0, 1)"_s}));
    options = {};
    options.taskId = m_task.id;
    EXPECT_TRUE(failsMentioning(planExport(*m_store, format(u"coco"_s), {}, options),
                                {u"no output file"_s}));
    auto texts = m_store->addTask(u"mood"_s, TaskType::TextClassification, {u"happy"_s});
    ASSERT_TRUE(texts);
    options.taskId = texts->id;
    EXPECT_TRUE(failsMentioning(planExport(*m_store, format(u"coco"_s), out, options),
                                {u"cannot carry"_s, u"mood"_s}));
    EXPECT_FALSE(QFileInfo::exists(out));
}

TEST_F(ExporterTest, PlanCarriesTheLossReportAndCounts)
{
    auto masks = m_store->addTask(u"areas"_s, TaskType::Segmentation, {u"road"_s});
    ASSERT_TRUE(masks);
    Annotation polygon;
    polygon.itemId = m_store->itemIds().constFirst();
    polygon.taskId = masks->id;
    polygon.classId = masks->classes[0].id;
    polygon.shape = Polygon{{QPointF(1, 1), QPointF(20, 1), QPointF(10, 15)}};
    ASSERT_TRUE(m_store->addAnnotation(polygon));
    ExportOptions options;
    options.taskId = masks->id;
    auto plan = planExport(*m_store, format(u"coco"_s), m_dir.filePath(u"areas.json"_s), options);
    ASSERT_TRUE(succeeds(plan));
    EXPECT_EQ(plan->itemCount, 3);
    EXPECT_EQ(plan->annotationCount, 1);
    EXPECT_TRUE(plan->loss.isEmpty()) << str(plan->loss.losses.join(u"; "_s));
}

TEST_F(ExporterTest, ImagesLeftOutsideTheExportAreNoted)
{
    ExportOptions options;
    options.taskId = m_task.id;
    auto outside =
        planExport(*m_store, format(u"coco"_s), m_dir.filePath(u"out/a.json"_s), options);
    ASSERT_TRUE(succeeds(outside));
    ASSERT_EQ(outside->notes.size(), 1);
    EXPECT_TRUE(outside->notes[0].startsWith(u"3 of 3 images lie outside"_s))
        << str(outside->notes[0]);
    EXPECT_TRUE(outside->loss.isEmpty()); // a note asks for no confirmation
    auto beside = planExport(*m_store, format(u"coco"_s), m_dir.filePath(u"a.json"_s), options);
    ASSERT_TRUE(beside);
    EXPECT_TRUE(beside->notes.isEmpty());
}

} // namespace
} // namespace fieldmark
