#include "labelmeformat.h"

#include "core/formats/formatutil.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QPolygonF>

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// Writers round; a point this far past the edge is still "inside".
constexpr double kEdgeTolerance = 0.01;
// labelme 5.4 writes this schema (description and mask included).
const QString kVersion = u"5.4.1"_s;
const QString kGroupId = u"group_id"_s;
const QString kFlags = u"flags"_s;
const QString kDescription = u"description"_s;

bool isImageClassTask(TaskType type)
{
    return type == TaskType::ImageClassification || type == TaskType::ImageMultiLabel;
}

// A polygon standing for a circle: enough vertices that each edge strays at most a quarter
// pixel inside the circle.
Polygon circlePolygon(QPointF centre, double radius)
{
    constexpr double kMaxError = 0.25;
    int count = 8;
    if (radius > kMaxError)
        count = int(std::ceil(std::numbers::pi / std::acos(1 - kMaxError / radius)));
    count = std::clamp(count, 8, 720);
    Polygon polygon;
    polygon.points.reserve(count);
    for (int k = 0; k < count; ++k) {
        const double angle = 2 * std::numbers::pi * k / count;
        polygon.points.append(centre + QPointF(radius * std::cos(angle), radius * std::sin(angle)));
    }
    return polygon;
}

QJsonArray pointsJson(const QVector<QPointF> &points)
{
    QJsonArray array;
    for (const QPointF &p : points)
        array.append(QJsonArray{p.x(), p.y()});
    return array;
}

// Reads one labelme file into an item; problems name the file and the JSON path.
class LabelmeFileReader
{
public:
    LabelmeFileReader(const QDir &root, const QString &path, FormatReadResult &result)
        : m_root(root)
        , m_path(path)
        , m_display(root.relativeFilePath(path))
        , m_result(result)
    {}

    void read();

private:
    void problem(const QString &where, const QString &reason)
    {
        m_result.problems.append(FormatProblem{m_display + u": "_s + where, reason});
    }
    bool readImage(const QJsonObject &root, ImportedItem &item);
    void readFlags(const QJsonValue &flags, ImportedItem &item);
    void readShape(qsizetype index, const QJsonValue &value, ImportedItem &item);
    std::optional<QVector<QPointF>> readPoints(const QString &where, const QJsonValue &value);
    std::optional<Shape> readMask(const QString &where, const QJsonObject &shape,
                                  const QVector<QPointF> &corners);
    void addClass(const QString &name)
    {
        if (!m_result.classes.contains(name))
            m_result.classes.append(name);
    }

    QDir m_root;
    QString m_path;
    QString m_display;
    FormatReadResult &m_result;
};

void LabelmeFileReader::read()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_result.problems.append(FormatProblem{m_display, file.errorString()});
        return;
    }
    const QByteArray bytes = file.readAll();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        m_result.problems.append(
            FormatProblem{m_display + u':' + lineColumnAt(bytes, parseError.offset),
                          u"malformed JSON: %1"_s.arg(parseError.errorString())});
        return;
    }
    if (!document.isObject()) {
        m_result.problems.append(
            FormatProblem{m_display, u"not a labelme file: the top level is not a JSON object"_s});
        return;
    }
    const QJsonObject root = document.object();
    ImportedItem item;
    item.sourceRef = m_display;
    if (!readImage(root, item))
        return;
    readFlags(root[kFlags], item);
    const QJsonValue shapes = root[u"shapes"_s];
    if (!shapes.isArray()) {
        problem(u"shapes"_s, u"missing or not an array"_s);
    } else {
        const QJsonArray array = shapes.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            readShape(i, array[i], item);
    }
    m_result.items.append(std::move(item));
}

