#include "groundtruthreader.h"

#include "core/formats/formatutil.h"
#include "core/formats/labelmap.h"
#include "core/model/textoffsets.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>
#include <QSet>
#include <QTimeZone>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace groundtruth {

namespace {

struct TypeInfo
{
    TaskType type;
    const char *name;
};

constexpr std::array<TypeInfo, 7> kTypes{{
    {TaskType::ImageClassification, "groundtruth/image-classification"},
    {TaskType::ImageMultiLabel, "groundtruth/image-classification-multilabel"},
    {TaskType::Boxes, "groundtruth/object-detection"},
    {TaskType::Segmentation, "groundtruth/semantic-segmentation"},
    {TaskType::TextClassification, "groundtruth/text-classification"},
    {TaskType::TextMultiLabel, "groundtruth/text-classification-multilabel"},
    {TaskType::Spans, "groundtruth/text-span"},
}};

} // namespace

QString typeName(TaskType type)
{
    for (const TypeInfo &info : kTypes) {
        if (info.type == type)
            return QString::fromLatin1(info.name);
    }
    return {};
}

std::optional<TaskType> taskTypeOf(const QString &name)
{
    for (const TypeInfo &info : kTypes) {
        if (name == QLatin1String(info.name))
            return info.type;
    }
    return std::nullopt;
}

QString creationDate(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, QTimeZone::utc())
               .toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz"_s) +
           u"000"_s;
}

