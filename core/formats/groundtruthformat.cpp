#include "groundtruthformat.h"

#include "core/formats/formatutil.h"
#include "core/formats/groundtruthreader.h"
#include "core/formats/labelmap.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPolygonF>
#include <QSaveFile>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

bool isUnreviewedMachine(const Annotation &annotation)
{
    return annotation.provenance.state == LabelState::Machine ||
           annotation.provenance.state == LabelState::Rejected;
}

// The shapes a task's manifest carries; the others are listed by lossReport.
bool carries(TaskType type, ShapeKind kind)
{
    switch (type) {
    case TaskType::ImageClassification:
    case TaskType::ImageMultiLabel:
    case TaskType::TextClassification:
    case TaskType::TextMultiLabel:
        return kind == ShapeKind::ClassTag;
    case TaskType::Boxes:
    case TaskType::Segmentation:
        return kind == ShapeKind::Box || kind == ShapeKind::Polygon || kind == ShapeKind::Mask;
    case TaskType::Spans:
        return kind == ShapeKind::Span;
    }
    return false;
}

QRectF boundsOf(const Shape &shape)
{
    if (const Box *box = std::get_if<Box>(&shape))
        return box->rect();
    if (const Polygon *polygon = std::get_if<Polygon>(&shape))
        return QPolygonF(polygon->points).boundingRect();
    if (const Mask *mask = std::get_if<Mask>(&shape))
        return QRectF(mask->rle.bounds());
    return {};
}

// The confidence list beside objects or entities: one entry each, empty where unknown,
// left out when no label has one.
void insertConfidences(QJsonObject &metadata, const QString &key, const QJsonArray &confidences,
                       bool any)
{
    if (any)
        metadata.insert(key, confidences);
}

QJsonObject confidenceEntry(const Annotation &annotation)
{
    if (!annotation.provenance.confidence)
        return {};
    return QJsonObject{{u"confidence"_s, *annotation.provenance.confidence}};
}

// Ground Truth's semantic segmentation colours: a white BACKGROUND, then the classes.
LabelMapPalette paletteFor(const LabelTask &task)
{
    return LabelMapPalette::forTask(task, u"BACKGROUND"_s, QColor(255, 255, 255));
}

// Writes one manifest; kept apart from GroundTruthFormat so each part stays short.
class ManifestWriter
{
public:
    // `labels` receives the label maps of a segmentation task.
    ManifestWriter(const ExportData &data, const QString &path, StagedFolder *labels)
        : m_data(data)
        , m_path(path)
        , m_attribute(GroundTruthFormat::labelAttributeName(data.task))
        , m_root(data.datasetRoot)
        , m_labels(labels)
        , m_labelFolder(QFileInfo(GroundTruthFormat::labelFolderFor(path)).fileName())
        , m_palette(paletteFor(data.task))
    {
        if (data.task.type == TaskType::Segmentation)
            m_names = labelMapNames(data.items, data.datasetRoot);
        for (const LabelClass &labelClass : data.task.classes)
            m_classes.insert(labelClass.id, &labelClass);
        m_sorted = data.task.classes;
        std::sort(m_sorted.begin(), m_sorted.end(),
                  [](const LabelClass &a, const LabelClass &b) { return a.position < b.position; });
    }

    Result<QJsonObject> line(const ExportItem &exportItem, qsizetype index);

private:
    Result<const LabelClass *> classOf(const Item &item, const Annotation &annotation) const;
    QString sourceRef(const Item &item) const;
    QJsonObject metadata(const QList<const Annotation *> &labels) const;
    QJsonObject classMap(const QList<const LabelClass *> &classes) const;

    Result<void> writeClasses(QJsonObject &line, const ExportItem &exportItem);
    Result<void> writeBoxes(QJsonObject &line, const ExportItem &exportItem);
    Result<void> writeSpans(QJsonObject &line, const ExportItem &exportItem);
    Result<void> writeSegmentation(QJsonObject &line, const ExportItem &exportItem,
                                   qsizetype index);

    const ExportData &m_data;
    QString m_path;
    QString m_attribute;
    QDir m_root;
    StagedFolder *m_labels;
    QString m_labelFolder;
    LabelMapPalette m_palette;
    QStringList m_names;
    QHash<qint64, const LabelClass *> m_classes;
    QList<LabelClass> m_sorted;
};

