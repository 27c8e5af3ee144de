#pragma once

#include <QByteArray>
#include <QString>

namespace fieldmark::test {

// Writes a small image of the given size and format ("png", "jpg", "bmp", "tif", "webp");
// `seed` varies the pixels so files differ in content. Returns false on failure.
bool writeImage(const QString &path, int width, int height, int seed = 0);
// Writes raw bytes to a file, creating parent folders.
bool writeFile(const QString &path, const QByteArray &bytes);
QByteArray readFile(const QString &path);

} // namespace fieldmark::test
