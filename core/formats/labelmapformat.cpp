#include "labelmapformat.h"

#include "core/formats/formatutil.h"
#include "core/formats/labelmap.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

const QString kBackground = u"background"_s;

LabelMapPalette paletteFor(const LabelTask &task)
{
    return LabelMapPalette::forTask(task, kBackground, QColor(0, 0, 0));
}

const QStringList &imageSuffixes()
{
    static const QStringList suffixes{u"jpg"_s, u"jpeg"_s, u"png"_s, u"bmp"_s,
                                      u"tif"_s, u"tiff"_s, u"webp"_s};
    return suffixes;
}

// images.txt: "labels/<name>.png<TAB><image>" lines by label map, bare image paths by file
// name without suffix. Relative paths that escape the folder are left out.
struct ImageList
{
    QHash<QString, QString> byLabel;
    QHash<QString, QString> byBaseName;
};

ImageList readImageList(const QDir &folder)
{
    ImageList list;
    QFile file(folder.absoluteFilePath(u"images.txt"_s));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return list;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &raw : lines) {
        const QString line = raw.trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype tab = line.indexOf(u'\t');
        const QString image = (tab < 0 ? line : line.mid(tab + 1)).trimmed();
        const QString absolute = QDir::cleanPath(folder.absoluteFilePath(image));
        if (!QDir::isAbsolutePath(image) && !liesInside(folder, absolute))
            continue; // an import never reaches outside the folder the user chose
        if (tab >= 0)
            list.byLabel.insert(QDir::cleanPath(line.left(tab).trimmed()), absolute);
        else if (!list.byBaseName.contains(QFileInfo(absolute).completeBaseName()))
            list.byBaseName.insert(QFileInfo(absolute).completeBaseName(), absolute);
    }
    return list;
}

QString findImage(const QDir &folder, const QString &labelPath, const ImageList &list)
{
    const QString stem = labelPath.mid(7).chopped(4); // "labels/" ... ".png"
    for (const QString &suffix : imageSuffixes()) {
        const QString candidate = folder.absoluteFilePath(u"images/%1.%2"_s.arg(stem, suffix));
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    QString listed = list.byLabel.value(labelPath);
    if (listed.isEmpty())
        listed = list.byBaseName.value(QFileInfo(stem).fileName());
    return QFileInfo::exists(listed) ? listed : QString();
}

Result<void> stageFile(QSaveFile &file, const QByteArray &bytes)
{
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return makeError(u"cannot write %1: %2"_s.arg(file.fileName(), file.errorString()));
    return {};
}

} // namespace

QString LabelMapFormat::name() const
{
    return u"labelmap"_s;
}

QString LabelMapFormat::displayName() const
{
    return u"PNG label maps"_s;
}

FormatCapabilities LabelMapFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::Segmentation}, true, true, true};
}

LossReport LabelMapFormat::lossReport(const ExportData &data) const
{
    const LabelMapPalette palette = paletteFor(data.task);
    const RenderStats stats = labelMapLosses(data, palette);
    LossReport report;
    appendLabelMapLosses(report, stats);
    appendUnwrittenAttributeLoss(report, data, {}, u"a label map"_s);
    if (palette.classesThatDoNotFit() > 0)
        report.losses.append(u"%1 classes have positions past 254, which 8-bit label maps "
                             u"cannot hold"_s.arg(palette.classesThatDoNotFit()));
    if (stats.confidences > 0)
        report.losses.append(
            u"confidences are not kept: %1 annotations have one"_s.arg(stats.confidences));
    appendProvenanceLoss(report, LabelCensus::of(data));
    return report;
}

