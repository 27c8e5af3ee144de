#include "pascalvocformat.h"

#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QPolygonF>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <optional>
#include <vector>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// Writers round; a box this far past the edge is still "inside".
constexpr double kEdgeTolerance = 0.01;

// The <object> children Fieldmark keeps as attributes: flags (0 or 1), in the order VOC
// writes them, and the pose.
const QStringList &flagNames()
{
    static const QStringList names{u"truncated"_s, u"difficult"_s, u"occluded"_s};
    return names;
}
const QString kPose = u"pose"_s;
const QString kUnspecified = u"Unspecified"_s;

// Whole numbers without a decimal point, others in their shortest exact form.
QString number(double value)
{
    return QString::number(value, 'f', QLocale::FloatingPointShortest);
}

bool flagIsSet(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool();
    if (value.isDouble())
        return value.toDouble() != 0;
    const QString text = value.toString().trimmed();
    return text == u"1"_s || text.compare(u"true"_s, Qt::CaseInsensitive) == 0;
}

// The box a shape is written as: polygons and masks by their bounding boxes.
std::optional<QRectF> boundingBox(const Shape &shape)
{
    if (const Box *box = std::get_if<Box>(&shape))
        return box->rect();
    if (const Polygon *polygon = std::get_if<Polygon>(&shape))
        return QPolygonF(polygon->points).boundingRect();
    if (const Mask *mask = std::get_if<Mask>(&shape)) {
        const RleMask &rle = mask->rle;
        if (rle.bounds().isEmpty())
            return std::nullopt;
        // The bounds may have empty margins; the set pixels decide. (cv::boundingRect over
        // the 8-bit mask itself gave a wrong width for a 3-pixel-wide mask with OpenCV 4.6,
        // so the set pixels are listed first.)
        std::vector<cv::Point> set;
        cv::findNonZero(rle.toMat(), set);
        if (set.empty())
            return std::nullopt;
        const cv::Rect tight = cv::boundingRect(set);
        return QRectF(rle.bounds().x() + tight.x, rle.bounds().y() + tight.y, tight.width,
                      tight.height);
    }
    return std::nullopt;
}

// One <object> as read, before it is checked against the image.
struct VocObject
{
    qint64 line = 0;
    QString name;
    qint64 boxLine = 0;
    bool hasBox = false;
    QString coordinates[4]; // xmin, ymin, xmax, ymax as written
    qint64 coordinateLines[4] = {};
    QJsonObject attributes;
    qint64 flagLine = 0; // of a flag that is neither 0 nor 1
    QString flagProblem;
};

const QString kCoordinateNames[4] = {u"xmin"_s, u"ymin"_s, u"xmax"_s, u"ymax"_s};

// Reads one annotation file into an item; problems name the file and line.
class VocFileReader
{
public:
    VocFileReader(const QDir &root, const QString &path, FormatReadResult &result)
        : m_root(root)
        , m_path(path)
        , m_display(root.relativeFilePath(path))
        , m_result(result)
    {}

    void read();

private:
    void problem(qint64 line, const QString &reason)
    {
        m_result.problems.append(FormatProblem{u"%1:%2"_s.arg(m_display).arg(line), reason});
    }
    QString text() { return m_xml.readElementText(QXmlStreamReader::SkipChildElements).trimmed(); }
    void readSize();
    void readObject();
    void readBox(VocObject &object);
    QString resolveImage();
    void addObject(ImportedItem &item, const VocObject &object);

    QDir m_root;
    QString m_path;
    QString m_display;
    FormatReadResult &m_result;
    QXmlStreamReader m_xml;

    QString m_fileName, m_imagePath;
    qint64 m_fileNameLine = 0, m_pathLine = 0;
    QString m_width, m_height;
    qint64 m_sizeLine = 0;
    qint64 m_annotationLine = 1;
    QList<VocObject> m_objects;
};

