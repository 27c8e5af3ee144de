#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace fieldmark::test {

// What one run of fieldmark-cli did.
struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
    bool crashed = false;

    // For failure messages: everything the run printed.
    std::string describe() const;
};

// Runs the fieldmark-cli built next to the tests (stdin closed, 60 s at most).
CliRun runCli(const QStringList &arguments);

// Writes a small image ("png", "jpg", "bmp" from the suffix); `seed` varies the pixels so
// files differ in content. Returns false on failure.
bool writeImage(const QString &path, int width, int height, int seed);
// Writes bytes to a file, creating parent folders.
bool writeFile(const QString &path, const QByteArray &bytes);
QByteArray readFile(const QString &path);

} // namespace fieldmark::test
