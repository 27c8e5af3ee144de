#include "jsonlformat.h"

#include "core/formats/textformatsupport.h"
#include "core/model/textoffsets.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <optional>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

const QString kText = u"text"_s;
const QString kData = u"data"_s; // the text field of older doccano exports
const QString kLabel = u"label"_s;
const QString kEntities = u"entities"_s;
const QString kSpans = u"spans"_s;   // Prodigy's name for entities
const QString kAnswer = u"answer"_s; // Prodigy: "accept", "reject" or "ignore"

// Offsets must be whole numbers; JSON stores them as numbers.
std::optional<qint64> toOffset(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (d != std::floor(d) || std::abs(d) > 9.0e15)
        return std::nullopt;
    return qint64(d);
}

// One value as compact JSON text, so a record's keys can be written in a chosen order
// (QJsonObject sorts them, which would put "entities" before "text").
QByteArray jsonText(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

// Reads the labels of one record into `item`; kept apart so each part stays short.
class RecordReader
{
public:
    RecordReader(const QString &where, FormatReadResult &result, ImportedItem &item)
        : m_where(where)
        , m_result(result)
        , m_item(item)
        , m_length(codePointLength(item.text))
    {}

    void readLabel(const QJsonValue &value);
    void readEntities(const QString &key, const QJsonValue &value);

private:
    void problem(const QString &path, const QString &reason)
    {
        m_result.problems.append(FormatProblem{m_where + u": "_s + path, reason});
    }
    void addClass(const QString &path, const QJsonValue &value);
    void addSpan(const QString &path, const QJsonValue &value);
    void add(const QString &className, Shape shape);

    QString m_where;
    FormatReadResult &m_result;
    ImportedItem &m_item;
    qint64 m_length = 0;
};

void RecordReader::add(const QString &className, Shape shape)
{
    if (std::holds_alternative<ClassTag>(shape)) {
        for (const ImportedAnnotation &existing : m_item.annotations) {
            if (existing.className == className && std::holds_alternative<ClassTag>(existing.shape))
                return; // a label listed twice is one label
        }
    }
    ImportedAnnotation annotation;
    annotation.className = className;
    annotation.shape = std::move(shape);
    m_item.annotations.append(std::move(annotation));
    if (!m_result.classes.contains(className))
        m_result.classes.append(className);
}

void RecordReader::addClass(const QString &path, const QJsonValue &value)
{
    const QString name = value.toString();
    if (name.trimmed().isEmpty()) {
        problem(path, u"the class name is empty"_s);
        return;
    }
    add(name, ClassTag{});
}

void RecordReader::addSpan(const QString &path, const QJsonValue &value)
{
    QJsonValue start, end, label;
    if (value.isArray()) {
        const QJsonArray triple = value.toArray();
        if (triple.size() != 3) {
            problem(path, u"a span must be [start, end, \"LABEL\"], found %1 elements"_s.arg(
                              triple.size()));
            return;
        }
        start = triple[0];
        end = triple[1];
        label = triple[2];
    } else {
        const QJsonObject object = value.toObject();
        const bool doccano = object.contains(u"start_offset"_s);
        start = object.value(doccano ? u"start_offset"_s : u"start"_s);
        end = object.value(doccano ? u"end_offset"_s : u"end"_s);
        label = object.value(kLabel);
        if (start.isUndefined() || end.isUndefined() || label.isUndefined()) {
            problem(path, u"a span object needs \"start_offset\", \"end_offset\" and \"label\" "
                          u"(or \"start\", \"end\" and \"label\")"_s);
            return;
        }
    }
    if (!label.isString()) {
        problem(path, u"the label must be a string"_s);
        return;
    }
    const std::optional<qint64> from = toOffset(start);
    const std::optional<qint64> to = toOffset(end);
    if (!from || !to) {
        problem(path, u"start and end must be whole numbers"_s);
        return;
    }
    if (*from < 0 || *from >= *to) {
        problem(path, u"span [%1, %2) is empty or reversed: start must be at least 0 and less "
                      u"than end"_s.arg(*from)
                          .arg(*to));
        return;
    }
    if (*to > m_length) {
        problem(path, u"span [%1, %2) reaches past the end of the text (%3 characters, counted "
                      u"in code points)"_s.arg(*from)
                          .arg(*to)
                          .arg(m_length));
        return;
    }
    if (label.toString().trimmed().isEmpty()) {
        problem(path, u"the class name is empty"_s);
        return;
    }
    add(label.toString(), Span{*from, *to});
}

void RecordReader::readLabel(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return;
    if (value.isString()) {
        addClass(kLabel, value);
        return;
    }
    if (!value.isArray()) {
        problem(kLabel, u"must be a class name, a list of class names or a list of "
                        u"[start, end, \"LABEL\"] spans"_s);
        return;
    }
    // doccano writes classes and spans alike under "label"; each element says which it is.
    const QJsonArray labels = value.toArray();
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const QString path = u"%1[%2]"_s.arg(kLabel).arg(i);
        if (labels[i].isString())
            addClass(path, labels[i]);
        else if (labels[i].isArray() || labels[i].isObject())
            addSpan(path, labels[i]);
        else
            problem(path, u"the label must be a string (a class name) or a span"_s);
    }
}

