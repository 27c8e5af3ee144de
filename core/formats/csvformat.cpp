#include "csvformat.h"

#include "core/formats/textformatsupport.h"
#include "core/import/csvreader.h"
#include "core/import/imageprobe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QSaveFile>
#include <QStringDecoder>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

const QStringList kHeader{u"item"_s, u"label"_s};
constexpr QChar kLabelSeparator = u';';

// RFC 4180: a field with a comma, a quote or a line break is quoted, quotes doubled. Blanks
// at either end are quoted too, as some readers trim unquoted fields.
QByteArray csvField(const QString &value)
{
    const bool quote = value.contains(u',') || value.contains(u'"') || value.contains(u'\n') ||
                       value.contains(u'\r') ||
                       (!value.isEmpty() && (value.front().isSpace() || value.back().isSpace()));
    if (!quote)
        return value.toUtf8();
    QString escaped = value;
    escaped.replace(u"\""_s, u"\"\""_s);
    return '"' + escaped.toUtf8() + '"';
}

bool isInside(const QString &relative)
{
    return relative != u".."_s && !relative.startsWith(u"../"_s) && !QDir::isAbsolutePath(relative);
}

// What the item column holds for an image: its path relative to `root` when it lies in it,
// else its absolute path.
QString imageCell(const QString &root, const QString &path)
{
    const QString relative = QDir(root).relativeFilePath(path);
    return isInside(relative) ? relative : QFileInfo(path).absoluteFilePath();
}

} // namespace

QString CsvFormat::name() const
{
    return u"csv"_s;
}

QString CsvFormat::displayName() const
{
    return u"CSV (item, label)"_s;
}

FormatCapabilities CsvFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::ImageClassification, TaskType::ImageMultiLabel,
                               TaskType::TextClassification, TaskType::TextMultiLabel},
                              true,
                              true,
                              false};
}

QString CsvFormat::fileFilter() const
{
    return u"CSV (*.csv)"_s;
}

LossReport CsvFormat::lossReport(const ExportData &data) const
{
    const QHash<qint64, QString> names = classNamesById(data.task);
    const bool images = itemKindForTaskType(data.task.type) == ItemKind::Image;
    qsizetype unlabeled = 0, splitNames = 0, absolute = 0;
    for (const ExportItem &item : data.items) {
        qsizetype tags = 0;
        for (const Annotation &annotation : item.annotations) {
            if (shapeKind(annotation.shape) != ShapeKind::ClassTag)
                continue;
            ++tags;
            if (names.value(annotation.classId).contains(kLabelSeparator))
                ++splitNames;
        }
        // Without a dataset folder the writer uses the CSV's own, which is not known here.
        if (tags == 0)
            ++unlabeled;
        else if (images && !data.datasetRoot.isEmpty() &&
                 QDir::isAbsolutePath(imageCell(data.datasetRoot, item.item.path)))
            ++absolute;
    }
    LossReport report;
    if (unlabeled > 0)
        report.losses.append(u"%1 items without a class are not written: the CSV holds one row "
                             u"per item and class"_s.arg(unlabeled));
    if (splitNames > 0)
        report.losses.append(u"%1 labels are of classes whose names hold ';', which read back as "
                             u"several classes"_s.arg(splitNames));
    if (absolute > 0)
        report.losses.append(u"%1 images lie outside the dataset folder and are written with "
                             u"absolute paths, which reading the CSV back refuses"_s.arg(absolute));
    appendTextFormatLosses(report, data, {ShapeKind::ClassTag}, u"CSV"_s, u"whole-item classes"_s);
    return report;
}

Result<void> CsvFormat::writeData(const ExportData &data, const QString &path,
                                  const Progress &progress) const
{
    QHash<qint64, const LabelClass *> classOf;
    for (const LabelClass &labelClass : data.task.classes)
        classOf.insert(labelClass.id, &labelClass);
    const bool images = itemKindForTaskType(data.task.type) == ItemKind::Image;
    // The reader resolves paths against the CSV's folder, so that is the default root.
    const QString root =
        data.datasetRoot.isEmpty() ? QFileInfo(path).absolutePath() : data.datasetRoot;

    // QSaveFile writes beside the target and renames on commit, so a crash, an error or a
    // cancel leaves either the old file or none, never half of one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    file.write("item,label\r\n");
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size())) {
            file.cancelWriting();
            return formatCancelled();
        }
        const ExportItem &item = data.items[i];
        QList<const LabelClass *> classes;
        for (const Annotation &annotation : item.annotations) {
            if (shapeKind(annotation.shape) != ShapeKind::ClassTag)
                continue; // counted by lossReport
            const LabelClass *labelClass = classOf.value(annotation.classId);
            if (!labelClass) {
                file.cancelWriting();
                return unknownClassError(path, item.item, annotation.classId, data.task);
            }
            if (!classes.contains(labelClass))
                classes.append(labelClass);
        }
        std::sort(classes.begin(), classes.end(), [](const LabelClass *a, const LabelClass *b) {
            return a->position < b->position;
        });
        const QByteArray cell = csvField(images ? imageCell(root, item.item.path) : item.item.text);
        QByteArray rows;
        for (const LabelClass *labelClass : classes)
            rows += cell + ',' + csvField(labelClass->name) + "\r\n";
        file.write(rows);
    }
    if (!file.commit())
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