std::optional<qint64> parseCreationDate(const QString &text)
{
    static const QRegularExpression pattern(
        u"^(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?"
        u"(Z|[+-]\\d{2}:?\\d{2})?$"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return std::nullopt;
    const QDate date(match.captured(1).toInt(), match.captured(2).toInt(),
                     match.captured(3).toInt());
    const int ms = QString(match.captured(7) + u"000"_s).left(3).toInt();
    const QTime time(match.captured(4).toInt(), match.captured(5).toInt(),
                     match.captured(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return std::nullopt;
    qint64 result = QDateTime(date, time, QTimeZone::utc()).toMSecsSinceEpoch();
    const QString zone = match.captured(8);
    if (!zone.isEmpty() && zone != u"Z"_s) {
        const QString digits = zone.mid(1).remove(u':');
        const int offsetMinutes = digits.left(2).toInt() * 60 + digits.mid(2).toInt();
        result -= qint64(zone.front() == u'-' ? -offsetMinutes : offsetMinutes) * 60 * 1000;
    }
    return result;
}

} // namespace groundtruth

namespace {

// Writers round; a box this far past the edge is still "inside".
constexpr double kEdgeTolerance = 0.01;

// Class ids are whole numbers, written as JSON numbers or (in some examples) strings.
std::optional<qint64> toWhole(const QJsonValue &value)
{
    if (value.isString()) {
        bool ok = false;
        const qint64 id = value.toString().trimmed().toLongLong(&ok);
        return ok ? std::optional<qint64>(id) : std::nullopt;
    }
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9.0e15)
        return std::nullopt;
    return qint64(d);
}

} // namespace

GroundTruthReader::GroundTruthReader(const QString &path, FormatReadResult &result)
    : m_path(path)
    , m_result(result)
    , m_base(QFileInfo(path).absoluteDir())
    , m_fileName(QFileInfo(path).fileName())
{}

void GroundTruthReader::problem(const QString &jsonPath, const QString &reason)
{
    QString where = u"%1:%2"_s.arg(m_path).arg(m_line);
    if (!jsonPath.isEmpty())
        where += u": "_s + jsonPath;
    m_result.problems.append(FormatProblem{where, reason});
}

void GroundTruthReader::addClass(const QString &name)
{
    if (!name.isEmpty() && !m_result.classes.contains(name))
        m_result.classes.append(name);
}

// Media are linked by path. A relative path that escapes the manifest's folder is refused,
// so an import never points the project at files the user did not hand over; an absolute
// path is the user's own choice (and what Fieldmark writes for media outside the dataset).
// An s3:// object cannot be fetched here: its key, then its file name, is looked for in the
// manifest's folder, where a user who synced the bucket keeps it.
QString GroundTruthReader::resolve(const QString &ref, const QString &key, bool *ok)
{
    *ok = false;
    if (ref.startsWith(u"s3://"_s, Qt::CaseInsensitive)) {
        const qsizetype slash = ref.indexOf(u'/', 5);
        const QString objectKey = slash < 0 ? QString() : ref.mid(slash + 1);
        QStringList tried;
        for (const QString &candidate : {objectKey, QFileInfo(objectKey).fileName()}) {
            if (candidate.isEmpty() || tried.contains(candidate))
                continue;
            tried.append(candidate);
            const QString absolute = QDir::cleanPath(m_base.absoluteFilePath(candidate));
            if (liesInside(m_base, absolute) && QFileInfo(absolute).isFile()) {
                *ok = true;
                return absolute;
            }
        }
        problem(key, u"\"%1\" is in S3, which Fieldmark cannot open; no local copy was found "
                     u"as %2 in %3"_s.arg(ref, tried.join(u" or "_s), m_base.absolutePath()));
        return {};
    }
    if (ref.contains(u"://"_s)) {
        problem(key, u"\"%1\" is a remote address; Fieldmark reads local files"_s.arg(ref));
        return {};
    }
    if (QDir::isAbsolutePath(ref)) {
        *ok = true;
        return QDir::cleanPath(ref);
    }
    const QString absolute = QDir::cleanPath(m_base.absoluteFilePath(ref));
    if (!liesInside(m_base, absolute)) {
        problem(key, u"\"%1\" lies outside the folder of the manifest (%2); skipped"_s.arg(
                         ref, m_base.absolutePath()));
        return {};
    }
    *ok = true;
    return absolute;
}

std::optional<QMap<qint64, QString>> GroundTruthReader::classMap(const QJsonObject &metadata)
{
    const QString where = m_attribute + u"-metadata.class-map"_s;
    if (!metadata.value(u"class-map"_s).isObject()) {
        problem(where, u"missing or not an object of class ids to names"_s);
        return std::nullopt;
    }
    const QJsonObject map = metadata.value(u"class-map"_s).toObject();
    QMap<qint64, QString> classes;
    for (auto it = map.begin(); it != map.end(); ++it) {
        bool ok = false;
        const qint64 id = it.key().toLongLong(&ok);
        if (!ok || !it.value().isString() || it.value().toString().isEmpty()) {
            problem(where + u'.' + it.key(), u"must map a whole number to a class name"_s);
            return std::nullopt;
        }
        classes.insert(id, it.value().toString());
    }
    for (const QString &name : std::as_const(classes))
        addClass(name);
    return classes;
}

GroundTruthReader::Common GroundTruthReader::common(const QJsonObject &metadata)
{
    const QString where = m_attribute + u"-metadata."_s;
    Common common;
    const QJsonValue human = metadata.value(u"human-annotated"_s);
    if (human.toString() == u"yes"_s)
        common.human = true;
    else if (human.toString() == u"no"_s)
        common.human = false;
    else if (!human.isUndefined())
        problem(where + u"human-annotated"_s, u"must be \"yes\" or \"no\"; ignored"_s);
    const QJsonValue date = metadata.value(u"creation-date"_s);
    if (!date.isUndefined()) {
        const std::optional<qint64> ms = groundtruth::parseCreationDate(date.toString());
        if (ms)
            common.timeMs = *ms;
        else
            problem(where + u"creation-date"_s,
                    u"\"%1\" is not an ISO 8601 date and time; ignored"_s.arg(date.toString()));
    }
    common.jobName = metadata.value(u"job-name"_s).toString();
    return common;
}

ImportedAnnotation GroundTruthReader::annotation(const Common &common, const QString &className,
                                                 Shape shape)
{
    ImportedAnnotation a;
    a.className = className;
    a.shape = std::move(shape);
    a.humanAnnotated = common.human;
    a.timeMs = common.timeMs;
    a.jobName = common.jobName;
    return a;
}

void GroundTruthReader::readLine(qsizetype lineNumber, const QByteArray &bytes)
{
    m_line = lineNumber;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        m_result.problems.append(
            FormatProblem{u"%1:%2:%3"_s.arg(m_path).arg(lineNumber).arg(parseError.offset + 1),
                          u"malformed JSON: %1"_s.arg(parseError.errorString())});
        return;
    }
    if (!document.isObject()) {
        problem({}, u"a manifest line must be a JSON object"_s);
        return;
    }
    QJsonObject object = document.object();

    // The label attribute: fixed by the first line that has one of a known type.
    if (m_attribute.isEmpty()) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!it.key().endsWith(u"-metadata"_s) || !it.value().isObject())
                continue;
            const std::optional<TaskType> type =
                groundtruth::taskTypeOf(it.value().toObject().value(u"type"_s).toString());
            const QString attribute = it.key().chopped(9);
            if (type && object.contains(attribute)) {
                m_attribute = attribute;
                m_type = *type;
                break;
            }
        }
    }
    const QString metadataKey = m_attribute + u"-metadata"_s;
    const bool labelled = !m_attribute.isEmpty() && object.contains(m_attribute);
    const bool textTask = labelled && itemKindForTaskType(m_type) == ItemKind::Text;

    ImportedItem item;
    item.sourceRef = u"%1:%2"_s.arg(m_fileName).arg(lineNumber);
    if (object.value(u"source"_s).isString()) {
        item.text = object.take(u"source"_s).toString();
        item.path = QFileInfo(m_path).absoluteFilePath();
        if (labelled && !textTask) {
            problem(u"source"_s, u"a %1 label needs an image (source-ref), not a text"_s.arg(
                                     groundtruth::typeName(m_type)));
            return;
        }
    } else if (object.value(u"source-ref"_s).isString()) {
        const QString ref = object.value(u"source-ref"_s).toString();
        bool ok = false;
        item.path = resolve(ref, u"source-ref"_s, &ok);
        if (!ok)
            return;
        // An S3 address is kept, so an export can write it back for SageMaker to find.
        if (!ref.startsWith(u"s3://"_s, Qt::CaseInsensitive))
            object.remove(u"source-ref"_s);
        if (textTask) {
            // A text job may name a text file instead of holding the text.
            QFile file(item.path);
            if (!file.open(QIODevice::ReadOnly)) {
                problem(u"source-ref"_s,
                        u"cannot read the text file %1: %2"_s.arg(item.path, file.errorString()));
                return;
            }
            item.text = QString::fromUtf8(file.readAll());
        }
    } else {
        problem({}, u"neither a \"source-ref\" nor a \"source\" string field"_s);
        return;
    }

    if (labelled) {
        const QJsonValue value = object.take(m_attribute);
        const QJsonValue metadataValue = object.take(metadataKey);
        if (!metadataValue.isObject()) {
            problem(metadataKey, u"missing or not an object"_s);
            return;
        }
        const QJsonObject metadata = metadataValue.toObject();
        const std::optional<TaskType> type =
            groundtruth::taskTypeOf(metadata.value(u"type"_s).toString());
        if (type != m_type) {
            problem(metadataKey + u".type"_s,
                    u"\"%1\" differs from the manifest's \"%2\" labels"_s.arg(
                        metadata.value(u"type"_s).toString(), groundtruth::typeName(m_type)));
            return;
        }
        const Common shared = common(metadata);
        bool ok = false;
        switch (m_type) {
        case TaskType::ImageClassification:
        case TaskType::TextClassification:
            ok = readClass(item, value, metadata, shared);
            break;
        case TaskType::ImageMultiLabel:
        case TaskType::TextMultiLabel:
            ok = readMultiLabel(item, value, metadata, shared);
            break;
        case TaskType::Boxes:
            ok = readBoxes(item, value, metadata, shared);
            break;
        case TaskType::Spans:
            ok = readSpans(item, value, metadata, shared);
            break;
        case TaskType::Segmentation:
            ok = readSegmentation(item, value, metadata, shared);
            break;
        }
        if (!ok)
            return;
    }
    item.extra = object;
    m_result.items.append(std::move(item));
}