void VocFileReader::read()
{
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_result.problems.append(FormatProblem{m_display, file.errorString()});
        return;
    }
    m_xml.setDevice(&file);
    if (!m_xml.readNextStartElement()) {
        if (!m_xml.hasError()) {
            problem(m_xml.lineNumber(), u"the file holds no XML element"_s);
            return;
        }
    } else if (m_xml.name() != u"annotation"_s) {
        problem(m_xml.lineNumber(),
                u"not a Pascal VOC annotation: the root element is <%1>, not <annotation>"_s.arg(
                    m_xml.name()));
        return;
    } else {
        m_annotationLine = m_xml.lineNumber();
        while (m_xml.readNextStartElement()) {
            const auto name = m_xml.name();
            if (name == u"filename"_s) {
                m_fileNameLine = m_xml.lineNumber();
                m_fileName = text();
            } else if (name == u"path"_s) {
                m_pathLine = m_xml.lineNumber();
                m_imagePath = text();
            } else if (name == u"size"_s) {
                readSize();
            } else if (name == u"object"_s) {
                readObject();
            } else {
                m_xml.skipCurrentElement(); // folder, source, owner, segmented, ...
            }
        }
        // Reads the rest, so an error after </annotation> is found too.
        while (!m_xml.atEnd())
            m_xml.readNext();
    }
    if (m_xml.hasError()) {
        // A broken file is skipped whole: what was read before the error may be cut short.
        m_result.problems.append(FormatProblem{
            u"%1:%2:%3"_s.arg(m_display).arg(m_xml.lineNumber()).arg(m_xml.columnNumber()),
            u"not well-formed XML: %1"_s.arg(m_xml.errorString())});
        return;
    }

    if (m_fileName.isEmpty() && m_imagePath.isEmpty()) {
        problem(m_annotationLine, u"neither <filename> nor <path> names the image"_s);
        return;
    }
    ImportedItem item;
    item.path = resolveImage();
    if (item.path.isEmpty())
        return;
    item.sourceRef = m_display;
    bool ok = false;
    const int width = m_width.toInt(&ok);
    const bool widthOk = ok && width >= 0;
    const int height = m_height.toInt(&ok);
    const bool heightOk = ok && height >= 0;
    if ((!m_width.isEmpty() && !widthOk) || (!m_height.isEmpty() && !heightOk))
        problem(m_sizeLine, u"<size> must hold whole numbers, found width \"%1\" and height "
                            u"\"%2\"; the size is taken from the image"_s.arg(m_width, m_height));
    if (widthOk && heightOk && width > 0 && height > 0) {
        item.width = width;
        item.height = height;
    } else {
        const QSize size = QImageReader(item.path).size();
        if (size.width() <= 0 || size.height() <= 0) {
            problem(m_sizeLine ? m_sizeLine : m_annotationLine,
                    u"no <size> and cannot read the size of its image %1"_s.arg(item.path));
            return;
        }
        item.width = size.width();
        item.height = size.height();
    }
    for (const VocObject &object : std::as_const(m_objects))
        addObject(item, object);
    m_result.items.append(std::move(item));
}

void VocFileReader::readSize()
{
    m_sizeLine = m_xml.lineNumber();
    while (m_xml.readNextStartElement()) {
        if (m_xml.name() == u"width"_s)
            m_width = text();
        else if (m_xml.name() == u"height"_s)
            m_height = text();
        else
            m_xml.skipCurrentElement(); // depth
    }
}

void VocFileReader::readObject()
{
    VocObject object;
    object.line = m_xml.lineNumber();
    while (m_xml.readNextStartElement()) {
        const auto name = m_xml.name();
        if (name == u"name"_s) {
            object.name = text();
        } else if (name == u"bndbox"_s) {
            readBox(object);
        } else if (name == kPose) {
            const QString pose = text();
            if (!pose.isEmpty() && pose != kUnspecified)
                object.attributes.insert(kPose, pose);
        } else if (flagNames().contains(name.toString())) {
            const qint64 line = m_xml.lineNumber();
            const QString flag = name.toString();
            const QString value = text();
            if (value == u"1"_s) {
                object.attributes.insert(flag, true);
            } else if (value != u"0"_s && !value.isEmpty() && object.flagLine == 0) {
                object.flagLine = line;
                object.flagProblem = u"<%1> must be 0 or 1, found \"%2\""_s.arg(flag, value);
            }
        } else {
            m_xml.skipCurrentElement(); // part, actions, point: not kept
        }
    }
    m_objects.append(std::move(object));
}