bool LabelmeFileReader::readImage(const QJsonObject &root, ImportedItem &item)
{
    const QJsonValue imagePath = root[u"imagePath"_s];
    if (!imagePath.isString() || imagePath.toString().isEmpty()) {
        problem(u"imagePath"_s, u"missing, empty or not a string"_s);
        return false;
    }
    // labelme on Windows writes backslashes.
    const QString relative = imagePath.toString().replace(u'\\', u'/');
    const QString absolute =
        QDir::cleanPath(QFileInfo(m_path).absoluteDir().absoluteFilePath(relative));
    if (!liesInside(m_root, absolute)) {
        problem(u"imagePath"_s, u"\"%1\" lies outside the dataset folder (%2); skipped"_s.arg(
                                    imagePath.toString(), m_root.absolutePath()));
        return false;
    }
    if (!QFileInfo(absolute).isFile()) {
        problem(u"imagePath"_s, u"the image %1 is missing"_s.arg(absolute));
        return false;
    }
    item.path = absolute;
    int size[2] = {};
    const QString keys[2] = {u"imageWidth"_s, u"imageHeight"_s};
    for (int k = 0; k < 2; ++k) {
        const QJsonValue value = root[keys[k]];
        const double d = value.toDouble();
        if (value.isDouble() && d == std::floor(d) && d > 0 && d <= 1000000)
            size[k] = int(d);
        else if (!value.isUndefined() && !value.isNull())
            problem(keys[k], u"not a positive whole number; the size is taken from the image"_s);
    }
    if (size[0] <= 0 || size[1] <= 0) {
        const QSize header = QImageReader(absolute).size();
        if (header.width() <= 0 || header.height() <= 0) {
            problem(u"imagePath"_s, u"no imageWidth and imageHeight, and cannot read the size "
                                    u"of the image %1"_s.arg(absolute));
            return false;
        }
        size[0] = header.width();
        size[1] = header.height();
    }
    item.width = size[0];
    item.height = size[1];
    return true;
}

void LabelmeFileReader::readFlags(const QJsonValue &flags, ImportedItem &item)
{
    if (flags.isUndefined() || flags.isNull())
        return;
    if (!flags.isObject()) {
        problem(kFlags, u"not an object of class names to true or false"_s);
        return;
    }
    const QJsonObject object = flags.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isBool()) {
            problem(kFlags + u'.' + it.key(), u"must be true or false"_s);
            continue;
        }
        if (it.key().isEmpty()) {
            problem(kFlags, u"a flag has an empty name"_s);
            continue;
        }
        addClass(it.key());
        if (it.value().toBool()) {
            ImportedAnnotation tag;
            tag.className = it.key();
            tag.shape = ClassTag{};
            item.annotations.append(std::move(tag));
        }
    }
}

std::optional<QVector<QPointF>> LabelmeFileReader::readPoints(const QString &where,
                                                              const QJsonValue &value)
{
    if (!value.isArray()) {
        problem(where, u"missing or not a list of [x, y] points"_s);
        return std::nullopt;
    }
    const QJsonArray array = value.toArray();
    QVector<QPointF> points;
    points.reserve(array.size());
    for (qsizetype j = 0; j < array.size(); ++j) {
        const QJsonArray pair = array[j].toArray();
        if (pair.size() != 2 || !pair[0].isDouble() || !pair[1].isDouble()) {
            problem(where + u"[%1]"_s.arg(j), u"not an [x, y] pair of numbers"_s);
            return std::nullopt;
        }
        points.append(QPointF(pair[0].toDouble(), pair[1].toDouble()));
    }
    return points;
}

