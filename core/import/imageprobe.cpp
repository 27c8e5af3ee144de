#include "imageprobe.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>

#include <cstring>

namespace fieldmark {

namespace {

// Files up to this size are read whole (one read serves the hash and the checks); larger
// ones are hashed in chunks and only their head and tail are kept.
constexpr qint64 kReadWholeLimit = 64 * 1024 * 1024;
constexpr qint64 kTailSize = 1024 * 1024;

quint32 readLE32(const QByteArray &data, qsizetype at)
{
    if (at + 4 > data.size())
        return 0;
    const auto *p = reinterpret_cast<const uchar *>(data.constData() + at);
    return quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24;
}

qint32 readLE32s(const QByteArray &data, qsizetype at)
{
    return qint32(readLE32(data, at));
}

quint16 readLE16(const QByteArray &data, qsizetype at)
{
    if (at + 2 > data.size())
        return 0;
    const auto *p = reinterpret_cast<const uchar *>(data.constData() + at);
    return quint16(p[0] | p[1] << 8);
}

// Is the JPEG complete? The entropy-coded data stuffs every 0xFF with 0x00, so an end-of-image
// marker after the last start-of-scan means the scan was written to the end.
QString checkJpeg(const QByteArray &tail)
{
    qsizetype end = tail.size();
    while (end > 0 && tail[end - 1] == '\0')
        --end; // some writers pad the file
    if (end >= 2 && uchar(tail[end - 2]) == 0xff && uchar(tail[end - 1]) == 0xd9)
        return {};
    const qsizetype sos = tail.lastIndexOf(QByteArrayLiteral("\xff\xda"));
    if (sos >= 0 && tail.indexOf(QByteArrayLiteral("\xff\xd9"), sos) >= 0)
        return {}; // trailing data after the image (a motion photo, say) is fine
    return QStringLiteral("the JPEG data is truncated (no end-of-image marker)");
}

QString checkPng(const QByteArray &tail)
{
    static const QByteArray iend = QByteArrayLiteral("IEND\xae\x42\x60\x82");
    const qsizetype at = tail.lastIndexOf(iend);
    if (at < 0 || at < tail.lastIndexOf(QByteArrayLiteral("IDAT")))
        return QStringLiteral("the PNG data is truncated (no IEND chunk after the image data)");
    return {};
}

QString checkBmp(const QByteArray &head, qint64 fileSize)
{
    const quint32 declared = readLE32(head, 2);
    const quint32 pixelOffset = readLE32(head, 10);
    const qint32 width = readLE32s(head, 18);
    const qint32 height = readLE32s(head, 22);
    const quint16 bitsPerPixel = readLE16(head, 28);
    const quint32 compression = readLE32(head, 30);
    qint64 expected = declared;
    if (compression == 0 && width > 0 && bitsPerPixel > 0) {
        const qint64 stride = ((qint64(width) * bitsPerPixel + 31) / 32) * 4;
        expected = std::max<qint64>(expected, pixelOffset + stride * std::abs(qint64(height)));
    }
    if (fileSize < expected)
        return QStringLiteral("the BMP data is truncated (%1 of %2 bytes)")
            .arg(fileSize)
            .arg(expected);
    return {};
}

QString checkWebp(const QByteArray &head, qint64 fileSize)
{
    const qint64 declared = qint64(readLE32(head, 4)) + 8;
    if (fileSize < declared)
        return QStringLiteral("the WebP data is truncated (%1 of %2 bytes)")
            .arg(fileSize)
            .arg(declared);
    return {};
}

// The end of the first IFD's strips or tiles must lie inside the file.
QString checkTiff(const QByteArray &head, const QByteArray &wholeOrEmpty, qint64 fileSize)
{
    const QByteArray &data = wholeOrEmpty.isEmpty() ? head : wholeOrEmpty;
    if (data.size() < 8)
        return QStringLiteral("the TIFF header is truncated");
    const bool little = data[0] == 'I';
    auto u16 = [&](qsizetype at) -> quint32 {
        if (at + 2 > data.size())
            return 0;
        const auto *p = reinterpret_cast<const uchar *>(data.constData() + at);
        return little ? quint32(p[0] | p[1] << 8) : quint32(p[0] << 8 | p[1]);
    };
    auto u32 = [&](qsizetype at) -> quint32 {
        if (at + 4 > data.size())
            return 0;
        const auto *p = reinterpret_cast<const uchar *>(data.constData() + at);
        return little
                   ? quint32(p[0]) | quint32(p[1]) << 8 | quint32(p[2]) << 16 | quint32(p[3]) << 24
                   : quint32(p[0]) << 24 | quint32(p[1]) << 16 | quint32(p[2]) << 8 | quint32(p[3]);
    };
    if (u16(2) != 42)
        return {}; // BigTIFF and friends: leave it to the decoder
    const quint32 ifd = u32(4);
    if (ifd + 2 > quint64(data.size()))
        return {}; // the directory lies past what we read; nothing more to check cheaply
    const quint32 entries = u16(ifd);
    quint32 offsetsTag = 0, countsTag = 0;
    quint32 offsetsCount = 0, countsCount = 0, offsetsType = 0, countsType = 0;
    quint32 offsetsValue = 0, countsValue = 0;
    for (quint32 e = 0; e < entries; ++e) {
        const qsizetype at = ifd + 2 + e * 12;
        const quint32 tag = u16(at);
        if (tag == 273 || tag == 324) {
            offsetsTag = tag;
            offsetsType = u16(at + 2);
            offsetsCount = u32(at + 4);
            offsetsValue = at + 8;
        } else if (tag == 279 || tag == 325) {
            countsTag = tag;
            countsType = u16(at + 2);
            countsCount = u32(at + 4);
            countsValue = at + 8;
        }
    }
    if (!offsetsTag || !countsTag || offsetsCount != countsCount || offsetsCount == 0)
        return {};
    auto valueAt = [&](quint32 field, quint32 type, quint32 count, quint32 index) -> quint64 {
        const quint32 size = type == 3 ? 2 : 4;
        const quint64 base = quint64(size) * count <= 4 ? field : u32(field);
        const quint64 at = base + quint64(index) * size;
        if (at + size > quint64(data.size()))
            return 0;
        return size == 2 ? u16(qsizetype(at)) : u32(qsizetype(at));
    };
    quint64 end = 0;
    for (quint32 i = 0; i < offsetsCount; ++i) {
        end = std::max(end, valueAt(offsetsValue, offsetsType, offsetsCount, i) +
                                valueAt(countsValue, countsType, countsCount, i));
    }
    if (end > quint64(fileSize))
        return QStringLiteral("the TIFF data is truncated (image data runs to byte %1 of a %2-byte "
                              "file)")
            .arg(end)
            .arg(fileSize);
    return {};
}

} // namespace

bool isImageFileName(const QString &fileName)
{
    static const QStringList suffixes{
        QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("jpe"),
        QStringLiteral("png"), QStringLiteral("bmp"),  QStringLiteral("dib"),
        QStringLiteral("tif"), QStringLiteral("tiff"), QStringLiteral("webp")};
    const qsizetype dot = fileName.lastIndexOf(QLatin1Char('.'));
    if (dot < 0)
        return false;
    const QString suffix = fileName.mid(dot + 1).toLower();
    return suffixes.contains(suffix);
}

ImageProbe probeImageFile(const QString &path, qint64 maxPixels)
{
    ImageProbe probe;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        probe.error = QStringLiteral("cannot be read: %1").arg(file.errorString());
        return probe;
    }
    probe.fileSize = file.size();
    if (probe.fileSize == 0) {
        probe.error = QStringLiteral("the file is empty");
        return probe;
    }