bool GroundTruthReader::readClass(ImportedItem &item, const QJsonValue &value,
                                  const QJsonObject &metadata, const Common &common)
{
    if (!toWhole(value)) {
        problem(m_attribute, u"must be the class id, a whole number"_s);
        return false;
    }
    const QString name = metadata.value(u"class-name"_s).toString();
    if (name.isEmpty()) {
        problem(m_attribute + u"-metadata.class-name"_s, u"missing or empty"_s);
        return false;
    }
    addClass(name);
    ImportedAnnotation a = annotation(common, name, ClassTag{});
    if (metadata.value(u"confidence"_s).isDouble())
        a.confidence = metadata.value(u"confidence"_s).toDouble();
    item.annotations.append(std::move(a));
    return true;
}

bool GroundTruthReader::readMultiLabel(ImportedItem &item, const QJsonValue &value,
                                       const QJsonObject &metadata, const Common &common)
{
    if (!value.isArray()) {
        problem(m_attribute, u"must be an array of class ids"_s);
        return false;
    }
    const std::optional<QMap<qint64, QString>> classes = classMap(metadata);
    if (!classes)
        return false;
    const QJsonObject confidences = metadata.value(u"confidence-map"_s).toObject();
    const QJsonArray ids = value.toArray();
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const std::optional<qint64> id = toWhole(ids[i]);
        if (!id || !classes->contains(*id)) {
            problem(m_attribute + u"[%1]"_s.arg(i),
                    id ? u"class id %1 is not in class-map"_s.arg(*id) : u"not a whole number"_s);
            continue;
        }
        ImportedAnnotation a = annotation(common, classes->value(*id), ClassTag{});
        const QJsonValue confidence = confidences.value(QString::number(*id));
        if (confidence.isDouble())
            a.confidence = confidence.toDouble();
        item.annotations.append(std::move(a));
    }
    return true;
}

