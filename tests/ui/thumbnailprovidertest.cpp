#include "uitestutil.h"

#include "ui/browser/thumbnailprovider.h"

#include <QDir>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

TEST(ThumbnailProviderTest, DecodesInTheBackgroundAndCachesOnDisk)
{
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("wide.png"));
    ASSERT_TRUE(test::makeImage(800, 400, Qt::darkGreen).save(image));
    const QString cache = dir.filePath(QStringLiteral("cache"));
    const QByteArray hash = "sha1:00112233445566778899aabbccddeeff00112233";

    ThumbnailProvider provider;
    provider.setCacheDirectory(cache);
    QSignalSpy ready(&provider, &ThumbnailProvider::thumbnailReady);
    const ThumbnailRequest request{7, image, hash, QFileInfo(image).size()};
    EXPECT_TRUE(provider.thumbnail(request).isNull()); // not on the GUI thread
    EXPECT_TRUE(provider.isPending(7));
    ASSERT_TRUE(ready.wait(10000));
    EXPECT_EQ(ready.at(0).at(0).toLongLong(), 7);
    const QPixmap thumb = provider.thumbnail(request);
    ASSERT_FALSE(thumb.isNull());
    // 800x400 scaled to 128x64, centred on a transparent 128x128 square.
    EXPECT_EQ(thumb.size(),
              QSize(ThumbnailProvider::kThumbnailSize, ThumbnailProvider::kThumbnailSize));
    const QImage pixels = thumb.toImage();
    EXPECT_EQ(pixels.pixelColor(64, 10).alpha(), 0);
    EXPECT_EQ(pixels.pixelColor(64, 64).rgb(), QColor(Qt::darkGreen).rgb());

    const QString onDisk = ThumbnailProvider::diskCachePath(cache, hash);
    EXPECT_TRUE(
        onDisk.endsWith(QStringLiteral("thumbs/00112233445566778899aabbccddeeff00112233.jpg")));
    EXPECT_TRUE(QFileInfo::exists(onDisk));

    // The next session reads the disk cache, even with the original gone... as long as the
    // file is there and the same size; a missing file is reported, not served from cache.
    ASSERT_TRUE(QFile::remove(image));
    const ThumbnailResult missing = ThumbnailProvider::decode(request, cache, 128);
    EXPECT_TRUE(missing.image.isNull());
    EXPECT_TRUE(missing.error.contains(QStringLiteral("missing")));
}

TEST(ThumbnailProviderTest, StaleDiskCacheIsNotUsedForAChangedFile)
{
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("photo.png"));
    ASSERT_TRUE(test::makeImage(300, 300, Qt::red).save(image));
    const QString cache = dir.filePath(QStringLiteral("cache"));
    const QByteArray hash = "sha1:ffeeddccbbaa99887766554433221100ffeeddcc";
    ThumbnailRequest request{1, image, hash, QFileInfo(image).size()};
    ASSERT_FALSE(ThumbnailProvider::decode(request, cache, 64).image.isNull());

    // Same hash on record, different bytes on disk now: decode the file, not the cache.
    ASSERT_TRUE(test::writeBytes(image, QByteArray("not an image at all")));
    const ThumbnailResult result = ThumbnailProvider::decode(request, cache, 64);
    EXPECT_TRUE(result.image.isNull());
    EXPECT_TRUE(result.error.contains(QStringLiteral("photo.png")));
}

TEST(ThumbnailProviderTest, RefusesHashesThatAreNotHex)
{
    EXPECT_TRUE(ThumbnailProvider::diskCachePath(QStringLiteral("/c"), "sha1:../../etc").isEmpty());
    EXPECT_TRUE(ThumbnailProvider::diskCachePath(QStringLiteral("/c"), QByteArray()).isEmpty());
}

} // namespace