Result<void> LabelMapFormat::writeData(const ExportData &data, const QString &path,
                                       const Progress &progress) const
{
    const LabelMapPalette palette = paletteFor(data.task);
    const QDir folder(path);
    const bool created = !folder.exists();
    StagedFolder labels(folder.absoluteFilePath(u"labels"_s));
    // Only an empty folder this call made goes away again on a failure.
    auto fail = [&](const Error &error) -> Result<void> {
        labels.discard();
        if (created)
            QDir().rmdir(folder.absolutePath());
        return error;
    };
    if (Result<void> opened = labels.open(); !opened)
        return fail(opened.error());

    const QStringList names = labelMapNames(data.items, data.datasetRoot);
    QByteArray imageList;
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size()))
            return fail(formatCancelled());
        const ExportItem &exportItem = data.items[i];
        const Item &item = exportItem.item;
        for (const Annotation &annotation : exportItem.annotations) {
            if (!data.task.classById(annotation.classId))
                return fail(makeError(u"cannot write %1: an annotation on %2 has class id %3, "
                                      u"which task \"%4\" does not have"_s.arg(path, item.path)
                                          .arg(annotation.classId)
                                          .arg(data.task.name)));
        }
        const QSize size = imageSizeOf(item);
        if (size.isEmpty())
            return fail(makeError(u"cannot write %1: the size of image %2 is unknown, and a "
                                  u"label map must match it"_s.arg(path, item.path)));
        const cv::Mat labelMap = renderLabelMap(exportItem.annotations, palette, size);
        if (Result<void> saved = saveLabelMap(labelMap, palette, labels.filePath(names[i])); !saved)
            return fail(saved.error());
        // Images inside the export (copied there) are listed relative to it, so it can move.
        const QString image = liesInside(folder, item.path)
                                  ? folder.relativeFilePath(item.path)
                                  : QFileInfo(item.path).absoluteFilePath();
        imageList += u"labels/%1\t%2\n"_s.arg(names[i], image).toUtf8();
    }

    QSaveFile labelmap(folder.absoluteFilePath(u"labelmap.txt"_s));
    QSaveFile images(folder.absoluteFilePath(u"images.txt"_s));
    for (const auto &[file, bytes] :
         {std::pair<QSaveFile *, QByteArray>{&labelmap, labelmapTxt(palette)},
          std::pair<QSaveFile *, QByteArray>{&images, imageList}}) {
        if (Result<void> staged = stageFile(*file, bytes); !staged)
            return fail(staged.error());
    }
    if (Result<void> committed = labels.commit(); !committed)
        return fail(committed.error());
    for (QSaveFile *file : {&labelmap, &images}) {
        if (!file->commit()) {
            labels.rollback();
            return fail(
                makeError(u"cannot write %1: %2"_s.arg(file->fileName(), file->errorString())));
        }
    }
    labels.finish();
    return {};
}

Result<FormatReadResult> LabelMapFormat::readPath(const QString &path,
                                                  const Progress &progress) const
{
    const QDir folder(path);
    if (!folder.exists())
        return makeError(u"%1: no such folder"_s.arg(path));
    if (!folder.exists(u"labelmap.txt"_s))
        return makeError(u"%1: not a label map folder: it has no labelmap.txt"_s.arg(path));
    const Result<QList<LabelMapEntry>> entries =
        parseLabelmapTxt(folder.absoluteFilePath(u"labelmap.txt"_s));
    if (!entries)
        return entries.error();
    if (!folder.exists(u"labels"_s))
        return makeError(u"%1: not a label map folder: it has no labels folder"_s.arg(path));

    FormatReadResult result;
    // Placeholders keep later values in place; one becomes a class only if a pixel uses it.
    for (const LabelMapEntry &entry : *entries) {
        if (entry.value > 0 && entry.name != placeholderClassName(entry.value) &&
            !result.classes.contains(entry.name))
            result.classes.append(entry.name);
    }

    const ImageList list = readImageList(folder);
    QStringList labelFiles;
    QDirIterator it(folder.absoluteFilePath(u"labels"_s), {u"*.png"_s, u"*.PNG"_s}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        labelFiles.append(u"labels/"_s +
                          QDir(folder.absoluteFilePath(u"labels"_s)).relativeFilePath(it.next()));
    labelFiles.sort();
    for (qsizetype index = 0; index < labelFiles.size(); ++index) {
        if (!progress.advance(index, labelFiles.size()))
            return formatCancelled();
        const QString &labelFile = labelFiles[index];
        auto problem = [&](const QString &reason) {
            result.problems.append(FormatProblem{labelFile, reason});
        };
        const QString image = findImage(folder, labelFile, list);
        if (image.isEmpty()) {
            problem(u"no image found for it: looked in images/ for the same name with a suffix "
                    u"of %1, and in images.txt"_s.arg(imageSuffixes().join(u", "_s)));
            continue;
        }
        const QSize size = QImageReader(image).size();
        if (!size.isValid()) {
            problem(u"cannot read the size of its image %1"_s.arg(image));
            continue;
        }
        const Result<QImage> labelImage = readLabelImage(folder.absoluteFilePath(labelFile));
        if (!labelImage) {
            problem(labelImage.errorString());
            continue;
        }
        if (labelImage->size() != size) {
            problem(u"the label map is %1x%2 but its image %3 is %4x%5"_s.arg(labelImage->width())
                        .arg(labelImage->height())
                        .arg(image)
                        .arg(size.width())
                        .arg(size.height()));
            continue;
        }
        const Result<QList<std::pair<int, RleMask>>> masks =
            decodeLabelMap(*labelImage, *entries, LabelValues::Index);
        if (!masks) {
            problem(masks.errorString());
            continue;
        }
        ImportedItem item;
        item.path = image;
        item.sourceRef = labelFile;
        item.width = size.width();
        item.height = size.height();
        for (const auto &[value, mask] : *masks) {
            ImportedAnnotation annotation;
            annotation.className = entries->at(value).name;
            annotation.shape = Mask{mask};
            if (!result.classes.contains(annotation.className))
                result.classes.append(annotation.className);
            item.annotations.append(std::move(annotation));
        }
        result.items.append(std::move(item));
    }
    return result;
}

} // namespace fieldmark