void VocFileReader::readBox(VocObject &object)
{
    object.hasBox = true;
    object.boxLine = m_xml.lineNumber();
    while (m_xml.readNextStartElement()) {
        bool known = false;
        for (int k = 0; k < 4; ++k) {
            if (m_xml.name() == kCoordinateNames[k]) {
                object.coordinateLines[k] = m_xml.lineNumber();
                object.coordinates[k] = text();
                known = true;
                break;
            }
        }
        if (!known)
            m_xml.skipCurrentElement();
    }
}

// <filename> beside the XML file, then in ../JPEGImages/ (VOCdevkit), then <path>. A
// candidate outside the dataset folder is never used.
QString VocFileReader::resolveImage()
{
    const QDir xmlDir = QFileInfo(m_path).absoluteDir();
    QStringList candidates;
    if (!m_fileName.isEmpty()) {
        candidates.append(QDir::cleanPath(xmlDir.absoluteFilePath(m_fileName)));
        candidates.append(
            QDir::cleanPath(xmlDir.absoluteFilePath(u"../JPEGImages/"_s + m_fileName)));
    }
    if (!m_imagePath.isEmpty())
        candidates.append(QDir::cleanPath(xmlDir.absoluteFilePath(m_imagePath)));
    for (const QString &candidate : std::as_const(candidates)) {
        if (liesInside(m_root, candidate) && QFileInfo(candidate).isFile())
            return candidate;
    }
    // The file's own values (not the JPEGImages guess) decide how the refusal is worded.
    const qint64 line = m_fileNameLine ? m_fileNameLine : m_pathLine;
    const bool fileNameEscapes = !m_fileName.isEmpty() && !liesInside(m_root, candidates[0]);
    const bool pathEscapes = !m_imagePath.isEmpty() && !liesInside(m_root, candidates.back());
    if (fileNameEscapes || (pathEscapes && m_fileName.isEmpty())) {
        problem(line, u"the image \"%1\" lies outside the dataset folder (%2); skipped"_s.arg(
                          m_fileName.isEmpty() ? m_imagePath : m_fileName, m_root.absolutePath()));
    } else if (pathEscapes && QFileInfo(candidates.back()).isFile()) {
        problem(m_pathLine, u"the image \"%1\" lies outside the dataset folder (%2); skipped"_s.arg(
                                m_imagePath, m_root.absolutePath()));
    } else {
        QStringList inside;
        for (const QString &candidate : std::as_const(candidates)) {
            if (liesInside(m_root, candidate))
                inside.append(m_root.relativeFilePath(candidate));
        }
        problem(line, u"the image is missing: looked for %1"_s.arg(inside.join(u", "_s)));
    }
    return {};
}

void VocFileReader::addObject(ImportedItem &item, const VocObject &object)
{
    if (object.name.isEmpty()) {
        problem(object.line, u"the <object> has no <name>"_s);
        return;
    }
    if (object.flagLine != 0) {
        problem(object.flagLine, object.flagProblem);
        return;
    }
    if (!object.hasBox) {
        problem(object.line, u"the <object> \"%1\" has no <bndbox>"_s.arg(object.name));
        return;
    }
    double values[4] = {};
    for (int k = 0; k < 4; ++k) {
        if (object.coordinateLines[k] == 0) {
            problem(object.boxLine, u"the <bndbox> has no <%1>"_s.arg(kCoordinateNames[k]));
            return;
        }
        bool ok = false;
        values[k] = object.coordinates[k].toDouble(&ok);
        if (!ok || !std::isfinite(values[k])) {
            problem(object.coordinateLines[k], u"<%1> \"%2\" is not a number"_s.arg(
                                                   kCoordinateNames[k], object.coordinates[k]));
            return;
        }
    }
    const double xmin = values[0], ymin = values[1], xmax = values[2], ymax = values[3];
    // VOC boxes include both end pixels, so xmax == xmin is one pixel wide.
    const Box box{xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1};
    if (box.width <= 0 || box.height <= 0) {
        problem(object.boxLine,
                u"the box is inverted: (xmin %1, ymin %2) lies past (xmax %3, ymax %4)"_s.arg(
                    number(xmin), number(ymin), number(xmax), number(ymax)));
        return;
    }
    if (box.x < -kEdgeTolerance || box.y < -kEdgeTolerance ||
        box.x + box.width > item.width + kEdgeTolerance ||
        box.y + box.height > item.height + kEdgeTolerance) {
        problem(object.boxLine, u"the box (%1, %2)-(%3, %4) lies outside its %5x%6 image (VOC "
                                u"pixels run from 1 to the width and height)"_s
                                    .arg(number(xmin), number(ymin), number(xmax), number(ymax))
                                    .arg(item.width)
                                    .arg(item.height));
        return;
    }
    ImportedAnnotation imported;
    imported.className = object.name;
    imported.shape = box;
    imported.attributes = object.attributes;
    if (!m_result.classes.contains(object.name))
        m_result.classes.append(object.name);
    item.annotations.append(std::move(imported));
}

