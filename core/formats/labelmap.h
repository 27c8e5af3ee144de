#pragma once

#include "core/formats/format.h"

#include <QColor>
#include <QHash>
#include <QImage>
#include <QList>
#include <QRgb>
#include <QSize>
#include <QString>

#include <opencv2/core.hpp>

#include <utility>

namespace fieldmark {

// Semantic label maps, as PNG label maps and Ground Truth's semantic segmentation write them:
// one 8-bit index per pixel, 0 the background and a class's position + 1 its value, with a
// colour table so that viewers (and tools that read colours) see the class colours.
// Shared by LabelMapFormat and GroundTruthFormat, so both render, read and name alike.

// One value of a label map: the pixel value, the class it stands for and its colour.
struct LabelMapEntry
{
    int value = 0;
    QString name;
    QColor color;
};

// The values and colours of a task's classes.
class LabelMapPalette
{
public:
    // Index 0 is `background`; a class at position p is p + 1. Colours come from the classes
    // (their default colour where unset) and are made distinct, so colours read back
    // unambiguously. Positions past 254 do not fit in 8 bits and are left out
    // (classesThatDoNotFit counts them).
    static LabelMapPalette forTask(const LabelTask &task, const QString &backgroundName,
                                   QColor background);

    const QList<LabelMapEntry> &entries() const { return m_entries; } // background first
    int valueOf(qint64 classId) const { return m_valueOfClass.value(classId, -1); }
    QList<QRgb> colorTable() const; // 256 entries, unused ones black
    int classesThatDoNotFit() const { return m_unfit; }

private:
    QList<LabelMapEntry> m_entries;
    QHash<qint64, int> m_valueOfClass;
    int m_unfit = 0;
};

// What painting an image's annotations into a label map lost.
struct RenderStats
{
    qsizetype polygons = 0;    // rasterised
    qsizetype boxes = 0;       // rasterised
    qsizetype covered = 0;     // annotations that lost pixels to a later one of another class
    qint64 overwritten = 0;    // pixels a later annotation of another class painted over
    qsizetype merged = 0;      // annotations merged into an earlier one of their class
    qsizetype cropped = 0;     // shapes reaching past the image
    qsizetype confidences = 0; // annotations whose confidence the map cannot carry
    qsizetype unwritten = 0;   // class tags and spans, which a label map cannot carry

    RenderStats &operator+=(const RenderStats &other);
};

// Paints masks, polygons and boxes in order, the later one winning where they overlap, into
// a CV_8UC1 map of `size`. Annotations of classes without a value are skipped (and counted
// as unwritten). `stats` (optional) counts what was lost.
cv::Mat renderLabelMap(const QList<Annotation> &annotations, const LabelMapPalette &palette,
                       QSize size, RenderStats *stats = nullptr);
// What rendering every item of `data` would lose, without rendering items whose shapes
// cannot overlap.
RenderStats labelMapLosses(const ExportData &data, const LabelMapPalette &palette);
// The losses every label-map writer reports, in words, with counts.
void appendLabelMapLosses(LossReport &report, const RenderStats &stats);

// Writes `labels` as an indexed PNG with the palette's colours, into a StagedFolder
// (which makes it durable when it commits).
Result<void> saveLabelMap(const cv::Mat &labels, const LabelMapPalette &palette,
                          const QString &path);

// Reads a label map PNG, refusing one that is not a readable image or is implausibly large.
Result<QImage> readLabelImage(const QString &path);

// How a label map's pixels name their classes.
enum class LabelValues {
    Index, // indexed and grey PNGs: the value itself (255 outside the list is "void")
    Color, // every PNG: the pixel's colour, looked up in the entries' colours
};

// The mask of each value present in `image`, in value order, background (0) left out. A
// value or colour not among `entries` fails, naming it and its first pixel.
Result<QList<std::pair<int, RleMask>>>
decodeLabelMap(const QImage &image, const QList<LabelMapEntry> &entries, LabelValues values);

// labelmap.txt as Pascal VOC and CVAT write it: "name:r,g,b::" a line, the line's place
// (comments aside) its value, background first.
QByteArray labelmapTxt(const LabelMapPalette &palette);
Result<QList<LabelMapEntry>> parseLabelmapTxt(const QString &path);
// The name a label map gives a position no class holds, so later values keep their place.
QString placeholderClassName(int value);

// One label-map file name per item ("sub/a.png"): the image's path inside `datasetRoot`
// (its file name when outside; a leading "images/", where exports copy images, left out) with
// the suffix ".png", made unique with "_2", "_3"...
QStringList labelMapNames(const QList<ExportItem> &items, const QString &datasetRoot);

// A folder written whole or not at all: files go into a hidden folder beside `target`, and
// commit() swaps it into place (the old one is kept until the swap succeeded). Destroyed
// without commit(), it removes what it wrote.
class StagedFolder
{
public:
    explicit StagedFolder(const QString &target);
    ~StagedFolder();
    StagedFolder(const StagedFolder &) = delete;
    StagedFolder &operator=(const StagedFolder &) = delete;

    Result<void> open();
    QString filePath(const QString &relative) const; // inside the staging folder
    Result<void> commit();
    // Puts the previous folder back after a commit() whose surroundings then failed.
    void rollback();
    // Drops the previous folder for good.
    void finish();
    // Removes what was staged and not committed.
    void discard();

private:
    QString m_target;
    QString m_staging;
    QString m_backup;
    bool m_committed = false;
};

} // namespace fieldmark