Result<const LabelClass *> ManifestWriter::classOf(const Item &item,
                                                   const Annotation &annotation) const
{
    const LabelClass *labelClass = m_classes.value(annotation.classId);
    if (!labelClass)
        return makeError(u"cannot write %1: an annotation on %2 has class id %3, which task "
                         u"\"%4\" does not have"_s
                             .arg(m_path, item.kind != ItemKind::Text ? item.path
                                          : item.sourceRef.isEmpty()
                                              ? u"the text \"%1\""_s.arg(item.text.left(40))
                                              : item.sourceRef)
                             .arg(annotation.classId)
                             .arg(m_data.task.name));
    return labelClass;
}

QString ManifestWriter::sourceRef(const Item &item) const
{
    // An item that came from S3 goes back there, so the manifest still works in SageMaker.
    const QString original = item.extra.value(u"source-ref"_s).toString();
    if (original.startsWith(u"s3://"_s, Qt::CaseInsensitive))
        return original;
    if (!m_data.datasetRoot.isEmpty()) {
        if (liesInside(m_root, item.path))
            return m_root.relativeFilePath(item.path);
    }
    return item.path;
}

QJsonObject ManifestWriter::metadata(const QList<const Annotation *> &labels) const
{
    // One flag and one date per line: "no" only when no person made or checked any label.
    const bool machineOnly =
        !labels.isEmpty() && std::all_of(labels.begin(), labels.end(), [](const Annotation *a) {
            return isUnreviewedMachine(*a);
        });
    qint64 latest = 0;
    for (const Annotation *label : labels)
        latest = std::max(latest, label->provenance.timeMs);
    QString job = m_attribute;
    if (job.endsWith(u"-ref"_s))
        job.chop(4);
    QJsonObject metadata{{u"type"_s, groundtruth::typeName(m_data.task.type)},
                         {u"job-name"_s, QString(u"labeling-job/"_s + job)},
                         {u"human-annotated"_s, machineOnly ? u"no"_s : u"yes"_s}};
    if (latest > 0)
        metadata.insert(u"creation-date"_s, groundtruth::creationDate(latest));
    return metadata;
}

QJsonObject ManifestWriter::classMap(const QList<const LabelClass *> &classes) const
{
    QJsonObject map;
    for (const LabelClass *labelClass : classes)
        map.insert(QString::number(labelClass->position), labelClass->name);
    return map;
}

Result<QJsonObject> ManifestWriter::line(const ExportItem &exportItem, qsizetype index)
{
    const Item &item = exportItem.item;
    QJsonObject line = item.extra;
    for (const QString &key :
         {u"source"_s, u"source-ref"_s, m_attribute, QString(m_attribute + u"-metadata"_s)})
        line.remove(key);
    if (item.kind == ItemKind::Text)
        line.insert(u"source"_s, item.text);
    else
        line.insert(u"source-ref"_s, sourceRef(item));

    Result<void> written;
    switch (m_data.task.type) {
    case TaskType::ImageClassification:
    case TaskType::ImageMultiLabel:
    case TaskType::TextClassification:
    case TaskType::TextMultiLabel:
        written = writeClasses(line, exportItem);
        break;
    case TaskType::Boxes:
        written = writeBoxes(line, exportItem);
        break;
    case TaskType::Spans:
        written = writeSpans(line, exportItem);
        break;
    case TaskType::Segmentation:
        written = writeSegmentation(line, exportItem, index);
        break;
    }
    if (!written)
        return written.error();
    return line;
}

Result<void> ManifestWriter::writeClasses(QJsonObject &line, const ExportItem &exportItem)
{
    QList<const Annotation *> tags;
    QList<const LabelClass *> classes;
    for (const Annotation &annotation : exportItem.annotations) {
        if (shapeKind(annotation.shape) != ShapeKind::ClassTag)
            continue; // listed by lossReport
        Result<const LabelClass *> labelClass = classOf(exportItem.item, annotation);
        if (!labelClass)
            return labelClass.error();
        if (classes.contains(*labelClass))
            continue; // the same class twice says nothing more
        tags.append(&annotation);
        classes.append(*labelClass);
    }
    if (tags.isEmpty())
        return {}; // not labelled: the line stays an input line
    QJsonObject metadata = this->metadata(tags);
    if (!isMultiLabel(m_data.task.type)) {
        // A single-label manifest keeps the first class (lossReport counts the others).
        line.insert(m_attribute, classes.front()->position);
        metadata.insert(u"class-name"_s, classes.front()->name);
        if (tags.front()->provenance.confidence)
            metadata.insert(u"confidence"_s, *tags.front()->provenance.confidence);
    } else {
        QJsonArray ids;
        QJsonObject confidences;
        for (qsizetype i = 0; i < tags.size(); ++i) {
            ids.append(classes[i]->position);
            if (tags[i]->provenance.confidence)
                confidences.insert(QString::number(classes[i]->position),
                                   *tags[i]->provenance.confidence);
        }
        line.insert(m_attribute, ids);
        metadata.insert(u"class-map"_s, classMap(classes));
        if (!confidences.isEmpty())
            metadata.insert(u"confidence-map"_s, confidences);
    }
    line.insert(m_attribute + u"-metadata"_s, metadata);
    return {};
}

