#include "benchdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentMap>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <numeric>

namespace fieldmark::bench {

namespace {

// Bump when the generated pixels change, so a reused folder is regenerated.
constexpr int kDataVersion = 1;

QString folderPath(const QString &imagesDir, qint64 folder)
{
    return QStringLiteral("%1/%2").arg(imagesDir).arg(folder, 4, 10, QLatin1Char('0'));
}

bool writeImage(const QString &path, const QImage &image, const QString &format)
{
    // Written under another name, then renamed: a generation killed half-way leaves no
    // truncated image behind to reuse. (Not QSaveFile: its fsync per file made generating
    // 100,000 files take minutes.)
    const QString partial = path + QStringLiteral(".part");
    QFile file(partial);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    const bool jpeg = format == QLatin1String("jpeg");
    const bool saved = image.save(&file, jpeg ? "JPEG" : "PNG", jpeg ? 90 : -1);
    file.close();
    if (!saved || file.error() != QFileDevice::NoError) {
        QFile::remove(partial);
        return false;
    }
    QFile::remove(path); // rename() does not replace
    return QFile::rename(partial, path);
}

QString markerPath(const QString &root)
{
    return root + QStringLiteral("/bench-data.json");
}

QJsonObject readMarker(const QString &root)
{
    QFile file(markerPath(root));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool writeMarker(const QString &root, const QJsonObject &marker)
{
    QSaveFile file(markerPath(root));
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(marker).toJson()) >= 0 &&
           file.commit();
}

bool sameKind(const QJsonObject &a, const QJsonObject &b)
{
    for (const char *key : {"version", "format", "width", "height"}) {
        const QString k = QString::fromLatin1(key);
        if (a.value(k) != b.value(k))
            return false;
    }
    return true;
}

} // namespace

double seconds(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e9;
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

qint64 peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // kilobytes on Linux
}

QString cpuModel()
{
    // /proc files report size 0, so read to the end rather than testing atEnd().
    QFile file(QStringLiteral("/proc/cpuinfo"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (const QString &line : lines)
        if (line.startsWith(QLatin1String("model name")))
            return line.section(QLatin1Char(':'), 1).trimmed();
    return {};
}

quint64 splitMix(quint64 &state)
{
    quint64 z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

QString imageSuffix(const QString &format)
{
    return format == QLatin1String("jpeg") ? QStringLiteral("jpg") : QStringLiteral("png");
}

QString generatedImagePath(const QString &imagesDir, qint64 index, const QString &suffix)
{
    return QStringLiteral("%1/fm-%2.%3")
        .arg(folderPath(imagesDir, index / kFilesPerFolder))
        .arg(index, 7, 10, QLatin1Char('0'))
        .arg(suffix);
}

QImage makeImage(qint64 index, int width, int height)
{
    QImage image(width, height, QImage::Format_RGB888);
    quint64 state = quint64(index) * 7919u + 1;
    const quint64 seed = splitMix(state);
    const int base[3] = {int(seed & 0xff), int((seed >> 8) & 0xff), int((seed >> 16) & 0xff)};
    const int dx = int((seed >> 24) & 7) - 3;
    const int dy = int((seed >> 27) & 7) - 3;
    for (int y = 0; y < height; ++y) {
        uchar *line = image.scanLine(y);
        for (int x = 0; x < width; ++x) {
            const quint64 noise = splitMix(state);
            for (int c = 0; c < 3; ++c) {
                const int v = base[c] + dx * x + dy * y + int((noise >> (8 * c)) & 15) - 8;
                line[3 * x + c] = uchar(std::clamp(v, 0, 255));
            }
        }
    }
    for (int r = 0; r < 3; ++r) {
        const quint64 s = splitMix(state);
        const int x0 = int(s % quint64(width));
        const int y0 = int((s >> 16) % quint64(height));
        const int w = 4 + int((s >> 32) % 16);
        const int h = 4 + int((s >> 40) % 16);
        for (int y = y0; y < std::min(height, y0 + h); ++y) {
            uchar *line = image.scanLine(y);
            for (int x = x0; x < std::min(width, x0 + w); ++x)
                for (int c = 0; c < 3; ++c)
                    line[3 * x + c] = uchar(s >> (48 + 5 * c));
        }
    }
    uchar *first = image.scanLine(0);
    for (int b = 0; b < 6; ++b)
        first[b] = uchar(quint64(index) >> (8 * b));
    return image;
}

Result<ImageSet> prepareImages(const ImageSetSpec &spec, const QString &root)
{
    ImageSet data;
    data.root = root;
    data.imagesDir = root + QStringLiteral("/images");
    data.suffix = imageSuffix(spec.format);
    data.count = spec.count;
    if (!QDir().mkpath(data.imagesDir))
        return makeError(QStringLiteral("cannot create %1").arg(data.imagesDir));

    QJsonObject wanted{{QStringLiteral("generator"), QStringLiteral("fieldmark bench")},
                       {QStringLiteral("version"), kDataVersion},
                       {QStringLiteral("format"), spec.format},
                       {QStringLiteral("width"), spec.width},
                       {QStringLiteral("height"), spec.height},
                       {QStringLiteral("count"), spec.count}};
    const QJsonObject previous = readMarker(root);
    bool overwrite = false;
    if (previous.isEmpty()) {
        const QDir images(data.imagesDir);
        if (!images.isEmpty())
            return makeError(QStringLiteral("%1 holds files the benchmarks did not generate (no "
                                            "%2); choose another --dir")
                                 .arg(data.imagesDir, markerPath(root)));
    } else if (sameKind(previous, wanted) &&
               previous.value(QStringLiteral("count")).toInteger() == spec.count &&
               previous.value(QStringLiteral("complete")).toBool()) {
        data.reused = true;
        data.bytes = previous.value(QStringLiteral("bytes")).toInteger();
        return data;
    } else {
        // Remove what the previous generation wrote that this one would not overwrite, so the
        // folder holds exactly `count` images.
        overwrite = !sameKind(previous, wanted);
        const qint64 previousCount = previous.value(QStringLiteral("count")).toInteger();
        const QString previousSuffix =
            imageSuffix(previous.value(QStringLiteral("format")).toString());
        for (qint64 i = overwrite ? 0 : spec.count; i < previousCount; ++i)
            QFile::remove(generatedImagePath(data.imagesDir, i, previousSuffix));
        for (qint64 f = 0; f <= previousCount / kFilesPerFolder; ++f)
            QDir().rmdir(folderPath(data.imagesDir, f)); // only succeeds when empty
    }

    wanted.insert(QStringLiteral("complete"), false);
    if (!writeMarker(root, wanted))
        return makeError(QStringLiteral("cannot write %1").arg(markerPath(root)));
    for (qint64 f = 0; f <= (spec.count - 1) / kFilesPerFolder; ++f)
        if (!QDir().mkpath(folderPath(data.imagesDir, f)))
            return makeError(QStringLiteral("cannot create %1").arg(folderPath(data.imagesDir, f)));

    std::vector<qint64> indices(size_t(spec.count));
    std::iota(indices.begin(), indices.end(), qint64(0));
    std::atomic<qint64> written{0};
    std::atomic<qint64> bytes{0};
    std::atomic<qint64> failed{-1};
    QElapsedTimer timer;
    timer.start();
    QtConcurrent::blockingMap(indices, [&](qint64 index) {
        const QString path = generatedImagePath(data.imagesDir, index, data.suffix);
        QFileInfo info(path);
        if (overwrite || !info.exists()) {
            if (!writeImage(path, makeImage(index, spec.width, spec.height), spec.format)) {
                failed.store(index);
                return;
            }
            ++written;
            info.refresh();
        }
        bytes += info.size();
    });
    data.generateSeconds = seconds(timer);
    if (failed.load() >= 0)
        return makeError(QStringLiteral("cannot write %1")
                             .arg(generatedImagePath(data.imagesDir, failed.load(), data.suffix)));
    data.written = written.load();
    data.bytes = bytes.load();

    wanted.insert(QStringLiteral("complete"), true);
    wanted.insert(QStringLiteral("bytes"), data.bytes);
    if (!writeMarker(root, wanted))
        return makeError(QStringLiteral("cannot write %1").arg(markerPath(root)));
    return data;
}

} // namespace fieldmark::bench
