#include "cocoformat.h"

#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPolygonF>
#include <QSaveFile>
#include <QSet>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// A COCO mask covers its whole image; refuse sizes whose buffer would not be sane to allocate.
constexpr qint64 kMaxMaskPixels = qint64(1) << 28;
// Writers round; a box this far past the edge is still "inside".
constexpr double kEdgeTolerance = 0.01;

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// Ids must be whole numbers; COCO files store them as JSON numbers.
std::optional<qint64> toId(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9.0e15)
        return std::nullopt;
    return qint64(d);
}

// The mask painted over the whole image, written column-major as COCO's uncompressed RLE
// expects (pycocotools stores masks in Fortran order), starting with a run of zeros.
QJsonObject maskToCocoRle(const RleMask &rle, int width, int height, QRectF &bbox, qint64 &area)
{
    cv::Mat full = cv::Mat::zeros(height, width, CV_8UC1);
    const QRect bounds = rle.bounds();
    const QRect visible = bounds & QRect(0, 0, width, height);
    if (!visible.isEmpty()) {
        const cv::Mat local = rle.toMat();
        local(cv::Rect(visible.x() - bounds.x(), visible.y() - bounds.y(), visible.width(),
                       visible.height()))
            .copyTo(full(cv::Rect(visible.x(), visible.y(), visible.width(), visible.height())));
    }
    const cv::Rect box = cv::boundingRect(full);
    bbox = QRectF(box.x, box.y, box.width, box.height);
    area = cv::countNonZero(full);

    // Row-major runs of the transposed image are the column-major runs COCO wants.
    cv::Mat columns;
    cv::transpose(full, columns);
    const RleMask columnRuns = RleMask::fromMat(columns);
    QJsonArray counts;
    for (quint32 run : columnRuns.counts())
        counts.append(qint64(run));
    return QJsonObject{{u"counts"_s, counts}, {u"size"_s, QJsonArray{height, width}}};
}

// pycocotools' compressed counts (rleFrString): 5 bits a character offset by 48, a
// continuation bit, sign extension, and counts after the second stored as a difference to
// the count two before.
std::optional<QVector<qint64>> decodeCompressedCounts(const QByteArray &text)
{
    QVector<qint64> counts;
    qsizetype p = 0;
    while (p < text.size()) {
        qint64 x = 0;
        int k = 0;
        bool more = true;
        while (more) {
            if (p >= text.size() || k > 11)
                return std::nullopt;
            const int c = int(uchar(text[p])) - 48;
            if (c < 0 || c > 63)
                return std::nullopt;
            x |= qint64(c & 0x1f) << (5 * k);
            more = (c & 0x20) != 0;
            ++p;
            ++k;
            if (!more && (c & 0x10))
                x |= ~((qint64(1) << (5 * k)) - 1);
        }
        if (counts.size() > 2)
            x += counts[counts.size() - 2];
        counts.append(x);
    }
    return counts;
}

// Column-major runs over a height x width image, cropped to the set pixels.
std::optional<RleMask> maskFromCocoRuns(const QVector<qint64> &counts, int height, int width)
{
    cv::Mat columns = cv::Mat::zeros(width, height, CV_8UC1);
    uchar *data = columns.data;
    qint64 pos = 0;
    bool set = false;
    for (qint64 run : counts) {
        if (set)
            std::fill(data + pos, data + pos + run, uchar(255));
        pos += run;
        set = !set;
    }
    cv::Mat full;
    cv::transpose(columns, full);
    const cv::Rect box = cv::boundingRect(full);
    if (box.empty())
        return std::nullopt;
    return RleMask::fromMat(full(box), QPoint(box.x, box.y));
}

double polygonArea(const QVector<QPointF> &points)
{
    double twice = 0;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF &a = points[i];
        const QPointF &b = points[(i + 1) % points.size()];
        twice += a.x() * b.y() - b.x() * a.y();
    }
    return std::abs(twice) / 2;
}

QJsonArray boxJson(const QRectF &r)
{
    return QJsonArray{r.x(), r.y(), r.width(), r.height()};
}

// Reads "annotations" records; kept apart from CocoFormat::read so each stays short.
class CocoReader
{
public:
    CocoReader(const QString &path, FormatReadResult &result)
        : m_path(path)
        , m_result(result)
        , m_base(QFileInfo(path).absoluteDir())
    {}

    void readImages(const QJsonArray &images);
    void readCategories(const QJsonArray &categories);
    void readAnnotation(qsizetype index, const QJsonValue &value);