// labelme 5.3+: the two corners of the mask's box (whole pixels, both included) and a PNG of
// the box, base64.
std::optional<Shape> LabelmeFileReader::readMask(const QString &where, const QJsonObject &shape,
                                                 const QVector<QPointF> &corners)
{
    if (corners.size() != 2) {
        problem(where + u".points"_s,
                u"a mask needs 2 corner points, found %1"_s.arg(corners.size()));
        return std::nullopt;
    }
    const QJsonValue data = shape[u"mask"_s];
    const auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                        QByteArray::AbortOnBase64DecodingErrors);
    QImage image;
    if (data.isString() && decoded)
        image = QImage::fromData(*decoded, "PNG");
    if (image.isNull()) {
        problem(where + u".mask"_s, u"missing or not a base64 PNG image"_s);
        return std::nullopt;
    }
    const QPoint origin(int(std::lround(std::min(corners[0].x(), corners[1].x()))),
                        int(std::lround(std::min(corners[0].y(), corners[1].y()))));
    const QSize span(int(std::lround(std::abs(corners[1].x() - corners[0].x()))) + 1,
                     int(std::lround(std::abs(corners[1].y() - corners[0].y()))) + 1);
    if (image.size() != span) {
        problem(where + u".mask"_s,
                u"the mask is %1x%2 pixels but its corners span %3x%4"_s.arg(image.width())
                    .arg(image.height())
                    .arg(span.width())
                    .arg(span.height()));
        return std::nullopt;
    }
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
    cv::Mat mat(grey.height(), grey.width(), CV_8UC1);
    for (int y = 0; y < grey.height(); ++y) {
        const uchar *line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            mat.at<uchar>(y, x) = line[x] ? 255 : 0;
    }
    const RleMask rle = RleMask::fromMat(mat, origin);
    if (rle.isEmpty()) {
        problem(where + u".mask"_s, u"the mask is empty"_s);
        return std::nullopt;
    }
    return Shape(Mask{rle});
}

void LabelmeFileReader::readShape(qsizetype index, const QJsonValue &value, ImportedItem &item)
{
    const QString where = u"shapes[%1]"_s.arg(index);
    if (!value.isObject()) {
        problem(where, u"a shape must be an object"_s);
        return;
    }
    const QJsonObject shape = value.toObject();
    const QJsonValue label = shape[u"label"_s];
    if (!label.isString() || label.toString().isEmpty()) {
        problem(where + u".label"_s, u"missing, empty or not a string"_s);
        return;
    }
    const QJsonValue typeValue = shape[u"shape_type"_s];
    if (!typeValue.isUndefined() && !typeValue.isNull() && !typeValue.isString()) {
        problem(where + u".shape_type"_s, u"not a string"_s);
        return;
    }
    // labelme reads a shape without a type as a polygon.
    const QString type = typeValue.isString() ? typeValue.toString() : u"polygon"_s;
    if (type == u"point"_s || type == u"points"_s || type == u"line"_s || type == u"linestrip"_s) {
        problem(where + u".shape_type"_s,
                u"a \"%1\" encloses no area; Fieldmark keeps rectangles, polygons, circles and "
                u"masks; skipped"_s.arg(type));
        return;
    }
    ImportedAnnotation imported;
    imported.className = label.toString();
    for (const QString &key : {kGroupId, kFlags, kDescription}) {
        const QJsonValue attribute = shape[key];
        if (attribute.isUndefined() || attribute.isNull())
            continue;
        const bool fits = key == kGroupId ? attribute.isDouble()
                          : key == kFlags ? attribute.isObject()
                                          : attribute.isString();
        if (!fits) {
            problem(where + u'.' + key, key == kGroupId ? u"must be a number or null"_s
                                        : key == kFlags ? u"must be an object"_s
                                                        : u"must be a string"_s);
            return;
        }
        // Empty values are labelme's defaults: not worth keeping.
        if ((key == kFlags && attribute.toObject().isEmpty()) ||
            (key == kDescription && attribute.toString().isEmpty()))
            continue;
        imported.attributes.insert(key, attribute);
    }
    const QString pointsWhere = where + u".points"_s;
    const std::optional<QVector<QPointF>> points = readPoints(pointsWhere, shape[u"points"_s]);
    if (!points)
        return;
    if (type == u"rectangle"_s) {
        if (points->size() != 2) {
            problem(pointsWhere,
                    u"a rectangle needs 2 corner points, found %1"_s.arg(points->size()));
            return;
        }
        const QRectF r = QRectF((*points)[0], (*points)[1]).normalized();
        if (r.width() <= 0 || r.height() <= 0) {
            problem(pointsWhere, u"the rectangle has no area"_s);
            return;
        }
        imported.shape = Box{r.x(), r.y(), r.width(), r.height()};
    } else if (type == u"polygon"_s) {
        if (points->size() < 3) {
            problem(pointsWhere,
                    u"a polygon needs at least 3 points, found %1"_s.arg(points->size()));
            return;
        }
        imported.shape = Polygon{*points};
    } else if (type == u"circle"_s) {
        if (points->size() != 2) {
            problem(pointsWhere, u"a circle needs its centre and a point on it, found %1 "
                                 u"points"_s.arg(points->size()));
            return;
        }
        const QPointF d = (*points)[1] - (*points)[0];
        const double radius = std::hypot(d.x(), d.y());
        if (radius <= 0) {
            problem(pointsWhere, u"the circle has no area"_s);
            return;
        }
        imported.shape = circlePolygon((*points)[0], radius);
    } else if (type == u"mask"_s) {
        std::optional<Shape> mask = readMask(where, shape, *points);
        if (!mask)
            return;
        imported.shape = std::move(*mask);
    } else {
        problem(where + u".shape_type"_s, u"unknown shape type \"%1\""_s.arg(type));
        return;
    }

    // The whole shape must lie on its image.
    QRectF extent;
    if (const Mask *mask = std::get_if<Mask>(&imported.shape))
        extent = QRectF(mask->rle.bounds());
    else if (const Box *box = std::get_if<Box>(&imported.shape))
        extent = box->rect();
    else
        extent = QPolygonF(std::get<Polygon>(imported.shape).points).boundingRect();
    if (extent.left() < -kEdgeTolerance || extent.top() < -kEdgeTolerance ||
        extent.right() > item.width + kEdgeTolerance ||
        extent.bottom() > item.height + kEdgeTolerance) {
        problem(
            pointsWhere,
            u"the %1 reaches past its %2x%3 image"_s.arg(type).arg(item.width).arg(item.height));
        return;
    }
    addClass(imported.className);
    item.annotations.append(std::move(imported));
}

