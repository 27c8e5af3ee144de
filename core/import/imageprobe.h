#pragma once

#include <QByteArray>
#include <QString>

namespace fieldmark {

// What the import learns about one image file without decoding its pixels.
struct ImageProbe
{
    bool ok = false;
    QString error;  // why the file is refused, in a user's words (without the path)
    QString format; // "jpeg", "png", ...
    int width = 0;
    int height = 0;
    qint64 fileSize = 0;
    QByteArray hash; // "sha1:<hex>" of the whole file
};

// The default limit on width x height: a file that declares more is refused, never decoded.
constexpr qint64 kDefaultMaxPixels = 1'000'000'000;

// Reads the file once: hashes it, reads the size from the header (QImageReader), and checks
// the container is complete (a JPEG ends with its EOI marker, a PNG with IEND, a BMP or
// WebP is as long as its header says), so empty, truncated and corrupt files are caught
// without decoding. Safe to call from several threads at once.
ImageProbe probeImageFile(const QString &path, qint64 maxPixels = kDefaultMaxPixels);

// Lower-case suffixes the image import picks up in folders.
bool isImageFileName(const QString &fileName);

} // namespace fieldmark