void RecordReader::readEntities(const QString &key, const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return;
    if (!value.isArray()) {
        problem(key, u"must be a list of spans"_s);
        return;
    }
    const QJsonArray entities = value.toArray();
    for (qsizetype i = 0; i < entities.size(); ++i) {
        const QString path = u"%1[%2]"_s.arg(key).arg(i);
        if (entities[i].isArray() || entities[i].isObject())
            addSpan(path, entities[i]);
        else
            problem(path, u"a span must be [start, end, \"LABEL\"] or an object"_s);
    }
}

QList<ShapeKind> writtenKinds(TaskType type)
{
    return type == TaskType::Spans ? QList<ShapeKind>{ShapeKind::Span}
                                   : QList<ShapeKind>{ShapeKind::ClassTag};
}

} // namespace

QString JsonlFormat::name() const
{
    return u"jsonl"_s;
}

QString JsonlFormat::displayName() const
{
    return u"JSON Lines (spaCy / doccano)"_s;
}

FormatCapabilities JsonlFormat::capabilities() const
{
    return FormatCapabilities{
        {TaskType::TextClassification, TaskType::TextMultiLabel, TaskType::Spans},
        true,
        true,
        false};
}

QString JsonlFormat::fileFilter() const
{
    return u"JSON Lines (*.jsonl *.json)"_s;
}

LossReport JsonlFormat::lossReport(const ExportData &data) const
{
    LossReport report;
    appendTextFormatLosses(report, data, writtenKinds(data.task.type), u"JSON Lines"_s,
                           data.task.type == TaskType::Spans ? u"text spans"_s : u"text classes"_s);
    return report;
}