// One item's annotation file.
Result<QByteArray> annotationXml(const ExportItem &exportItem, const QSize &size,
                                 const LabelTask &task)
{
    const Item &item = exportItem.item;
    const QFileInfo image(item.path);
    QByteArray bytes;
    QXmlStreamWriter xml(&bytes);
    xml.setAutoFormatting(true);
    xml.setAutoFormattingIndent(4);
    xml.writeStartDocument();
    xml.writeStartElement(u"annotation"_s);
    xml.writeTextElement(u"folder"_s, image.absoluteDir().dirName());
    xml.writeTextElement(u"filename"_s, image.fileName());
    xml.writeTextElement(u"path"_s, image.absoluteFilePath());
    xml.writeStartElement(u"source"_s);
    xml.writeTextElement(u"database"_s, u"Fieldmark"_s);
    xml.writeTextElement(u"annotation"_s, task.name);
    xml.writeEndElement();
    xml.writeStartElement(u"size"_s);
    xml.writeTextElement(u"width"_s, QString::number(size.width()));
    xml.writeTextElement(u"height"_s, QString::number(size.height()));
    // Fieldmark does not record channels; VOC's own images are colour JPEGs.
    xml.writeTextElement(u"depth"_s, u"3"_s);
    xml.writeEndElement();
    xml.writeTextElement(u"segmented"_s, u"0"_s);
    const QRectF imageRect(0, 0, size.width(), size.height());
    for (const Annotation &annotation : exportItem.annotations) {
        const std::optional<QRectF> bounds = boundingBox(annotation.shape);
        if (!bounds)
            continue; // class tags, spans, empty masks: listed by lossReport
        const LabelClass *labelClass = task.classById(annotation.classId);
        if (!labelClass)
            return makeError(u"an annotation on %1 has class id %2, which task \"%3\" does not "
                             u"have"_s.arg(item.path)
                                 .arg(annotation.classId)
                                 .arg(task.name));
        const QRectF r = *bounds & imageRect;
        if (r.isEmpty())
            continue; // wholly outside: counted by lossReport
        const QJsonObject &attributes = annotation.attributes;
        xml.writeStartElement(u"object"_s);
        xml.writeTextElement(u"name"_s, labelClass->name);
        const QString pose = attributes.value(kPose).toString();
        xml.writeTextElement(kPose, pose.isEmpty() ? kUnspecified : pose);
        for (const QString &flag : flagNames()) {
            // occluded is a VOC2010+ addition: written only where it is known.
            if (flag == u"occluded"_s && !attributes.contains(flag))
                continue;
            xml.writeTextElement(flag, flagIsSet(attributes.value(flag)) ? u"1"_s : u"0"_s);
        }
        xml.writeStartElement(u"bndbox"_s);
        xml.writeTextElement(u"xmin"_s, number(r.x() + 1));
        xml.writeTextElement(u"ymin"_s, number(r.y() + 1));
        xml.writeTextElement(u"xmax"_s, number(r.x() + r.width()));
        xml.writeTextElement(u"ymax"_s, number(r.y() + r.height()));
        xml.writeEndElement();
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return bytes;
}

} // namespace

QString PascalVocFormat::name() const
{
    return u"voc"_s;
}

QString PascalVocFormat::displayName() const
{
    return u"Pascal VOC XML"_s;
}

FormatCapabilities PascalVocFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::Boxes}, true, true, true};
}

