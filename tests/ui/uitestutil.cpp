#include "uitestutil.h"

#include "core/import/importer.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QTest>

namespace fieldmark::test {

QImage makeImage(int width, int height, const QColor &color)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QPainter painter(&image);
    painter.setPen(QPen(color.darker(200), 6));
    painter.drawRect(image.rect().adjusted(3, 3, -3, -3));
    return image;
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QString SampleProject::media(const QString &name) const
{
    return QDir(mediaDir).filePath(name);
}

std::unique_ptr<SampleProject> SampleProject::create()
{
    auto sample = std::make_unique<SampleProject>();
    if (!sample->root.isValid())
        return nullptr;
    sample->projectDir = sample->root.filePath(QStringLiteral("project"));
    sample->mediaDir = sample->root.filePath(QStringLiteral("media"));
    QDir().mkpath(sample->mediaDir);

    const bool written =
        makeImage(320, 200, QColor(220, 40, 40)).save(sample->media(QStringLiteral("red.png"))) &&
        makeImage(200, 320, QColor(40, 200, 60))
            .save(sample->media(QStringLiteral("green.jpg")), "JPG", 95) &&
        makeImage(256, 256, QColor(40, 60, 220)).save(sample->media(QStringLiteral("blue.png"))) &&
        makeImage(64, 48, Qt::yellow).save(sample->media(QStringLiteral("gone.png"))) &&
        writeBytes(sample->media(QStringLiteral("broken.jpg")),
                   QByteArray("\xff\xd8\xff\xe0 this is not really a JPEG"));
    if (!written)
        return nullptr;

    auto store = ProjectStore::create(sample->projectDir);
    if (!store)
        return nullptr;
    if (!(*store)->addTask(QStringLiteral("animals"), TaskType::ImageClassification,
                           {QStringLiteral("cat"), QStringLiteral("dog"), QStringLiteral("bird")}))
        return nullptr;
    Importer importer(**store);
    auto summary = importer.importImages({sample->mediaDir});
    if (!summary || summary->added != 4)
        return nullptr;
    for (const qint64 id : (*store)->itemIds())
        sample->importedFiles.append((*store)->item(id)->path);
    for (const ImportProblem &problem : summary->problems)
        sample->skippedFiles.append(problem.path);

    // The file changes after the import: listed, but no longer an image.
    QByteArray garbage(300, 'x');
    if (!writeBytes(sample->media(QStringLiteral("gone.png")), garbage))
        return nullptr;
    return sample;
}

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    return QTest::qWaitFor(condition, timeoutMs);
}

QString screenshotPath(const QString &fileName)
{
    const QString dir = QStringLiteral(FIELDMARK_SCREENSHOT_DIR);
    QDir().mkpath(dir);
    return QDir(dir).filePath(fileName);
}

} // namespace fieldmark::test
