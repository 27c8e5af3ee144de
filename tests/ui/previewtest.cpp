#include "uitestutil.h"

#include "ui/preview/imageloader.h"
#include "ui/preview/itempreview.h"

#include <QDir>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

TEST(ImageLoaderTest, ReportsOnlyTheLatestRequest)
{
    QTemporaryDir dir;
    QStringList paths;
    for (int i = 0; i < 3; ++i) {
        paths.append(dir.filePath(QStringLiteral("%1.png").arg(i)));
        ASSERT_TRUE(
            test::makeImage(1600, 1200, QColor::fromHsv(i * 100, 200, 200)).save(paths.last()));
    }
    ImageLoader loader;
    QSignalSpy loaded(&loader, &ImageLoader::loaded);
    for (int i = 0; i < 3; ++i)
        loader.load(i + 1, paths.at(i), QSize(400, 400));
    ASSERT_TRUE(test::waitUntil([&] { return !loader.isLoading(); }));
    QTest::qWait(100); // anything stale would arrive now
    ASSERT_EQ(loaded.count(), 1);
    EXPECT_EQ(loaded.at(0).at(0).toLongLong(), 3);
    // Decoded at the requested size, not the file's.
    EXPECT_EQ(loaded.at(0).at(1).value<QImage>().size(), QSize(400, 300));
    EXPECT_EQ(loaded.at(0).at(2).toSize(), QSize(1600, 1200));
}

TEST(ImageLoaderTest, SaysWhyAFileCannotBeShown)
{
    QTemporaryDir dir;
    const QString junk = dir.filePath(QStringLiteral("junk.jpg"));
    ASSERT_TRUE(test::writeBytes(junk, QByteArray("definitely not a jpeg")));
    const ImageLoader::Decoded bad = ImageLoader::decode(junk, QSize(100, 100));
    EXPECT_TRUE(bad.image.isNull());
    EXPECT_TRUE(bad.error.contains(QStringLiteral("junk.jpg")));
    const ImageLoader::Decoded missing =
        ImageLoader::decode(dir.filePath(QStringLiteral("nope.png")), QSize(100, 100));
    EXPECT_TRUE(missing.error.contains(QStringLiteral("missing")));
}

TEST(ItemPreviewTest, ShowsTextsAndMessages)
{
    ItemPreview preview;
    EXPECT_EQ(preview.state(), ItemPreview::State::Empty);
    Item text;
    text.id = 5;
    text.kind = ItemKind::Text;
    text.text = QStringLiteral("Line one\nLine two");
    text.sourceRef = QStringLiteral("notes.jsonl:3");
    preview.showItem(text);
    EXPECT_EQ(preview.state(), ItemPreview::State::Text);
    EXPECT_EQ(preview.textView()->toPlainText(), text.text);
    auto *caption = preview.findChild<QLabel *>(QStringLiteral("previewTextCaption"));
    ASSERT_NE(caption, nullptr);
    EXPECT_TRUE(caption->text().contains(QStringLiteral("notes.jsonl:3")));

    preview.showMessage(QStringLiteral("Nothing here"));
    EXPECT_EQ(preview.state(), ItemPreview::State::Empty);
    EXPECT_EQ(preview.message(), QStringLiteral("Nothing here"));
    EXPECT_TRUE(preview.textView()->toPlainText().isEmpty());
}

} // namespace