    void problem(const QString &where, const QString &reason)
    {
        m_result.problems.append(FormatProblem{m_path + u": "_s + where, reason});
    }

private:
    std::optional<Shape> readRle(const QString &where, const QJsonObject &rle,
                                 const ImportedItem &item);

    QString m_path;
    FormatReadResult &m_result;
    QDir m_base;
    QHash<qint64, qsizetype> m_imageIndex;
    QSet<qint64> m_skippedImages;
    QHash<qint64, QString> m_categoryName;
};

void CocoReader::readImages(const QJsonArray &images)
{
    for (qsizetype i = 0; i < images.size(); ++i) {
        const QString where = u"images[%1]"_s.arg(i);
        const QJsonObject image = images[i].toObject();
        if (!images[i].isObject()) {
            problem(where, u"an image record must be an object"_s);
            continue;
        }
        const std::optional<qint64> id = toId(image[u"id"_s]);
        if (!id) {
            problem(where + u".id"_s, u"missing or not a whole number"_s);
            continue;
        }
        const QString fileName = image[u"file_name"_s].toString();
        if (fileName.isEmpty()) {
            problem(where + u".file_name"_s, u"missing or empty"_s);
            m_skippedImages.insert(*id);
            continue;
        }
        if (m_imageIndex.contains(*id) || m_skippedImages.contains(*id)) {
            problem(where + u".id"_s, u"image id %1 is used twice; skipped"_s.arg(*id));
            continue;
        }
        // Images are linked by path; one that escapes the JSON's folder is refused, so an
        // import can never point the project at files the user did not hand over.
        const QString absolute = QDir::cleanPath(m_base.absoluteFilePath(fileName));
        if (!liesInside(m_base, absolute)) {
            problem(where + u".file_name"_s,
                    u"\"%1\" lies outside the folder of the JSON file (%2); skipped"_s.arg(
                        fileName, m_base.absolutePath()));
            m_skippedImages.insert(*id);
            continue;
        }
        ImportedItem item;
        item.path = absolute;
        const std::optional<qint64> width = toId(image[u"width"_s]);
        const std::optional<qint64> height = toId(image[u"height"_s]);
        if (image.contains(u"width"_s) && (!width || *width <= 0 || *width > 1000000))
            problem(where + u".width"_s, u"not a positive whole number"_s);
        else if (width)
            item.width = int(*width);
        if (image.contains(u"height"_s) && (!height || *height <= 0 || *height > 1000000))
            problem(where + u".height"_s, u"not a positive whole number"_s);
        else if (height)
            item.height = int(*height);
        item.extra = image;
        for (const QString &key : {u"id"_s, u"file_name"_s, u"width"_s, u"height"_s})
            item.extra.remove(key);
        m_imageIndex.insert(*id, m_result.items.size());
        m_result.items.append(std::move(item));
    }
}

void CocoReader::readCategories(const QJsonArray &categories)
{
    for (qsizetype i = 0; i < categories.size(); ++i) {
        const QString where = u"categories[%1]"_s.arg(i);
        const QJsonObject category = categories[i].toObject();
        const std::optional<qint64> id = toId(category[u"id"_s]);
        const QString name = category[u"name"_s].toString();
        if (!id) {
            problem(where + u".id"_s, u"missing or not a whole number"_s);
            continue;
        }
        if (name.isEmpty()) {
            problem(where + u".name"_s, u"missing or empty"_s);
            continue;
        }
        if (m_categoryName.contains(*id)) {
            problem(where + u".id"_s, u"category id %1 is used twice; skipped"_s.arg(*id));
            continue;
        }
        m_categoryName.insert(*id, name);
        if (!m_result.classes.contains(name))
            m_result.classes.append(name);
    }
}

