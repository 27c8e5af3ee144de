#include "core/formats/exportdata.h"
#include "core/formats/formatregistry.h"
#include "core/store/projectstore.h"

#include <QDir>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

class ExportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        auto store = ProjectStore::create(m_dir.filePath(QStringLiteral("project")));
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
        auto task = m_store->addTask(QStringLiteral("objects"), TaskType::Boxes,
                                     {QStringLiteral("person"), QStringLiteral("car")});
        ASSERT_TRUE(task);
        m_task = *task;
        QList<Item> items;
        for (int i = 0; i < 3; ++i) {
            Item item;
            item.path = m_dir.filePath(QStringLiteral("images/%1.png").arg(i));
            item.hash = "sha1:" + QByteArray::number(i);
            item.width = 100;
            item.height = 80;
            items.append(item);
        }
        auto added = m_store->addItems(items);
        ASSERT_TRUE(added);
        m_items = added->addedIds;
        add(m_items[0], LabelState::Human);
        add(m_items[1], LabelState::Machine, 0.9);
        add(m_items[2], LabelState::MachineAccepted, 0.97);
        add(m_items[2], LabelState::Rejected, 0.6);
    }

    void add(qint64 item, LabelState state, std::optional<double> confidence = {})
    {
        Provenance p;
        p.state = state;
        p.confidence = confidence;
        auto id = m_store->addAnnotation(
            {0, item, m_task.id, m_task.classes[1].id, Box{10, 10, 20, 30}, p, {}});
        ASSERT_TRUE(id) << id.errorString().toStdString();
    }

    qsizetype annotationCount(const ExportData &data) const
    {
        qsizetype n = 0;
        for (const ExportItem &item : data.items)
            n += item.annotations.size();
        return n;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProjectStore> m_store;
    LabelTask m_task;
    QList<qint64> m_items;
};

} // namespace

TEST_F(ExportTest, LabelStatesChooseWhatLeaves)
{
    auto reviewed = collectExportData(*m_store, m_task.id, ExportLabels::Reviewed);
    ASSERT_TRUE(reviewed);
    ASSERT_EQ(reviewed->items.size(), 3); // the image without chosen labels stays, as a negative
    EXPECT_EQ(annotationCount(*reviewed), 2);
    EXPECT_TRUE(reviewed->items[1].annotations.isEmpty());

    auto human = collectExportData(*m_store, m_task.id, ExportLabels::HumanOnly);
    ASSERT_TRUE(human);
    EXPECT_EQ(annotationCount(*human), 1);

    auto all = collectExportData(*m_store, m_task.id, ExportLabels::All);
    ASSERT_TRUE(all);
    EXPECT_EQ(annotationCount(*all), 3); // never the rejected one
}

TEST_F(ExportTest, CocoExportFromTheStoreReadsBack)
{
    const FormatRegistry registry = FormatRegistry::builtIn();
    const Format *coco = registry.find(QStringLiteral("coco"));
    ASSERT_NE(coco, nullptr);
    auto data = collectExportData(*m_store, m_task.id, ExportLabels::All, m_dir.path());
    ASSERT_TRUE(data);
    EXPECT_FALSE(coco->lossReport(*data).isEmpty()); // machine provenance is not kept
    const QString out = m_dir.filePath(QStringLiteral("export.json"));
    ASSERT_TRUE(coco->write(*data, out));

    auto read = coco->read(out);
    ASSERT_TRUE(read) << read.errorString().toStdString();
    EXPECT_EQ(read->classes, (QStringList{QStringLiteral("person"), QStringLiteral("car")}));
    qsizetype boxes = 0;
    for (const ImportedItem &item : read->items) {
        for (const ImportedAnnotation &a : item.annotations) {
            ++boxes;
            EXPECT_EQ(a.className, QStringLiteral("car"));
            EXPECT_EQ(std::get<Box>(a.shape), (Box{10, 10, 20, 30}));
        }
    }
    EXPECT_EQ(boxes, 3);
}