Result<void> ManifestWriter::writeBoxes(QJsonObject &line, const ExportItem &exportItem)
{
    const Item &item = exportItem.item;
    const QSize size = imageSizeOf(item);
    if (size.width() <= 0 || size.height() <= 0)
        return makeError(u"cannot write %1: the size of image %2 is unknown, and Ground Truth "
                         u"records it as image_size"_s.arg(m_path, item.path));
    const QRectF image(0, 0, size.width(), size.height());
    QList<const Annotation *> labels;
    QJsonArray annotations;
    QJsonArray objects;
    bool anyConfidence = false;
    for (const Annotation &annotation : exportItem.annotations) {
        if (!carries(TaskType::Boxes, shapeKind(annotation.shape)))
            continue; // listed by lossReport
        Result<const LabelClass *> labelClass = classOf(item, annotation);
        if (!labelClass)
            return labelClass.error();
        // Polygons and masks become their bounding boxes; all are clipped to the image.
        const QRectF box = boundsOf(annotation.shape) & image;
        if (box.isEmpty())
            continue; // wholly outside: counted by lossReport
        annotations.append(QJsonObject{{u"class_id"_s, (*labelClass)->position},
                                       {u"left"_s, box.x()},
                                       {u"top"_s, box.y()},
                                       {u"width"_s, box.width()},
                                       {u"height"_s, box.height()}});
        objects.append(confidenceEntry(annotation));
        anyConfidence = anyConfidence || annotation.provenance.confidence.has_value();
        labels.append(&annotation);
    }
    QList<const LabelClass *> all;
    for (const LabelClass &labelClass : m_sorted)
        all.append(&labelClass);
    // Ground Truth does not record the depth Fieldmark never reads; 3 is its common value.
    line.insert(m_attribute,
                QJsonObject{{u"image_size"_s, QJsonArray{QJsonObject{{u"width"_s, size.width()},
                                                                     {u"height"_s, size.height()},
                                                                     {u"depth"_s, 3}}}},
                            {u"annotations"_s, annotations}});
    QJsonObject metadata = this->metadata(labels);
    insertConfidences(metadata, u"objects"_s, objects, anyConfidence);
    metadata.insert(u"class-map"_s, classMap(all));
    line.insert(m_attribute + u"-metadata"_s, metadata);
    return {};
}

Result<void> ManifestWriter::writeSpans(QJsonObject &line, const ExportItem &exportItem)
{
    QList<const Annotation *> labels;
    QJsonArray entities;
    QJsonArray confidences;
    bool anyConfidence = false;
    for (const Annotation &annotation : exportItem.annotations) {
        const Span *span = std::get_if<Span>(&annotation.shape);
        if (!span)
            continue; // listed by lossReport
        Result<const LabelClass *> labelClass = classOf(exportItem.item, annotation);
        if (!labelClass)
            return labelClass.error();
        entities.append(QJsonObject{{u"label"_s, (*labelClass)->name},
                                    {u"startOffset"_s, span->start},
                                    {u"endOffset"_s, span->end}});
        confidences.append(confidenceEntry(annotation));
        anyConfidence = anyConfidence || annotation.provenance.confidence.has_value();
        labels.append(&annotation);
    }
    // Ground Truth lists the job's labels on every line.
    QJsonArray names;
    for (const LabelClass &labelClass : m_sorted)
        names.append(QJsonObject{{u"label"_s, labelClass.name}});
    line.insert(m_attribute, QJsonObject{{u"annotations"_s, QJsonObject{{u"entities"_s, entities},
                                                                        {u"labels"_s, names}}}});
    QJsonObject metadata = this->metadata(labels);
    insertConfidences(metadata, u"entities"_s, confidences, anyConfidence);
    line.insert(m_attribute + u"-metadata"_s, metadata);
    return {};
}