QJsonObject shapeJson(const QString &label, const QString &type, const QVector<QPointF> &points,
                      const QJsonObject &attributes)
{
    const QJsonValue groupId = attributes.value(kGroupId);
    const QJsonValue flags = attributes.value(kFlags);
    const QJsonValue description = attributes.value(kDescription);
    return QJsonObject{{u"label"_s, label},
                       {u"points"_s, pointsJson(points)},
                       {kGroupId, groupId.isDouble() ? groupId : QJsonValue()},
                       {kDescription, description.isString() ? description : QJsonValue(u""_s)},
                       {u"shape_type"_s, type},
                       {kFlags, flags.isObject() ? flags : QJsonObject()}};
}

// One item's labelme file.
Result<QByteArray> itemJson(const ExportItem &exportItem, const LabelTask &task, const QDir &folder)
{
    const Item &item = exportItem.item;
    const QSize size = imageSizeOf(item);
    if (size.width() <= 0 || size.height() <= 0)
        return makeError(
            u"the size of image %1 is unknown, and labelme records it"_s.arg(item.path));

    QJsonObject flags;
    if (isImageClassTask(task.type)) {
        for (const LabelClass &labelClass : task.classes)
            flags.insert(labelClass.name, false);
    }
    QJsonArray shapes;
    for (const Annotation &annotation : exportItem.annotations) {
        const ShapeKind kind = shapeKind(annotation.shape);
        if (kind == ShapeKind::Span)
            continue; // listed by lossReport
        const LabelClass *labelClass = task.classById(annotation.classId);
        if (!labelClass)
            return makeError(u"an annotation on %1 has class id %2, which task \"%3\" does not "
                             u"have"_s.arg(item.path)
                                 .arg(annotation.classId)
                                 .arg(task.name));
        const QString &label = labelClass->name;
        if (kind == ShapeKind::ClassTag) {
            flags.insert(label, true);
        } else if (kind == ShapeKind::Box) {
            const QRectF r = std::get<Box>(annotation.shape).rect();
            shapes.append(shapeJson(label, u"rectangle"_s, {r.topLeft(), r.bottomRight()},
                                    annotation.attributes));
        } else if (kind == ShapeKind::Polygon) {
            shapes.append(shapeJson(label, u"polygon"_s, std::get<Polygon>(annotation.shape).points,
                                    annotation.attributes));
        } else {
            for (const QVector<QPointF> &outline :
                 maskOutlines(std::get<Mask>(annotation.shape).rle))
                shapes.append(shapeJson(label, u"polygon"_s, outline, annotation.attributes));
        }
    }
    const QJsonObject root{
        {u"version"_s, kVersion},       {kFlags, flags},
        {u"shapes"_s, shapes},          {u"imagePath"_s, folder.relativeFilePath(item.path)},
        {u"imageData"_s, QJsonValue()}, {u"imageHeight"_s, size.height()},
        {u"imageWidth"_s, size.width()}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace

QString LabelmeFormat::name() const
{
    return u"labelme"_s;
}

QString LabelmeFormat::displayName() const
{
    return u"labelme JSON"_s;
}

FormatCapabilities LabelmeFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::ImageClassification, TaskType::ImageMultiLabel,
                               TaskType::Boxes, TaskType::Segmentation},
                              true,
                              true,
                              true};
}