std::optional<Shape> CocoReader::readRle(const QString &where, const QJsonObject &rle,
                                         const ImportedItem &item)
{
    const QJsonArray size = rle[u"size"_s].toArray();
    // 0 stands for "missing or not a whole number", which the check below refuses too.
    const qint64 height = size.size() == 2 ? toId(size[0]).value_or(0) : 0;
    const qint64 width = size.size() == 2 ? toId(size[1]).value_or(0) : 0;
    if (height <= 0 || width <= 0 || height * width > kMaxMaskPixels) {
        problem(where + u".size"_s, u"must be [height, width] with positive whole numbers"_s);
        return std::nullopt;
    }
    if ((item.width > 0 && item.width != width) || (item.height > 0 && item.height != height)) {
        problem(where + u".size"_s, u"mask size %1x%2 does not match its %3x%4 image"_s.arg(width)
                                        .arg(height)
                                        .arg(item.width)
                                        .arg(item.height));
        return std::nullopt;
    }
    QVector<qint64> counts;
    const QJsonValue countsValue = rle[u"counts"_s];
    if (countsValue.isString()) {
        std::optional<QVector<qint64>> decoded =
            decodeCompressedCounts(countsValue.toString().toLatin1());
        if (!decoded) {
            problem(where + u".counts"_s, u"compressed RLE string is malformed"_s);
            return std::nullopt;
        }
        counts = std::move(*decoded);
    } else if (countsValue.isArray()) {
        const QJsonArray array = countsValue.toArray();
        counts.reserve(array.size());
        for (qsizetype j = 0; j < array.size(); ++j) {
            const std::optional<qint64> run = toId(array[j]);
            if (!run) {
                problem(where + u".counts[%1]"_s.arg(j), u"not a whole number"_s);
                return std::nullopt;
            }
            counts.append(*run);
        }
    } else {
        problem(where + u".counts"_s, u"missing: must be an array of runs or a string"_s);
        return std::nullopt;
    }
    qint64 sum = 0;
    for (qint64 run : counts) {
        if (run < 0) {
            problem(where + u".counts"_s, u"holds a negative run"_s);
            return std::nullopt;
        }
        sum += run;
    }
    if (sum != width * height) {
        problem(
            where + u".counts"_s,
            u"runs cover %1 pixels but a %2x%3 mask holds %4"_s.arg(sum).arg(width).arg(height).arg(
                width * height));
        return std::nullopt;
    }
    std::optional<RleMask> mask = maskFromCocoRuns(counts, int(height), int(width));
    if (!mask) {
        problem(where, u"the mask is empty"_s);
        return std::nullopt;
    }
    return Shape(Mask{std::move(*mask)});
}

void CocoReader::readAnnotation(qsizetype index, const QJsonValue &value)
{
    const QString where = u"annotations[%1]"_s.arg(index);
    if (!value.isObject()) {
        problem(where, u"an annotation record must be an object"_s);
        return;
    }
    const QJsonObject annotation = value.toObject();
    const std::optional<qint64> imageId = toId(annotation[u"image_id"_s]);
    if (imageId && m_skippedImages.contains(*imageId))
        return; // its image was already reported
    if (!imageId || !m_imageIndex.contains(*imageId)) {
        problem(where + u".image_id"_s,
                imageId ? u"no image has id %1"_s.arg(*imageId) : u"missing or not a number"_s);
        return;
    }
    const std::optional<qint64> categoryId = toId(annotation[u"category_id"_s]);
    if (!categoryId || !m_categoryName.contains(*categoryId)) {
        problem(where + u".category_id"_s, categoryId ? u"no category has id %1"_s.arg(*categoryId)
                                                      : u"missing or not a number"_s);
        return;
    }
    ImportedItem &item = m_result.items[m_imageIndex.value(*imageId)];
    ImportedAnnotation imported;
    imported.className = m_categoryName.value(*categoryId);
    if (annotation[u"score"_s].isDouble())
        imported.confidence = annotation[u"score"_s].toDouble();

    const QJsonValue segmentation = annotation[u"segmentation"_s];
    if (segmentation.isObject()) {
        std::optional<Shape> mask =
            readRle(where + u".segmentation"_s, segmentation.toObject(), item);
        if (!mask)
            return;
        imported.shape = std::move(*mask);
        item.annotations.append(std::move(imported));
        return;
    }
    const QJsonArray parts = segmentation.toArray();
    if (!parts.isEmpty()) {
        // COCO lets one object have several polygons; Fieldmark holds one polygon each.
        for (qsizetype j = 0; j < parts.size(); ++j) {
            const QString partWhere = where + u".segmentation[%1]"_s.arg(j);
            const QJsonArray numbers = parts[j].toArray();
            if (numbers.size() < 6 || numbers.size() % 2 != 0) {
                problem(partWhere, u"a polygon needs pairs of numbers for at least 3 points, "
                                   u"found %1 numbers"_s.arg(numbers.size()));
                continue;
            }
            Polygon polygon;
            polygon.points.reserve(numbers.size() / 2);
            bool numeric = true;
            for (qsizetype k = 0; k + 1 < numbers.size(); k += 2) {
                numeric = numeric && numbers[k].isDouble() && numbers[k + 1].isDouble();
                polygon.points.append(QPointF(numbers[k].toDouble(), numbers[k + 1].toDouble()));
            }
            if (!numeric) {
                problem(partWhere, u"holds something that is not a number"_s);
                continue;
            }
            ImportedAnnotation part = imported;
            part.shape = std::move(polygon);
            item.annotations.append(std::move(part));
        }
        return;
    }

    const QJsonArray bbox = annotation[u"bbox"_s].toArray();
    const bool numeric =
        std::all_of(bbox.begin(), bbox.end(), [](const QJsonValue &v) { return v.isDouble(); });
    if (bbox.size() != 4 || !numeric) {
        problem(where + u".bbox"_s, u"must be 4 numbers [x, y, width, height]"_s);
        return;
    }
    const Box box{bbox[0].toDouble(), bbox[1].toDouble(), bbox[2].toDouble(), bbox[3].toDouble()};
    if (box.width < 0 || box.height < 0) {
        problem(where + u".bbox"_s, u"width and height must not be negative"_s);
        return;
    }
    if (item.width > 0 && item.height > 0 &&
        (box.x < -kEdgeTolerance || box.y < -kEdgeTolerance ||
         box.x + box.width > item.width + kEdgeTolerance ||
         box.y + box.height > item.height + kEdgeTolerance)) {
        problem(where + u".bbox"_s,
                u"box [%1, %2, %3, %4] lies outside its %5x%6 image"_s.arg(box.x)
                    .arg(box.y)
                    .arg(box.width)
                    .arg(box.height)
                    .arg(item.width)
                    .arg(item.height));
        return;
    }
    // Within the tolerance past an edge is on it.
    imported.shape =
        item.width > 0 && item.height > 0 ? clampedToImage(box, item.width, item.height) : box;
    item.annotations.append(std::move(imported));
}

} // namespace