Result<void> ManifestWriter::writeSegmentation(QJsonObject &line, const ExportItem &exportItem,
                                               qsizetype index)
{
    const Item &item = exportItem.item;
    QList<const Annotation *> labels;
    // Ground Truth scores each class once per image: the least sure of its annotations.
    QHash<int, double> confidences;
    std::optional<double> lowest;
    for (const Annotation &annotation : exportItem.annotations) {
        if (!carries(TaskType::Segmentation, shapeKind(annotation.shape)))
            continue; // listed by lossReport
        if (Result<const LabelClass *> labelClass = classOf(item, annotation); !labelClass)
            return labelClass.error();
        labels.append(&annotation);
        const int value = m_palette.valueOf(annotation.classId);
        if (const std::optional<double> confidence = annotation.provenance.confidence) {
            confidences.insert(value, std::min(confidences.value(value, *confidence), *confidence));
            lowest = std::min(lowest.value_or(*confidence), *confidence);
        }
    }
    const QSize size = imageSizeOf(item);
    if (size.isEmpty())
        return makeError(u"cannot write %1: the size of image %2 is unknown, and its label map "
                         u"must match it"_s.arg(m_path, item.path));
    const cv::Mat labelMap = renderLabelMap(exportItem.annotations, m_palette, size);
    if (Result<void> saved = saveLabelMap(labelMap, m_palette, m_labels->filePath(m_names[index]));
        !saved)
        return saved;

    QJsonObject colorMap;
    for (const LabelMapEntry &entry : m_palette.entries()) {
        QJsonObject color{{u"class-name"_s, entry.name},
                          {u"hex-color"_s, entry.color.name(QColor::HexRgb)}};
        const std::optional<double> confidence =
            entry.value == 0 ? lowest
            : confidences.contains(entry.value)
                ? std::optional<double>(confidences.value(entry.value))
                : std::nullopt;
        if (confidence)
            color.insert(u"confidence"_s, *confidence);
        colorMap.insert(QString::number(entry.value), color);
    }
    line.insert(m_attribute, QString(m_labelFolder + u'/' + m_names[index]));
    QJsonObject metadata = this->metadata(labels);
    metadata.insert(u"internal-color-map"_s, colorMap);
    line.insert(m_attribute + u"-metadata"_s, metadata);
    return {};
}

} // namespace

QString GroundTruthFormat::name() const
{
    return u"groundtruth"_s;
}

QString GroundTruthFormat::displayName() const
{
    return u"SageMaker Ground Truth manifest"_s;
}

FormatCapabilities GroundTruthFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::ImageClassification, TaskType::ImageMultiLabel,
                               TaskType::Boxes, TaskType::Segmentation,
                               TaskType::TextClassification, TaskType::TextMultiLabel,
                               TaskType::Spans},
                              true,
                              true,
                              false};
}

QString GroundTruthFormat::fileFilter() const
{
    return u"Ground Truth manifest (*.manifest *.jsonl *.json)"_s;
}

QString GroundTruthFormat::labelAttributeName(const LabelTask &task)
{
    // Ground Truth allows letters, digits and single hyphens, and reserves "-metadata" and
    // (except for segmentation) a "-ref" ending.
    QString name;
    for (const QChar c : task.name) {
        if (c.isLetterOrNumber() && c.unicode() < 128)
            name += c;
        else if (!name.isEmpty() && !name.endsWith(u'-'))
            name += u'-';
    }
    while (name.endsWith(u'-'))
        name.chop(1);
    name.replace(u"-metadata"_s, u"-meta"_s);
    while (name.endsWith(u"-ref"_s))
        name.chop(4);
    if (name.isEmpty())
        name = u"label"_s;
    if (task.type == TaskType::Segmentation)
        name += u"-ref"_s;
    return name;
}

QString GroundTruthFormat::labelFolderFor(const QString &manifestPath)
{
    const QFileInfo info(manifestPath);
    return info.absoluteDir().absoluteFilePath(info.completeBaseName() + u"-labels"_s);
}