LossReport LabelmeFormat::lossReport(const ExportData &data) const
{
    LabelCensus census = LabelCensus::of(data);
    LossReport report;
    if (census.masks > 0)
        report.losses.append(
            u"%1 masks are written as their outline polygons (one per separate "
            u"part): labelme polygons have no holes, so holes are lost"_s.arg(census.masks));
    if (census.withConfidence > 0)
        report.losses.append(u"confidences are not kept: labelme has no score, and %1 "
                             u"annotations have one"_s.arg(census.withConfidence));
    census.classTags = 0; // written as the file's flags
    appendUnwrittenShapeLosses(report, census, u"labelme"_s);
    appendUnwrittenAttributeLoss(report, data, {kGroupId, kFlags, kDescription}, u"labelme"_s);
    appendProvenanceLoss(report, census);
    return report;
}

Result<void> LabelmeFormat::writeData(const ExportData &data, const QString &path,
                                      const Progress &progress) const
{
    // Everything is built before the first file is written, so a cancel or a bad annotation
    // leaves an earlier export in this folder as it was.
    const QDir folder(path);
    const QStringList names = uniqueBaseNames(data.items);
    QList<QByteArray> files;
    files.reserve(data.items.size());
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size()))
            return formatCancelled();
        Result<QByteArray> json = itemJson(data.items[i], data.task, folder);
        if (!json)
            return makeError(u"cannot write %1: %2"_s.arg(path, json.errorString()));
        files.append(std::move(*json));
    }
    if (!folder.mkpath(u"."_s))
        return makeError(u"cannot create the folder %1"_s.arg(folder.absolutePath()));
    FileBatch batch;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString file = folder.absoluteFilePath(names[i] + u".json"_s);
        if (Result<void> saved = batch.add(file, files[i]); !saved)
            return saved;
    }
    return batch.commit();
}

Result<FormatReadResult> LabelmeFormat::readPath(const QString &path,
                                                 const Progress &progress) const
{
    const QFileInfo info(path);
    QDir root;
    QStringList files;
    if (info.isFile()) {
        root = info.absoluteDir();
        files.append(info.absoluteFilePath());
    } else if (info.isDir()) {
        root = QDir(info.absoluteFilePath());
        QDirIterator it(root.absolutePath(), {u"*.json"_s}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files.append(it.next());
        std::sort(files.begin(), files.end());
        if (files.isEmpty())
            return makeError(u"%1: not a labelme folder: it holds no .json files"_s.arg(path));
    } else {
        return makeError(u"%1: no such folder"_s.arg(path));
    }
    FormatReadResult result;
    for (qsizetype i = 0; i < files.size(); ++i) {
        if (!progress.advance(i, files.size()))
            return formatCancelled();
        LabelmeFileReader(root, files[i], result).read();
    }
    return result;
}

} // namespace fieldmark