bool GroundTruthReader::readBoxes(ImportedItem &item, const QJsonValue &value,
                                  const QJsonObject &metadata, const Common &common)
{
    const QJsonObject label = value.toObject();
    const QJsonObject size = label.value(u"image_size"_s).toArray().at(0).toObject();
    const std::optional<qint64> width = toWhole(size.value(u"width"_s));
    const std::optional<qint64> height = toWhole(size.value(u"height"_s));
    if (!width || !height || *width <= 0 || *height <= 0 || *width > 1000000 || *height > 1000000) {
        problem(m_attribute + u".image_size"_s,
                u"must be [{\"width\", \"height\", \"depth\"}] with positive whole numbers"_s);
        return false;
    }
    item.width = int(*width);
    item.height = int(*height);
    const std::optional<QMap<qint64, QString>> classes = classMap(metadata);
    if (!classes)
        return false;
    const QJsonArray objects = metadata.value(u"objects"_s).toArray();
    const QJsonArray annotations = label.value(u"annotations"_s).toArray();
    if (!label.value(u"annotations"_s).isArray()) {
        problem(m_attribute + u".annotations"_s, u"missing or not an array"_s);
        return false;
    }
    for (qsizetype i = 0; i < annotations.size(); ++i) {
        const QString where = m_attribute + u".annotations[%1]"_s.arg(i);
        const QJsonObject box = annotations[i].toObject();
        const std::optional<qint64> id = toWhole(box.value(u"class_id"_s));
        if (!id || !classes->contains(*id)) {
            problem(where + u".class_id"_s, id ? u"class id %1 is not in class-map"_s.arg(*id)
                                               : u"missing or not a whole number"_s);
            continue;
        }
        bool numeric = true;
        std::array<double, 4> v{};
        const std::array<QString, 4> keys{u"left"_s, u"top"_s, u"width"_s, u"height"_s};
        for (size_t k = 0; k < keys.size(); ++k) {
            numeric = numeric && box.value(keys[k]).isDouble();
            v[k] = box.value(keys[k]).toDouble();
        }
        if (!numeric || v[2] < 0 || v[3] < 0) {
            problem(where, u"left, top, width and height must be numbers, the sizes not "
                           u"negative"_s);
            continue;
        }
        const Box shape{v[0], v[1], v[2], v[3]};
        if (shape.x < -kEdgeTolerance || shape.y < -kEdgeTolerance ||
            shape.x + shape.width > item.width + kEdgeTolerance ||
            shape.y + shape.height > item.height + kEdgeTolerance) {
            problem(where, u"box [left %1, top %2, width %3, height %4] lies outside its %5x%6 "
                           u"image_size"_s.arg(shape.x)
                               .arg(shape.y)
                               .arg(shape.width)
                               .arg(shape.height)
                               .arg(item.width)
                               .arg(item.height));
            continue;
        }
        ImportedAnnotation a = annotation(common, classes->value(*id), shape);
        const QJsonValue confidence = objects.at(i).toObject().value(u"confidence"_s);
        if (confidence.isDouble())
            a.confidence = confidence.toDouble();
        item.annotations.append(std::move(a));
    }
    return true;
}

bool GroundTruthReader::readSpans(ImportedItem &item, const QJsonValue &value,
                                  const QJsonObject &metadata, const Common &common)
{
    const QJsonObject annotations = value.toObject().value(u"annotations"_s).toObject();
    if (!value.toObject().value(u"annotations"_s).isObject()) {
        problem(m_attribute + u".annotations"_s,
                u"missing or not an object with \"entities\" and \"labels\""_s);
        return false;
    }
    // The job's labels come first, so a label no entity uses still becomes a class.
    const QJsonArray labels = annotations.value(u"labels"_s).toArray();
    for (const QJsonValue &label : labels)
        addClass(label.toObject().value(u"label"_s).toString());
    const qint64 length = codePointLength(item.text);
    const QJsonArray entities = annotations.value(u"entities"_s).toArray();
    const QJsonArray confidences = metadata.value(u"entities"_s).toArray();
    for (qsizetype i = 0; i < entities.size(); ++i) {
        const QString where = m_attribute + u".annotations.entities[%1]"_s.arg(i);
        const QJsonObject entity = entities[i].toObject();
        const QString name = entity.value(u"label"_s).toString();
        if (name.isEmpty()) {
            problem(where + u".label"_s, u"missing or empty"_s);
            continue;
        }
        const std::optional<qint64> start = toWhole(entity.value(u"startOffset"_s));
        const std::optional<qint64> end = toWhole(entity.value(u"endOffset"_s));
        if (!start || !end) {
            problem(where, u"startOffset and endOffset must be whole numbers"_s);
            continue;
        }
        if (*start < 0 || *end <= *start || *end > length) {
            problem(where, u"offsets [%1, %2) lie outside the text of %3 characters (Unicode "
                           u"code points), or the span is empty"_s.arg(*start)
                               .arg(*end)
                               .arg(length));
            continue;
        }
        addClass(name);
        ImportedAnnotation a = annotation(common, name, Span{*start, *end});
        const QJsonValue confidence = confidences.at(i).toObject().value(u"confidence"_s);
        if (confidence.isDouble())
            a.confidence = confidence.toDouble();
        item.annotations.append(std::move(a));
    }
    return true;
}