    QCryptographicHash hash(QCryptographicHash::Sha1);
    QByteArray whole, head, tail;
    if (probe.fileSize <= kReadWholeLimit) {
        whole = file.readAll();
        if (whole.size() != probe.fileSize) {
            probe.error = QStringLiteral("cannot be read: %1").arg(file.errorString());
            return probe;
        }
        hash.addData(whole);
        head = whole.left(64 * 1024);
        tail = whole;
    } else {
        QByteArray chunk;
        while (!(chunk = file.read(4 * 1024 * 1024)).isEmpty()) {
            if (head.isEmpty())
                head = chunk.left(64 * 1024);
            hash.addData(chunk);
            tail.append(chunk);
            if (tail.size() > kTailSize)
                tail.remove(0, tail.size() - kTailSize);
        }
        if (file.error() != QFileDevice::NoError) {
            probe.error = QStringLiteral("cannot be read: %1").arg(file.errorString());
            return probe;
        }
    }
    probe.hash = "sha1:" + hash.result().toHex();

    // The format comes from the content, never the name: a PNG called .jpg is still a PNG.
    QBuffer buffer(&whole);
    QImageReader reader;
    if (!whole.isEmpty()) {
        buffer.open(QIODevice::ReadOnly);
        reader.setDevice(&buffer);
    } else {
        file.seek(0);
        reader.setDevice(&file);
    }
    probe.format = QString::fromLatin1(reader.format()).toLower();
    static const QStringList supported{QStringLiteral("jpeg"), QStringLiteral("png"),
                                       QStringLiteral("bmp"), QStringLiteral("tiff"),
                                       QStringLiteral("webp")};
    if (probe.format.isEmpty()) {
        probe.error = QStringLiteral("not an image Fieldmark can read (the content is not JPEG, "
                                     "PNG, BMP, TIFF or WebP)");
        return probe;
    }
    if (!supported.contains(probe.format)) {
        probe.error = QStringLiteral("%1 images are not supported (JPEG, PNG, BMP, TIFF or WebP "
                                     "are)")
                          .arg(probe.format.toUpper());
        return probe;
    }
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty()) {
        const QString reason = reader.error() == QImageReader::UnknownError
                                   ? QStringLiteral("the file is damaged or truncated")
                                   : reader.errorString();
        probe.error =
            QStringLiteral("the %1 header cannot be read: %2").arg(probe.format.toUpper(), reason);
        return probe;
    }
    probe.width = size.width();
    probe.height = size.height();
    const qint64 pixels = qint64(size.width()) * size.height();
    if (maxPixels > 0 && pixels > maxPixels) {
        probe.error = QStringLiteral("declares %1x%2 pixels (%3 megapixels), over the limit of %4 "
                                     "megapixels; not decoded")
                          .arg(size.width())
                          .arg(size.height())
                          .arg(pixels / 1'000'000)
                          .arg(maxPixels / 1'000'000);
        return probe;
    }

    QString damage;
    if (probe.format == QLatin1String("jpeg"))
        damage = checkJpeg(tail);
    else if (probe.format == QLatin1String("png"))
        damage = checkPng(tail);
    else if (probe.format == QLatin1String("bmp"))
        damage = checkBmp(head, probe.fileSize);
    else if (probe.format == QLatin1String("webp"))
        damage = checkWebp(head, probe.fileSize);
    else if (probe.format == QLatin1String("tiff"))
        damage = checkTiff(head, whole, probe.fileSize);
    if (!damage.isEmpty()) {
        probe.error = damage;
        return probe;
    }
    probe.ok = true;
    return probe;
}

} // namespace fieldmark
