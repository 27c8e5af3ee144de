#pragma once

#include "core/store/projectstore.h"

#include <QColor>
#include <QImage>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace fieldmark::test {

// A solid image with a darker frame, so a test can tell images apart by their centre colour.
QImage makeImage(int width, int height, const QColor &color);
bool writeBytes(const QString &path, const QByteArray &bytes);

// A project in a temporary folder with one image-classification task (cat, dog, bird) and
// images imported through the store: red.png (320x200), green.jpg (200x320), blue.png,
// broken.jpg (not an image: skipped by the import) and gone.png (imported, then overwritten
// with garbage, so it is listed but cannot be decoded).
struct SampleProject
{
    QTemporaryDir root;
    QString projectDir;
    QString mediaDir;
    QStringList importedFiles; // in item id order
    QStringList skippedFiles;

    static std::unique_ptr<SampleProject> create();
    QString media(const QString &name) const;
};

// Runs the event loop until the condition holds or the time is up; says which. (QTRY_* macros
// report to QTest, which GoogleTest does not hear: a test must ASSERT_TRUE on this instead.)
bool waitUntil(const std::function<bool()> &condition, int timeoutMs = 10000);

// Where screenshots go (created on demand).
QString screenshotPath(const QString &fileName);

} // namespace fieldmark::test
