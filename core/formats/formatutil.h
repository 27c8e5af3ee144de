#pragma once

#include "core/formats/format.h"

#include <QByteArray>
#include <QDir>
#include <QList>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QStringList>
#include <QVector>

namespace fieldmark {

// Small helpers several formats share, kept out of format.h because they are about files and
// geometry rather than the Format interface.

// Makes what was written on the file system holding `path` durable, with one call (Linux:
// syncfs), so many files cost one sync rather than one each.
void syncFileSystemOf(const QString &path);

// Many small files written as one (a label file per image): each goes to a temporary file
// beside its target; commit() makes them all durable with one file-system sync, then renames
// each into place. A crash leaves the old files or complete new ones, never half a file, at
// the cost of one sync instead of one per file (QSaveFile's): 100,000 label files take seconds
// instead of minutes. Temporaries not committed are removed.
class FileBatch
{
public:
    FileBatch() = default;
    ~FileBatch();
    FileBatch(const FileBatch &) = delete;
    FileBatch &operator=(const FileBatch &) = delete;

    Result<void> add(const QString &path, const QByteArray &bytes);
    Result<void> commit();

private:
    struct Pending
    {
        QString temporary;
        QString target;
    };
    QList<Pending> m_files;
};

// A box or point read within a format's rounding tolerance past the image edge, pulled onto
// it: files written with a few decimals (YOLO's 6) land a hair outside, and Fieldmark's own
// validation would refuse what is really on the edge.
Box clampedToImage(const Box &box, int width, int height);
QPointF clampedToImage(const QPointF &point, int width, int height);

// File base names, one per exported item, for formats that write one file per image: the
// image's base name, with "_<item id>" (or "_<n>") added where two images share one, so no
// file overwrites another.
QStringList uniqueBaseNames(const QList<ExportItem> &items);

// The outer outlines of a mask in image pixels (holes are dropped); outlines of fewer than
// three points (a line or a dot) are left out, having no area. The outlines run through the
// centres of the mask's edge pixels, so a part one pixel wide comes out as an outline folded
// onto itself, which Fieldmark's own polygon validation refuses on import.
QList<QVector<QPointF>> maskOutlines(const RleMask &rle);

// The item's image size, or, where the item has none, the size in the image file's header
// (invalid when neither is known).
QSize imageSizeOf(const Item &item);

// Whether the cleaned absolute `path` lies inside `root` (an import must never point the
// project at files outside the folder the user handed over).
bool liesInside(const QDir &root, const QString &path);

// Names the attributes (Annotation::attributes) that `format` has no place for, with the
// count of annotations carrying them; `written` are the keys it does write.
void appendUnwrittenAttributeLoss(LossReport &report, const ExportData &data,
                                  const QStringList &written, const QString &format);

// "line:column" of a byte offset, as QJsonParseError gives one and people look for.
QString lineColumnAt(const QByteArray &bytes, qsizetype offset);

} // namespace fieldmark
