#pragma once

// What the benchmark programs share: generated image files on disk (bench_import imports them,
// bench_formats builds a project over them) and the small helpers every report uses.

#include "core/util/result.h"

#include <QCommandLineParser>
#include <QImage>
#include <QString>

#include <vector>

class QElapsedTimer;

namespace fieldmark::bench {

// ---- Measuring -------------------------------------------------------------------------------

double seconds(const QElapsedTimer &timer);
double median(std::vector<double> values);
// getrusage's ru_maxrss: the whole process's high-water mark so far, in kilobytes.
qint64 peakRssKb();
// The "model name" line of /proc/cpuinfo; empty where there is none.
QString cpuModel();

// A deterministic 64-bit generator (SplitMix64): the same seed gives the same data anywhere.
quint64 splitMix(quint64 &state);

// ---- Generated images: N distinct small files, 1,000 to a folder -----------------------------

constexpr int kFilesPerFolder = 1000;

struct ImageSetSpec
{
    qint64 count = 0;
    QString format = QStringLiteral("png"); // png or jpeg
    int width = 64;
    int height = 48;
};

struct ImageSet
{
    QString root;
    QString imagesDir; // root/images, the folders of files
    QString suffix;    // "png" or "jpg"
    qint64 count = 0;
    qint64 bytes = 0;
    qint64 written = 0; // files written this time (0 when reused)
    double generateSeconds = 0;
    bool reused = false;
};

QString imageSuffix(const QString &format);
// root/images/NNNN/fm-NNNNNNN.<suffix>: where the index-th generated image lies.
QString generatedImagePath(const QString &imagesDir, qint64 index, const QString &suffix);

// A gradient with noise and a few rectangles, like small objects on a background, so the
// files compress like photos rather than like flat colour; the index is written into the
// first pixels, so every file has distinct pixels and a distinct hash.
QImage makeImage(qint64 index, int width, int height);

// Generates spec.count images under root/images using every core, or reuses those an earlier
// run left there with the same settings (root/bench-data.json says what is there). Refuses a
// root/images that holds files the benchmarks did not generate.
Result<ImageSet> prepareImages(const ImageSetSpec &spec, const QString &root);

// Reads a whole-number option into `target` when it is set; false when it is set to something
// that is not a number of at least `min`.
template<typename T>
bool readNumberOption(const QCommandLineParser &parser, const QCommandLineOption &option,
                      qint64 min, T &target)
{
    if (!parser.isSet(option))
        return true;
    bool valid = false;
    const qint64 v = parser.value(option).toLongLong(&valid);
    if (!valid || v < min)
        return false;
    target = static_cast<T>(v);
    return true;
}

} // namespace fieldmark::bench