bool GroundTruthReader::readSegmentation(ImportedItem &item, const QJsonValue &value,
                                         const QJsonObject &metadata, const Common &common)
{
    if (!value.isString() || value.toString().isEmpty()) {
        problem(m_attribute, u"must be the path of the label map PNG"_s);
        return false;
    }
    const QString mapWhere = m_attribute + u"-metadata.internal-color-map"_s;
    const QJsonObject colorMap = metadata.value(u"internal-color-map"_s).toObject();
    if (colorMap.isEmpty()) {
        problem(mapWhere, u"missing, empty or not an object"_s);
        return false;
    }
    QList<LabelMapEntry> entries;
    QHash<int, double> confidences;
    QSet<QRgb> colors;
    for (auto it = colorMap.begin(); it != colorMap.end(); ++it) {
        const QString where = mapWhere + u'.' + it.key();
        bool ok = false;
        const int key = it.key().toInt(&ok);
        const QJsonObject entry = it.value().toObject();
        const QColor color(entry.value(u"hex-color"_s).toString());
        const QString name = entry.value(u"class-name"_s).toString();
        if (!ok || key < 0 || key > 255 || name.isEmpty() || !color.isValid()) {
            problem(where,
                    u"needs a key from 0 to 255, a class-name and a hex-color \"#rrggbb\""_s);
            return false;
        }
        if (colors.contains(color.rgb())) {
            problem(where, u"hex-color %1 is given to two classes, so the label map cannot tell "
                           u"them apart"_s.arg(color.name()));
            return false;
        }
        colors.insert(color.rgb());
        entries.append(LabelMapEntry{key, name, color});
        if (entry.value(u"confidence"_s).isDouble())
            confidences.insert(key, entry.value(u"confidence"_s).toDouble());
    }
    std::sort(entries.begin(), entries.end(),
              [](const LabelMapEntry &a, const LabelMapEntry &b) { return a.value < b.value; });
    for (const LabelMapEntry &entry : std::as_const(entries)) {
        if (entry.value != 0) // 0 is Ground Truth's BACKGROUND, whatever it is called
            addClass(entry.name);
    }

    bool found = false;
    const QString mapPath = resolve(value.toString(), m_attribute, &found);
    if (!found)
        return false;
    const Result<QImage> labels = readLabelImage(mapPath);
    if (!labels) {
        problem(m_attribute,
                u"cannot read the label map %1: %2"_s.arg(mapPath, labels.errorString()));
        return false;
    }
    const QSize size = QImageReader(item.path).size();
    if (size.isValid() && size != labels->size()) {
        problem(m_attribute, u"the label map %1 is %2x%3 but its image %4 is %5x%6"_s.arg(mapPath)
                                 .arg(labels->width())
                                 .arg(labels->height())
                                 .arg(item.path)
                                 .arg(size.width())
                                 .arg(size.height()));
        return false;
    }
    const Result<QList<std::pair<int, RleMask>>> masks =
        decodeLabelMap(*labels, entries, LabelValues::Color);
    if (!masks) {
        problem(m_attribute, u"label map %1: %2"_s.arg(mapPath, masks.errorString()));
        return false;
    }
    item.width = labels->width();
    item.height = labels->height();
    for (const auto &[key, mask] : *masks) {
        const auto entry = std::find_if(entries.cbegin(), entries.cend(),
                                        [key](const LabelMapEntry &e) { return e.value == key; });
        ImportedAnnotation a = annotation(common, entry->name, Mask{mask});
        if (confidences.contains(key))
            a.confidence = confidences.value(key);
        item.annotations.append(std::move(a));
    }
    return true;
}

} // namespace fieldmark