QString CocoFormat::name() const
{
    return u"coco"_s;
}

QString CocoFormat::displayName() const
{
    return u"COCO JSON"_s;
}

QString CocoFormat::fileFilter() const
{
    return u"COCO JSON (*.json)"_s;
}

FormatCapabilities CocoFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::Boxes, TaskType::Segmentation}, true, true, false};
}

LossReport CocoFormat::lossReport(const ExportData &data) const
{
    const LabelCensus census = LabelCensus::of(data);
    qsizetype croppedMasks = 0;
    for (const ExportItem &exportItem : data.items) {
        const QRect image(0, 0, exportItem.item.width, exportItem.item.height);
        for (const Annotation &annotation : exportItem.annotations) {
            if (const Mask *mask = std::get_if<Mask>(&annotation.shape);
                mask && !image.isEmpty() && !image.contains(mask->rle.bounds()))
                ++croppedMasks;
        }
    }
    LossReport report;
    appendUnwrittenShapeLosses(report, census, u"COCO"_s);
    if (croppedMasks > 0)
        report.losses.append(
            u"%1 masks reach past their image and are cropped to it"_s.arg(croppedMasks));
    appendProvenanceLoss(report, census);
    return report;
}

Result<FormatReadResult> CocoFormat::readPath(const QString &path, const Progress &progress) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt gives a byte offset; people look for a line and column.
        return makeError(u"%1:%2: malformed JSON: %3"_s.arg(
            path, lineColumnAt(bytes, parseError.offset), parseError.errorString()));
    }
    if (!document.isObject())
        return makeError(u"%1: not a COCO file: the top level is not a JSON object"_s.arg(path));
    const QJsonObject root = document.object();

    FormatReadResult result;
    CocoReader reader(path, result);
    if (!root[u"images"_s].isArray())
        reader.problem(u"images"_s, u"missing or not an array"_s);
    if (!root[u"categories"_s].isArray())
        reader.problem(u"categories"_s, u"missing or not an array"_s);
    if (root.contains(u"annotations"_s) && !root[u"annotations"_s].isArray())
        reader.problem(u"annotations"_s, u"not an array"_s);
    reader.readImages(root[u"images"_s].toArray());
    reader.readCategories(root[u"categories"_s].toArray());
    const QJsonArray annotations = root[u"annotations"_s].toArray();
    for (qsizetype i = 0; i < annotations.size(); ++i) {
        if (i % 1024 == 0 && !progress.advance(i, annotations.size()))
            return formatCancelled();
        reader.readAnnotation(i, annotations[i]);
    }
    return result;
}

