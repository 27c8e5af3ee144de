#include "core/import/imageprobe.h"
#include "core/import/importer.h"
#include "core/store/projectstore.h"
#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <gtest/gtest.h>

using namespace fieldmark;
using namespace fieldmark::test;

namespace {

QString reasonFor(const ImportSummary &summary, const QString &fileName)
{
    for (const ImportProblem &p : summary.problems) {
        if (p.path.endsWith(fileName))
            return p.reason;
    }
    return {};
}

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (char byte : data) {
        crc ^= uchar(byte);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray be32(quint32 v)
{
    const char bytes[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
    return QByteArray(bytes, 4);
}

// A PNG whose header declares width x height RGB pixels, with a few bytes of image data
// behind it: enough to read the header, far from enough to decode.
QByteArray hugePng(quint32 width, quint32 height)
{
    auto chunk = [](const QByteArray &type, const QByteArray &body) -> QByteArray {
        return be32(quint32(body.size())) + type + body + be32(crc32(type + body));
    };
    const QByteArray ihdr = be32(width) + be32(height) + QByteArray("\x08\x02\x00\x00\x00", 5);
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr) +
           chunk("IDAT", QByteArray(16, '\0')) + chunk("IEND", {});
}

class ImportTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_project.isValid() && m_data.isValid());
        auto store = ProjectStore::create(m_project.path());
        ASSERT_TRUE(store);
        m_store = std::move(store).value();
    }
    QString data(const QString &name) const { return QDir(m_data.path()).filePath(name); }

    QTemporaryDir m_project;
    QTemporaryDir m_data;
    std::unique_ptr<ProjectStore> m_store;
};

} // namespace

TEST_F(ImportTest, ImportsEveryFormatRecursivelyWithSizes)
{
    ASSERT_TRUE(writeImage(data(QStringLiteral("a.png")), 40, 30, 1));
    ASSERT_TRUE(writeImage(data(QStringLiteral("sub/b.jpg")), 41, 31, 2));
    ASSERT_TRUE(writeImage(data(QStringLiteral("sub/deeper/c.bmp")), 42, 32, 3));
    ASSERT_TRUE(writeImage(data(QStringLiteral("d.tif")), 43, 33, 4));
    ASSERT_TRUE(writeImage(data(QStringLiteral("e.webp")), 44, 34, 5));
    ASSERT_TRUE(writeFile(data(QStringLiteral("notes.md")), "not an image"));

    Importer importer(*m_store);
    auto summary = importer.importImages({m_data.path()});
    ASSERT_TRUE(summary) << summary.errorString().toStdString();
    EXPECT_EQ(summary->added, 5);
    EXPECT_TRUE(summary->problems.isEmpty()) << summary->problems.value(0).reason.toStdString();
    EXPECT_EQ(m_store->itemCount(ItemKind::Image), 5);

    QHash<QString, QSize> sizes;
    for (qint64 id : m_store->itemIds()) {
        auto item = m_store->item(id);
        ASSERT_TRUE(item);
        sizes.insert(QFileInfo(item->path).fileName(), QSize(item->width, item->height));
        EXPECT_TRUE(item->hash.startsWith("sha1:"));
        EXPECT_GT(item->fileSize, 0);
    }
    EXPECT_EQ(sizes.value(QStringLiteral("c.bmp")), QSize(42, 32));
    EXPECT_EQ(sizes.value(QStringLiteral("e.webp")), QSize(44, 34));
}