LossReport PascalVocFormat::lossReport(const ExportData &data) const
{
    const LabelCensus census = LabelCensus::of(data);
    qsizetype polygons = 0, clipped = 0;
    for (const ExportItem &exportItem : data.items) {
        const QRectF image(0, 0, exportItem.item.width, exportItem.item.height);
        for (const Annotation &annotation : exportItem.annotations) {
            if (shapeKind(annotation.shape) == ShapeKind::Polygon)
                ++polygons;
            const std::optional<QRectF> bounds = boundingBox(annotation.shape);
            if (bounds && !image.isEmpty() && !image.contains(*bounds))
                ++clipped;
        }
    }
    LossReport report;
    if (polygons > 0)
        report.losses.append(u"%1 polygons are written as their bounding boxes: Pascal VOC "
                             u"holds boxes only"_s.arg(polygons));
    if (census.masks > 0)
        report.losses.append(u"%1 masks are written as their bounding boxes: Pascal VOC holds "
                             u"boxes only"_s.arg(census.masks));
    if (census.withConfidence > 0)
        report.losses.append(
            u"confidences are not kept: %1 annotations have one"_s.arg(census.withConfidence));
    appendUnwrittenShapeLosses(report, census, u"Pascal VOC"_s);
    if (clipped > 0)
        report.losses.append(u"%1 boxes reach past their image and are clipped to it (boxes "
                             u"wholly outside are dropped)"_s.arg(clipped));
    appendUnwrittenAttributeLoss(report, data, flagNames() + QStringList{kPose}, u"Pascal VOC"_s);
    appendProvenanceLoss(report, census);
    return report;
}

Result<void> PascalVocFormat::writeData(const ExportData &data, const QString &path,
                                        const Progress &progress) const
{
    // Everything is built before the first file is written, so a cancel or a bad annotation
    // leaves an earlier export in this folder as it was.
    const QStringList names = uniqueBaseNames(data.items);
    QList<QByteArray> files;
    files.reserve(data.items.size());
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size()))
            return formatCancelled();
        const ExportItem &exportItem = data.items[i];
        const QSize size = imageSizeOf(exportItem.item);
        if (size.width() <= 0 || size.height() <= 0)
            return makeError(u"cannot write %1: the size of image %2 is unknown, and Pascal VOC "
                             u"records it"_s.arg(path, exportItem.item.path));
        Result<QByteArray> xml = annotationXml(exportItem, size, data.task);
        if (!xml)
            return makeError(u"cannot write %1: %2"_s.arg(path, xml.errorString()));
        files.append(std::move(*xml));
    }

    const QDir folder(path);
    for (const QString &sub : {u"Annotations"_s, u"ImageSets/Main"_s}) {
        if (!folder.mkpath(sub))
            return makeError(u"cannot create the folder %1"_s.arg(folder.absoluteFilePath(sub)));
    }
    QByteArray list;
    FileBatch batch;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString file = folder.absoluteFilePath(u"Annotations/%1.xml"_s.arg(names[i]));
        if (Result<void> saved = batch.add(file, files[i]); !saved)
            return saved;
        list += names[i].toUtf8() + '\n';
    }
    if (Result<void> saved =
            batch.add(folder.absoluteFilePath(u"ImageSets/Main/default.txt"_s), list);
        !saved)
        return saved;
    return batch.commit();
}

Result<FormatReadResult> PascalVocFormat::readPath(const QString &path,
                                                   const Progress &progress) const
{
    const QDir folder(path);
    if (!folder.exists())
        return makeError(u"%1: no such folder"_s.arg(path));
    QDir root = folder;
    QDir xmlDir = folder;
    if (folder.exists(u"Annotations"_s)) {
        xmlDir = QDir(folder.absoluteFilePath(u"Annotations"_s));
    } else if (folder.dirName() == u"Annotations"_s &&
               QDir(folder.absoluteFilePath(u"../JPEGImages"_s)).exists()) {
        root = QDir(QDir::cleanPath(folder.absoluteFilePath(u".."_s)));
    }
    const QStringList files = xmlDir.entryList({u"*.xml"_s}, QDir::Files, QDir::Name);
    if (files.isEmpty())
        return makeError(u"%1: not a Pascal VOC folder: no .xml files in it or in "
                         u"Annotations/"_s.arg(path));

    FormatReadResult result;
    for (qsizetype i = 0; i < files.size(); ++i) {
        if (!progress.advance(i, files.size()))
            return formatCancelled();
        VocFileReader(root, xmlDir.absoluteFilePath(files[i]), result).read();
    }
    return result;
}

} // namespace fieldmark