Result<void> CocoFormat::writeData(const ExportData &data, const QString &path,
                                   const Progress &progress) const
{
    QHash<qint64, int> categoryOf;
    QList<LabelClass> classes = data.task.classes;
    std::sort(classes.begin(), classes.end(),
              [](const LabelClass &a, const LabelClass &b) { return a.position < b.position; });
    for (const LabelClass &labelClass : classes)
        categoryOf.insert(labelClass.id, labelClass.position + 1);

    // QSaveFile writes beside the target and renames on commit, so a crash or an error
    // leaves either the old file or none, never half of one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));

    // One record at a time, so a large export never holds the whole document in memory.
    const QJsonObject info{
        {u"description"_s, u"Exported from Fieldmark, task \"%1\""_s.arg(data.task.name)},
        {u"version"_s, u"1.0"_s}};
    file.write("{\"info\":" + compact(info) + ",\n\"images\":[");
    const QDir root(data.datasetRoot);
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        const Item &item = data.items[i].item;
        QString fileName = item.path;
        if (!data.datasetRoot.isEmpty()) {
            if (liesInside(root, item.path))
                fileName = root.relativeFilePath(item.path);
        }
        const QJsonObject image{{u"id"_s, i + 1},
                                {u"file_name"_s, fileName},
                                {u"width"_s, item.width},
                                {u"height"_s, item.height}};
        file.write((i ? ",\n" : "\n") + compact(image));
    }
    file.write("],\n\"annotations\":[");
    qint64 annotationId = 0;
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size())) {
            file.cancelWriting();
            return formatCancelled();
        }
        const Item &item = data.items[i].item;
        for (const Annotation &annotation : data.items[i].annotations) {
            const ShapeKind kind = shapeKind(annotation.shape);
            if (kind == ShapeKind::ClassTag || kind == ShapeKind::Span)
                continue; // listed by lossReport
            const auto category = categoryOf.constFind(annotation.classId);
            if (category == categoryOf.cend()) {
                file.cancelWriting();
                return makeError(u"cannot write %1: an annotation on %2 has class id %3, which "
                                 u"task \"%4\" does not have"_s.arg(path, item.path)
                                     .arg(annotation.classId)
                                     .arg(data.task.name));
            }
            QJsonObject record{{u"id"_s, ++annotationId},
                               {u"image_id"_s, i + 1},
                               {u"category_id"_s, *category},
                               {u"iscrowd"_s, 0}};
            if (kind == ShapeKind::Box) {
                const Box &box = std::get<Box>(annotation.shape);
                record.insert(u"bbox"_s, boxJson(box.rect()));
                record.insert(u"area"_s, box.width * box.height);
                record.insert(u"segmentation"_s, QJsonArray());
            } else if (kind == ShapeKind::Polygon) {
                const QVector<QPointF> &points = std::get<Polygon>(annotation.shape).points;
                QJsonArray flat;
                for (const QPointF &point : points) {
                    flat.append(point.x());
                    flat.append(point.y());
                }
                record.insert(u"bbox"_s, boxJson(QPolygonF(points).boundingRect()));
                record.insert(u"area"_s, polygonArea(points));
                record.insert(u"segmentation"_s, QJsonArray{flat});
            } else {
                const RleMask &rle = std::get<Mask>(annotation.shape).rle;
                // Without a known image size, the mask's own extent is the best canvas.
                const int width =
                    item.width > 0 ? item.width : std::max(0, rle.bounds().right() + 1);
                const int height =
                    item.height > 0 ? item.height : std::max(0, rle.bounds().bottom() + 1);
                if (qint64(width) * height <= 0 || qint64(width) * height > kMaxMaskPixels) {
                    file.cancelWriting();
                    return makeError(
                        u"cannot write %1: the mask on %2 has no usable image size"_s.arg(
                            path, item.path));
                }
                QRectF bbox;
                qint64 area = 0;
                record.insert(u"segmentation"_s, maskToCocoRle(rle, width, height, bbox, area));
                record.insert(u"bbox"_s, boxJson(bbox));
                record.insert(u"area"_s, area);
            }
            if (annotation.provenance.confidence)
                record.insert(u"score"_s, *annotation.provenance.confidence);
            file.write((annotationId > 1 ? ",\n" : "\n") + compact(record));
        }
    }
    file.write("],\n\"categories\":[");
    for (qsizetype i = 0; i < classes.size(); ++i) {
        const QJsonObject category{{u"id"_s, classes[i].position + 1},
                                   {u"name"_s, classes[i].name},
                                   {u"supercategory"_s, u""_s}};
        file.write((i ? ",\n" : "\n") + compact(category));
    }
    file.write("]}\n");
    if (!file.commit())
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

} // namespace fieldmark