TEST_F(ImportTest, BadFilesAreSkippedWithReasonsAndTheRestImported)
{
    ASSERT_TRUE(writeImage(data(QStringLiteral("good.png")), 20, 20, 1));
    ASSERT_TRUE(writeImage(data(QStringLiteral("full.jpg")), 64, 64, 2));
    ASSERT_TRUE(writeImage(data(QStringLiteral("full.png")), 64, 64, 3));
    ASSERT_TRUE(writeImage(data(QStringLiteral("full.bmp")), 64, 64, 4));
    ASSERT_TRUE(writeImage(data(QStringLiteral("full.webp")), 64, 64, 5));
    ASSERT_TRUE(writeImage(data(QStringLiteral("full.tif")), 64, 64, 6));
    auto truncate = [&](const QString &from, const QString &to, double keep) {
        const QByteArray bytes = readFile(data(from));
        ASSERT_TRUE(writeFile(data(to), bytes.left(qsizetype(bytes.size() * keep))));
        ASSERT_TRUE(QFile::remove(data(from)));
    };
    truncate(QStringLiteral("full.jpg"), QStringLiteral("cut.jpg"), 0.6);
    truncate(QStringLiteral("full.png"), QStringLiteral("cut.png"), 0.6);
    truncate(QStringLiteral("full.bmp"), QStringLiteral("cut.bmp"), 0.6);
    truncate(QStringLiteral("full.webp"), QStringLiteral("cut.webp"), 0.6);
    truncate(QStringLiteral("full.tif"), QStringLiteral("cut.tif"), 0.6);
    ASSERT_TRUE(writeFile(data(QStringLiteral("empty.png")), {}));
    ASSERT_TRUE(writeFile(data(QStringLiteral("noise.jpg")), QByteArray(5000, '\x5a')));
    ASSERT_TRUE(writeFile(data(QStringLiteral("huge.png")), hugePng(100000, 100000)));

    Importer importer(*m_store);
    auto summary = importer.importImages({m_data.path()});
    ASSERT_TRUE(summary) << summary.errorString().toStdString();
    EXPECT_EQ(summary->added, 1);
    EXPECT_EQ(summary->problems.size(), 8);
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("cut.jpg")).contains(QStringLiteral("truncated")));
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("cut.png")).contains(QStringLiteral("truncated")));
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("cut.bmp")).contains(QStringLiteral("truncated")));
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("cut.webp")).contains(QStringLiteral("truncated")));
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("cut.tif")).contains(QStringLiteral("truncated")))
        << reasonFor(*summary, QStringLiteral("cut.tif")).toStdString();
    EXPECT_TRUE(reasonFor(*summary, QStringLiteral("empty.png")).contains(QStringLiteral("empty")));
    EXPECT_FALSE(reasonFor(*summary, QStringLiteral("noise.jpg")).isEmpty());
    const QString huge = reasonFor(*summary, QStringLiteral("huge.png"));
    EXPECT_TRUE(huge.contains(QStringLiteral("100000x100000"))) << huge.toStdString();
    EXPECT_TRUE(huge.contains(QStringLiteral("not decoded")));

    // The skipped files are recorded in the project with their reasons.
    EXPECT_EQ(m_store->importProblems(summary->importId).size(), 8);
}