LossReport GroundTruthFormat::lossReport(const ExportData &data) const
{
    const TaskType type = data.task.type;
    qsizetype unwritten = 0, asBoxes = 0, clipped = 0, extraClasses = 0, reviewed = 0, mixed = 0,
              manyTimes = 0, mergedConfidences = 0;
    for (const ExportItem &exportItem : data.items) {
        const QRectF image(0, 0, exportItem.item.width, exportItem.item.height);
        QSet<qint64> tagClasses;
        QSet<qint64> times;
        QHash<qint64, int> scored; // annotations with a confidence, by class
        bool human = false, machine = false;
        for (const Annotation &annotation : exportItem.annotations) {
            const ShapeKind kind = shapeKind(annotation.shape);
            if (!carries(type, kind)) {
                ++unwritten;
                continue;
            }
            if (kind == ShapeKind::ClassTag)
                tagClasses.insert(annotation.classId);
            if (type == TaskType::Boxes) {
                if (kind != ShapeKind::Box)
                    ++asBoxes;
                if (!image.isEmpty() && !image.contains(boundsOf(annotation.shape)))
                    ++clipped;
            }
            if (annotation.provenance.confidence)
                ++scored[annotation.classId];
            const LabelState state = annotation.provenance.state;
            if (state == LabelState::MachineAccepted || state == LabelState::MachineEdited)
                ++reviewed;
            (isUnreviewedMachine(annotation) ? machine : human) = true;
            if (annotation.provenance.timeMs > 0)
                times.insert(annotation.provenance.timeMs);
        }
        if (!isMultiLabel(type) && tagClasses.size() > 1)
            extraClasses += tagClasses.size() - 1;
        for (int count : std::as_const(scored))
            mergedConfidences += count - 1;
        mixed += human && machine ? 1 : 0;
        manyTimes += times.size() > 1 ? 1 : 0;
    }
    LossReport report;
    if (type == TaskType::Segmentation) {
        // Tags and spans are counted with the other shapes a label map cannot hold.
        const LabelMapPalette palette = paletteFor(data.task);
        appendLabelMapLosses(report, labelMapLosses(data, palette));
        if (palette.classesThatDoNotFit() > 0)
            report.losses.append(u"%1 classes have positions past 254, which 8-bit label maps "
                                 u"cannot hold"_s.arg(palette.classesThatDoNotFit()));
        if (mergedConfidences > 0)
            report.losses.append(
                u"%1 confidences are merged: Ground Truth keeps one per class and image, the "
                u"lowest"_s.arg(mergedConfidences));
    } else if (unwritten > 0) {
        report.losses.append(
            u"%1 annotations are not written: a %2 manifest carries no other kind of label"_s.arg(
                QString::number(unwritten), groundtruth::typeName(type)));
    }
    if (extraClasses > 0)
        report.losses.append(u"%1 extra classes are not written: a single-label manifest keeps "
                             u"one class per item, the first"_s.arg(extraClasses));
    if (asBoxes > 0)
        report.losses.append(
            u"%1 polygons and masks are written as their bounding boxes"_s.arg(asBoxes));
    if (clipped > 0)
        report.losses.append(
            u"%1 boxes reach past their image and are clipped to it (boxes wholly outside are "
            u"dropped)"_s.arg(clipped));
    if (reviewed > 0)
        report.losses.append(u"%1 reviewed machine labels are written as human-annotated and "
                             u"read back as human labels"_s.arg(reviewed));
    if (mixed > 0)
        report.losses.append(
            u"%1 items mix human and unreviewed machine labels: Ground Truth keeps one "
            u"human-annotated flag per item, so their machine labels are written as "
            u"human-annotated"_s.arg(mixed));
    if (manyTimes > 0)
        report.losses.append(u"%1 items have labels made at different times: Ground Truth keeps "
                             u"one creation-date per item, the latest"_s.arg(manyTimes));
    appendUnwrittenAttributeLoss(report, data, {}, u"Ground Truth"_s);
    return report;
}

Result<FormatReadResult> GroundTruthFormat::readPath(const QString &path,
                                                     const Progress &progress) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    QByteArray bytes = file.readAll();
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3); // a UTF-8 byte order mark, as some editors write
    const QList<QByteArray> lines = bytes.split('\n');
    FormatReadResult result;
    GroundTruthReader reader(path, result);
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!progress.advance(i, lines.size()))
            return formatCancelled();
        const QByteArray line = lines[i].trimmed();
        if (!line.isEmpty())
            reader.readLine(i + 1, line);
    }
    return result;
}

Result<void> GroundTruthFormat::writeData(const ExportData &data, const QString &path,
                                          const Progress &progress) const
{
    // QSaveFile writes beside the target and renames on commit, so a crash, an error or a
    // cancel leaves either the old file or none, never half of one.
    // Label maps go to a staging folder that replaces the old one only when everything else
    // succeeded.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    const bool segmentation = data.task.type == TaskType::Segmentation;
    StagedFolder labels(labelFolderFor(path));
    if (segmentation) {
        if (Result<void> opened = labels.open(); !opened) {
            file.cancelWriting();
            return opened;
        }
    }
    ManifestWriter writer(data, path, &labels);
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size())) {
            file.cancelWriting();
            return formatCancelled();
        }
        Result<QJsonObject> line = writer.line(data.items[i], i);
        if (!line) {
            file.cancelWriting();
            return line.error();
        }
        file.write(QJsonDocument(*line).toJson(QJsonDocument::Compact) + '\n');
    }
    if (segmentation) {
        if (Result<void> committed = labels.commit(); !committed) {
            file.cancelWriting();
            return committed;
        }
    }
    if (!file.commit()) {
        labels.rollback();
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    }
    labels.finish();
    return {};
}

} // namespace fieldmark