Result<FormatReadResult> CsvFormat::readPath(const QString &path, const Progress &progress) const
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(bytes);
    if (decoder.hasError())
        return makeError(u"%1: not valid UTF-8 text"_s.arg(path));
    const Result<QList<CsvRecord>> records = parseCsv(bytes);
    if (!records) // "line 12: ..." from the reader
        return makeError(u"%1:%2"_s.arg(path, records.errorString().mid(5)));
    if (records->isEmpty())
        return makeError(u"%1: the file is empty; expected the header \"item,label\""_s.arg(path));
    const CsvRecord &header = records->front();
    QStringList columns;
    for (const QString &column : header.fields)
        columns.append(column.trimmed().toLower());
    if (columns != kHeader)
        return makeError(u"%1: expected the header \"item,label\", found \"%2\""_s.arg(
            lineRef(path, header.line), header.fields.join(u',')));

    // Images when every item names an image file; a text that happens to end in ".png" among
    // other texts keeps the file a text file.
    bool images = records->size() > 1;
    for (qsizetype r = 1; r < records->size() && images; ++r) {
        const QString item = records->at(r).fields.value(0).trimmed();
        images = !item.contains(u'\n') && isImageFileName(item);
    }

    const QFileInfo info(path);
    const QDir folder = info.absoluteDir();
    FormatReadResult result;
    QHash<QString, qsizetype> indexOf; // by absolute image path, or by text
    for (qsizetype r = 1; r < records->size(); ++r) {
        if (!progress.advance(r - 1, records->size() - 1))
            return formatCancelled();
        const CsvRecord &record = records->at(r);
        const QString where = lineRef(path, record.line);
        auto problem = [&](const QString &reason) {
            result.problems.append(FormatProblem{where, reason});
        };
        if (record.fields.size() != 2) {
            problem(u"has %1 fields; the header has 2 (item, label)"_s.arg(record.fields.size()));
            continue;
        }
        QStringList labels;
        for (const QString &label : record.fields[1].split(kLabelSeparator)) {
            if (!label.trimmed().isEmpty())
                labels.append(label.trimmed());
        }
        if (labels.isEmpty()) {
            problem(u"the label is empty"_s);
            continue;
        }
        QString key = record.fields[0];
        if (key.trimmed().isEmpty()) {
            problem(u"the item is empty"_s);
            continue;
        }
        if (images) {
            // Images are linked by path; one that escapes the CSV's folder is refused, so an
            // import can never point the project at files the user did not hand over.
            const QString cell = key.trimmed();
            key = QDir::cleanPath(folder.absoluteFilePath(cell));
            if (!isInside(folder.relativeFilePath(key))) {
                problem(u"\"%1\" lies outside the folder of the CSV file (%2); skipped"_s.arg(
                    cell, folder.absolutePath()));
                continue;
            }
        }
        auto found = indexOf.constFind(key);
        if (found == indexOf.cend()) {
            ImportedItem item;
            item.sourceRef = lineRef(info.fileName(), record.line);
            if (images) {
                item.path = key;
                const QSize size = QImageReader(key).size();
                if (!QFileInfo::exists(key) || size.width() <= 0 || size.height() <= 0) {
                    problem(QFileInfo::exists(key)
                                ? u"cannot read the size of the image %1"_s.arg(key)
                                : u"no such image: %1"_s.arg(key));
                    continue;
                }
                item.width = size.width();
                item.height = size.height();
            } else {
                item.path = info.absoluteFilePath();
                item.text = key;
            }
            found = indexOf.insert(key, result.items.size());
            result.items.append(std::move(item));
        }
        ImportedItem &item = result.items[*found];
        for (const QString &label : labels) {
            const bool known =
                std::any_of(item.annotations.cbegin(), item.annotations.cend(),
                            [&](const ImportedAnnotation &a) { return a.className == label; });
            if (known)
                continue; // a pair listed twice is one label
            ImportedAnnotation annotation;
            annotation.className = label;
            annotation.shape = ClassTag{};
            item.annotations.append(std::move(annotation));
            if (!result.classes.contains(label))
                result.classes.append(label);
        }
    }
    return result;
}

} // namespace fieldmark