TEST_F(ImportTest, PixelLimitIsASetting)
{
    ASSERT_TRUE(writeImage(data(QStringLiteral("a.png")), 200, 100, 1));
    EXPECT_FALSE(probeImageFile(data(QStringLiteral("a.png")), 19'999).ok);
    EXPECT_TRUE(probeImageFile(data(QStringLiteral("a.png")), 20'000).ok);
}

TEST_F(ImportTest, DuplicatesAreReportedNotImportedTwice)
{
    ASSERT_TRUE(writeImage(data(QStringLiteral("a.png")), 20, 20, 1));
    ASSERT_TRUE(
        QFile::copy(data(QStringLiteral("a.png")), data(QStringLiteral("copy/a-again.png"))) ||
        (QDir().mkpath(data(QStringLiteral("copy"))) &&
         QFile::copy(data(QStringLiteral("a.png")), data(QStringLiteral("copy/a-again.png")))));
    Importer importer(*m_store);
    auto first = importer.importImages({m_data.path()});
    ASSERT_TRUE(first);
    EXPECT_EQ(first->added, 1);
    ASSERT_EQ(first->duplicates.size(), 1);
    EXPECT_TRUE(first->duplicates[0].path.endsWith(QStringLiteral("copy/a-again.png")));
    EXPECT_TRUE(first->duplicates[0].existingPath.endsWith(QStringLiteral("/a.png")));

    auto again = Importer(*m_store).importImages({m_data.path()});
    ASSERT_TRUE(again);
    EXPECT_EQ(again->added, 0);
    EXPECT_EQ(again->duplicates.size(), 2);
    EXPECT_EQ(m_store->itemCount(), 1);
}

TEST_F(ImportTest, JsonlKeepsOtherKeysAndReportsBadLines)
{
    ASSERT_TRUE(writeFile(data(QStringLiteral("t.jsonl")), "{\"text\": \"first\", \"id\": 7}\n"
                                                           "\n"
                                                           "{\"text\": \"broken\"\n"
                                                           "{\"source\": \"second\"}\n"
                                                           "{\"other\": 1}\n"
                                                           "[1, 2]\n"));
    auto summary = Importer(*m_store).importJsonl(data(QStringLiteral("t.jsonl")));
    ASSERT_TRUE(summary) << summary.errorString().toStdString();
    EXPECT_EQ(summary->added, 2);
    ASSERT_EQ(summary->problems.size(), 3);
    EXPECT_TRUE(summary->problems[0].path.endsWith(QStringLiteral("t.jsonl:3")));
    EXPECT_TRUE(summary->problems[0].reason.contains(QStringLiteral("malformed JSON")));
    EXPECT_TRUE(summary->problems[1].path.endsWith(QStringLiteral("t.jsonl:5")));
    EXPECT_TRUE(summary->problems[2].reason.contains(QStringLiteral("not a JSON object")));
    auto first = m_store->item(m_store->itemIds().front());
    ASSERT_TRUE(first);
    EXPECT_EQ(first->text, QStringLiteral("first"));
    EXPECT_EQ(first->extra.value(QStringLiteral("id")).toInt(), 7);

    // A second run of the same file adds nothing.
    auto again = Importer(*m_store).importJsonl(data(QStringLiteral("t.jsonl")));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->added, 0);
    EXPECT_EQ(again->duplicates.size(), 2);
}

TEST_F(ImportTest, CsvColumnWithQuotedFields)
{
    ASSERT_TRUE(
        writeFile(data(QStringLiteral("t.csv")),
                  "id,text\r\n1,\"hello, world\"\r\n2,\"two\nlines \"\"quoted\"\"\"\r\n3,\r\n"));
    ImportOptions options;
    options.csvColumn = QStringLiteral("text");
    auto summary = Importer(*m_store, options).importCsv(data(QStringLiteral("t.csv")));
    ASSERT_TRUE(summary) << summary.errorString().toStdString();
    EXPECT_EQ(summary->added, 2);
    ASSERT_EQ(summary->problems.size(), 1);
    EXPECT_TRUE(summary->problems[0].path.endsWith(QStringLiteral("t.csv:5")))
        << summary->problems[0].path.toStdString();
    const auto ids = m_store->itemIds();
    EXPECT_EQ(m_store->item(ids[1])->text, QStringLiteral("two\nlines \"quoted\""));

    options.csvColumn = QStringLiteral("body");
    auto missing = Importer(*m_store, options).importCsv(data(QStringLiteral("t.csv")));
    ASSERT_FALSE(missing);
    EXPECT_TRUE(missing.errorString().contains(QStringLiteral("id, text")));
}

TEST_F(ImportTest, GroundTruthManifestResolvesRelativePaths)
{
    ASSERT_TRUE(writeImage(data(QStringLiteral("images/a.png")), 30, 20, 1));
    ASSERT_TRUE(writeFile(data(QStringLiteral("input.manifest")),
                          "{\"source-ref\": \"images/a.png\", \"batch\": \"x\"}\n"
                          "{\"source-ref\": \"s3://bucket/b.png\"}\n"
                          "{\"source-ref\": \"images/missing.png\"}\n"
                          "{\"source\": \"a text item\"}\n"));
    auto summary = Importer(*m_store).importManifest(data(QStringLiteral("input.manifest")));
    ASSERT_TRUE(summary) << summary.errorString().toStdString();
    EXPECT_EQ(summary->added, 2);
    ASSERT_EQ(summary->problems.size(), 2);
    EXPECT_TRUE(summary->problems[0].reason.contains(QStringLiteral("remote")));
    EXPECT_TRUE(summary->problems[1].path.endsWith(QStringLiteral("missing.png")));
    auto image = m_store->item(m_store->itemIds(ItemKind::Image).front());
    ASSERT_TRUE(image);
    EXPECT_EQ(image->width, 30);
    EXPECT_EQ(image->extra.value(QStringLiteral("batch")).toString(), QStringLiteral("x"));
    EXPECT_EQ(image->extra.value(QStringLiteral("source-ref")).toString(),
              QStringLiteral("images/a.png"));
}

TEST_F(ImportTest, TextFilesOnePerItem)
{
    ASSERT_TRUE(writeFile(data(QStringLiteral("a.txt")), "Émile's text"));
    ASSERT_TRUE(writeFile(data(QStringLiteral("sub/b.txt")), "second"));
    ASSERT_TRUE(writeFile(data(QStringLiteral("latin1.txt")), "caf\xe9"));
    ASSERT_TRUE(writeFile(data(QStringLiteral("blank.txt")), "  \n"));
    auto summary = Importer(*m_store).importTextFiles({m_data.path()});
    ASSERT_TRUE(summary);
    EXPECT_EQ(summary->added, 2);
    EXPECT_TRUE(
        reasonFor(*summary, QStringLiteral("latin1.txt")).contains(QStringLiteral("UTF-8")));
    EXPECT_FALSE(reasonFor(*summary, QStringLiteral("blank.txt")).isEmpty());
}

TEST_F(ImportTest, CancelKeepsWhatWasWritten)
{
    for (int i = 0; i < 40; ++i)
        ASSERT_TRUE(
            writeImage(data(QStringLiteral("img%1.png").arg(i, 3, 10, QLatin1Char('0'))), 8, 8, i));
    ImportOptions options;
    options.batchSize = 10;
    Importer importer(*m_store, options);
    importer.setProgress([&](qint64 done, qint64) {
        if (done >= 10)
            importer.cancel();
    });
    auto summary = importer.importImages({m_data.path()});
    ASSERT_TRUE(summary);
    EXPECT_TRUE(summary->cancelled);
    EXPECT_EQ(summary->added, 10);
    EXPECT_EQ(m_store->itemCount(), 10);
}

// A process killed in the middle of an import leaves a sound project holding every batch it
// committed, and a second run completes it.
TEST_F(ImportTest, KilledImportKeepsCommittedBatches)
{
    for (int i = 0; i < 300; ++i)
        ASSERT_TRUE(
            writeImage(data(QStringLiteral("img%1.png").arg(i, 3, 10, QLatin1Char('0'))), 8, 8, i));
    QProcess child;
    child.start(QStringLiteral(FIELDMARK_IMPORT_CHILD),
                {m_project.path(), m_data.path(), QStringLiteral("10"), QStringLiteral("100")});
    ASSERT_TRUE(child.waitForStarted());
    QByteArray output;
    while (!output.contains("done 30\n")) {
        ASSERT_TRUE(child.waitForReadyRead(20000)) << output.toStdString();
        output += child.readAllStandardOutput();
    }
    child.kill();
    child.waitForFinished();

    auto reopened = ProjectStore::open(m_project.path());
    ASSERT_TRUE(reopened) << reopened.errorString().toStdString();
    EXPECT_TRUE((*reopened)->integrityProblems().isEmpty());
    const qint64 kept = (*reopened)->itemCount();
    EXPECT_GE(kept, 30);
    EXPECT_LT(kept, 300);
    EXPECT_EQ(kept % 10, 0) << "a batch was half written";

    auto rerun = Importer(**reopened).importImages({m_data.path()});
    ASSERT_TRUE(rerun);
    EXPECT_EQ(rerun->duplicates.size(), kept);
    EXPECT_EQ((*reopened)->itemCount(), 300);
}

// Two processes importing into one project at once: both finish, nothing is lost.
TEST_F(ImportTest, TwoProcessesImportConcurrently)
{
    for (int i = 0; i < 100; ++i) {
        ASSERT_TRUE(writeImage(data(QStringLiteral("one/%1.png").arg(i)), 8, 8, i));
        ASSERT_TRUE(writeImage(data(QStringLiteral("two/%1.png").arg(i)), 9, 9, i));
    }
    QProcess a, b;
    a.start(QStringLiteral(FIELDMARK_IMPORT_CHILD), {m_project.path(), data(QStringLiteral("one")),
                                                     QStringLiteral("5"), QStringLiteral("2")});
    b.start(QStringLiteral(FIELDMARK_IMPORT_CHILD), {m_project.path(), data(QStringLiteral("two")),
                                                     QStringLiteral("5"), QStringLiteral("2")});
    ASSERT_TRUE(a.waitForFinished(60000) && b.waitForFinished(60000));
    EXPECT_EQ(a.exitCode(), 0) << a.readAllStandardError().toStdString();
    EXPECT_EQ(b.exitCode(), 0) << b.readAllStandardError().toStdString();
    EXPECT_EQ(m_store->itemCount(), 200);
    EXPECT_TRUE(m_store->integrityProblems().isEmpty());
}