Result<void> JsonlFormat::writeData(const ExportData &data, const QString &path,
                                    const Progress &progress) const
{
    QHash<qint64, const LabelClass *> classOf;
    for (const LabelClass &labelClass : data.task.classes)
        classOf.insert(labelClass.id, &labelClass);
    const bool spans = data.task.type == TaskType::Spans;
    const bool multiLabel = isMultiLabel(data.task.type);
    const ShapeKind written = spans ? ShapeKind::Span : ShapeKind::ClassTag;

    // QSaveFile writes beside the target and renames on commit, so a crash, an error or a
    // cancel leaves either the old file or none, never half of one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size())) {
            file.cancelWriting();
            return formatCancelled();
        }
        const ExportItem &item = data.items[i];
        QList<std::pair<Span, const LabelClass *>> labels;
        for (const Annotation &annotation : item.annotations) {
            if (shapeKind(annotation.shape) != written)
                continue; // counted by lossReport
            const LabelClass *labelClass = classOf.value(annotation.classId);
            if (!labelClass) {
                file.cancelWriting();
                return unknownClassError(path, item.item, annotation.classId, data.task);
            }
            const Span *span = std::get_if<Span>(&annotation.shape);
            labels.append({span ? *span : Span{}, labelClass});
        }
        // Spans by place, classes by position: the same project always writes the same file.
        std::stable_sort(labels.begin(), labels.end(), [](const auto &a, const auto &b) {
            if (a.first.start != b.first.start)
                return a.first.start < b.first.start;
            if (a.first.end != b.first.end)
                return a.first.end < b.first.end;
            return a.second->position < b.second->position;
        });

        QByteArray line = "{\"text\":" + jsonText(item.item.text);
        if (spans) {
            QJsonArray entities;
            for (const auto &[span, labelClass] : labels)
                entities.append(QJsonArray{span.start, span.end, labelClass->name});
            line += ",\"entities\":" + jsonText(entities);
        } else if (!multiLabel && labels.size() == 1) {
            line += ",\"label\":" + jsonText(labels.front().second->name);
        } else if (multiLabel || !labels.isEmpty()) {
            QJsonArray names;
            for (const auto &label : labels)
                names.append(label.second->name);
            line += ",\"label\":" + jsonText(names);
        }
        // The fields the item came with, less the ones this record now answers for.
        QJsonObject extra = item.item.extra;
        for (const QString &key : {kText, kData, kLabel, kEntities, kSpans, kAnswer})
            extra.remove(key);
        for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
            line += ',' + jsonText(it.key()) + ':' + jsonText(it.value());
        line += "}\n";
        file.write(line);
    }
    if (!file.commit())
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

Result<FormatReadResult> JsonlFormat::readPath(const QString &path, const Progress &progress) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QList<QByteArray> lines = file.readAll().split('\n');
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QString fileName = QFileInfo(path).fileName();
    FormatReadResult result;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        if (!progress.advance(n, lines.size()))
            return formatCancelled();
        QByteArray bytes = lines[n];
        if (n == 0 && bytes.startsWith("\xef\xbb\xbf"))
            bytes.remove(0, 3);
        if (bytes.endsWith('\r'))
            bytes.chop(1);
        if (bytes.trimmed().isEmpty())
            continue;
        const QString where = lineRef(path, n + 1);
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            // Qt gives a byte offset; people count characters.
            const qint64 column = codePointLength(QString::fromUtf8(bytes.left(parseError.offset)));
            result.problems.append(FormatProblem{
                u"%1:%2"_s.arg(where).arg(column + 1),
                u"malformed JSON: %1; the line is skipped"_s.arg(parseError.errorString())});
            continue;
        }
        if (!document.isObject()) {
            result.problems.append(
                FormatProblem{where, u"the line is not a JSON object; it is skipped"_s});
            continue;
        }
        QJsonObject object = document.object();
        const QString textKey = object.contains(kText) ? kText : kData;
        if (!object.value(textKey).isString()) {
            result.problems.append(FormatProblem{
                where, object.contains(textKey)
                           ? u"\"%1\" is not a string; the line is skipped"_s.arg(textKey)
                           : u"no \"text\" field; the line is skipped"_s});
            continue;
        }
        ImportedItem item;
        item.path = absolute;
        item.text = object.take(textKey).toString();
        item.sourceRef = lineRef(fileName, n + 1);
        // A Prodigy record the annotator rejected says the label does NOT apply; reading it
        // as a label would invert it.
        const QJsonValue answer = object.value(kAnswer);
        if (answer.isString() && answer.toString() != u"accept"_s) {
            result.problems.append(FormatProblem{
                where + u": "_s + kAnswer,
                u"the answer is \"%1\", not \"accept\": its labels are not read"_s.arg(
                    answer.toString())});
            object.remove(kLabel);
            object.remove(kEntities);
            object.remove(kSpans);
        }
        object.remove(kAnswer);
        RecordReader reader(where, result, item);
        reader.readLabel(object.take(kLabel));
        reader.readEntities(kEntities, object.take(kEntities));
        reader.readEntities(kSpans, object.take(kSpans));
        item.extra = object;
        result.items.append(std::move(item));
    }
    return result;
}

} // namespace fieldmark
