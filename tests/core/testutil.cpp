#include "testutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>

namespace fieldmark::test {

bool writeImage(const QString &path, int width, int height, int seed)
{
    QImage image(width, height, QImage::Format_RGB32);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
            image.setPixel(
                x, y,
                qRgb((x * 7 + seed * 13) & 255, (y * 5 + seed) & 255, (x ^ y ^ (seed >> 8)) & 255));
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    return image.save(path);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    return file.write(bytes) == bytes.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace fieldmark::test
