#include "yoloformat.h"

#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// Writers print 6 decimals; a value this far past 0 or 1 is still "inside".
constexpr double kEdgeTolerance = 1e-6;

const QStringList &imageSuffixes()
{
    static const QStringList suffixes{u"jpg"_s, u"jpeg"_s, u"png"_s, u"bmp"_s,
                                      u"tif"_s, u"tiff"_s, u"webp"_s};
    return suffixes;
}

QString placeholderName(int position)
{
    return u"unused_%1"_s.arg(position);
}

void appendNumber(QByteArray &line, double value)
{
    line += ' ';
    line += QByteArray::number(std::clamp(value, 0.0, 1.0), 'f', 6);
}

bool reachesPast(const Shape &shape, int width, int height)
{
    const QRectF image(0, 0, width, height);
    if (const Box *box = std::get_if<Box>(&shape))
        return !image.contains(box->rect());
    if (const Polygon *polygon = std::get_if<Polygon>(&shape))
        return std::any_of(polygon->points.begin(), polygon->points.end(), [&](const QPointF &p) {
            return p.x() < 0 || p.y() < 0 || p.x() > width || p.y() > height;
        });
    return false;
}

// Strips a "# comment" that is not inside quotes, then surrounding blanks.
QString stripComment(const QString &text)
{
    QChar quote;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u'#' && (i == 0 || text[i - 1].isSpace())) {
            return text.left(i).trimmed();
        }
    }
    return text.trimmed();
}

QString unquote(const QString &text)
{
    const QString t = text.trimmed();
    if (t.size() >= 2 && t.front() == u'"' && t.back() == u'"') {
        QString inner = t.mid(1, t.size() - 2);
        return inner.replace(u"\\\""_s, u"\""_s).replace(u"\\\\"_s, u"\\"_s);
    }
    if (t.size() >= 2 && t.front() == u'\'' && t.back() == u'\'')
        return t.mid(1, t.size() - 2).replace(u"''"_s, u"'"_s);
    return t;
}

QString yamlQuoted(const QString &name)
{
    QString escaped = name;
    escaped.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s);
    return u'"' + escaped + u'"';
}

// Splits a flow list's inside at commas that are not within quotes.
QStringList splitFlowList(const QString &inside)
{
    QStringList parts;
    QString current;
    QChar quote;
    for (const QChar c : inside) {
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
        } else if (c == u'"' || c == u'\'') {
            quote = c;
        } else if (c == u',') {
            parts.append(unquote(current));
            current.clear();
            continue;
        }
        current += c;
    }
    if (!current.trimmed().isEmpty())
        parts.append(unquote(current));
    return parts;
}

// Just the two shapes of `names` that YOLO tools write: a flow list `names: [a, b]` (on one
// or more lines) and a block mapping `names:` followed by indented `0: a` lines. Gaps in a
// mapping stay empty, so an id pointing at one is reported as out of range.
Result<QStringList> parseDataYamlNames(const QString &path, const QString &displayPath)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (!lines[i].startsWith(u"names:"_s))
            continue;
        const QString where = u"%1:%2"_s.arg(displayPath).arg(i + 1);
        QString rest = stripComment(lines[i].mid(6));
        if (rest.startsWith(u'[')) {
            qsizetype last = i;
            while (!rest.endsWith(u']') && last + 1 < lines.size())
                rest += u' ' + stripComment(lines[++last]);
            if (!rest.endsWith(u']'))
                return makeError(where + u": the names list [ ... ] is never closed"_s);
            return splitFlowList(rest.mid(1, rest.size() - 2));
        }
        if (!rest.isEmpty())
            return makeError(where + u": names must be a list [a, b] or an indented "
                                     u"mapping of class ids to names"_s);
        QStringList names;
        for (qsizetype j = i + 1; j < lines.size(); ++j) {
            const QString entry = stripComment(lines[j]);
            if (entry.isEmpty())
                continue;
            if (!lines[j].front().isSpace())
                break; // the next top-level key
            const QString entryWhere = u"%1:%2"_s.arg(displayPath).arg(j + 1);
            const qsizetype colon = entry.indexOf(u':');
            bool ok = false;
            const int id = colon > 0 ? entry.left(colon).trimmed().toInt(&ok) : -1;
            if (!ok || id < 0 || id > 100000)
                return makeError(entryWhere +
                                 u": expected \"<class id>: <name>\", found \"%1\""_s.arg(entry));
            const QString name = unquote(entry.mid(colon + 1));
            if (name.isEmpty())
                return makeError(entryWhere + u": class %1 has no name"_s.arg(id));
            while (names.size() <= id)
                names.append(QString());
            if (!names[id].isEmpty())
                return makeError(entryWhere + u": class id %1 is given twice"_s.arg(id));
            names[id] = name;
        }
        if (names.isEmpty())
            return makeError(where + u": names is empty"_s);
        return names;
    }
    return makeError(u"%1: no \"names:\" key"_s.arg(displayPath));
}

Result<QStringList> readClassesTxt(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    QStringList names = QString::fromUtf8(file.readAll()).split(u'\n');
    for (QString &name : names)
        name = name.trimmed();
    while (!names.isEmpty() && names.back().isEmpty())
        names.removeLast();
    return names;
}

// Finds the image a label file belongs to: images/<base>.<suffix> beside labels/, else an
// entry of images.txt with that base name.
QString findImage(const QDir &folder, const QString &base, const QHash<QString, QString> &listed)
{
    for (const QString &suffix : imageSuffixes()) {
        const QString candidate = folder.absoluteFilePath(u"images/%1.%2"_s.arg(base, suffix));
        if (QFileInfo::exists(candidate))
            return candidate;
    }
    const QString fromList = listed.value(base);
    if (!fromList.isEmpty() && QFileInfo::exists(fromList))
        return fromList;
    return {};
}

QHash<QString, QString> readImageList(const QDir &folder)
{
    QHash<QString, QString> byBase;
    QFile file(folder.absoluteFilePath(u"images.txt"_s));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return byBase;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &line : lines) {
        const QString path = line.trimmed();
        if (path.isEmpty())
            continue;
        const QString absolute = QDir::cleanPath(folder.absoluteFilePath(path));
        const QString base = QFileInfo(absolute).completeBaseName();
        if (!byBase.contains(base))
            byBase.insert(base, absolute);
    }
    return byBase;
}

} // namespace

QString YoloFormat::name() const
{
    return u"yolo"_s;
}

QString YoloFormat::displayName() const
{
    return u"YOLO txt"_s;
}

FormatCapabilities YoloFormat::capabilities() const
{
    return FormatCapabilities{{TaskType::Boxes, TaskType::Segmentation}, true, true, true};
}

LossReport YoloFormat::lossReport(const ExportData &data) const
{
    const LabelCensus census = LabelCensus::of(data);
    qsizetype clipped = 0;
    for (const ExportItem &exportItem : data.items) {
        const Item &item = exportItem.item;
        for (const Annotation &annotation : exportItem.annotations) {
            const ShapeKind kind = shapeKind(annotation.shape);
            if ((kind == ShapeKind::Box || kind == ShapeKind::Polygon) && item.width > 0 &&
                item.height > 0 && reachesPast(annotation.shape, item.width, item.height))
                ++clipped;
        }
    }
    LossReport report;
    if (census.masks > 0)
        report.losses.append(u"%1 masks are written as their outline polygons: YOLO has no "
                             u"masks, and holes are dropped"_s.arg(census.masks));
    if (census.withConfidence > 0)
        report.losses.append(
            u"confidences are not kept: %1 annotations have one"_s.arg(census.withConfidence));
    appendUnwrittenShapeLosses(report, census, u"YOLO"_s);
    if (clipped > 0)
        report.losses.append(
            u"%1 shapes reach past their image and are clipped to it (boxes wholly outside "
            u"are dropped)"_s.arg(clipped));
    appendProvenanceLoss(report, census);
    return report;
}

Result<void> YoloFormat::writeData(const ExportData &data, const QString &path,
                                   const Progress &progress) const
{
    QHash<qint64, int> positionOf;
    int classCount = 0;
    for (const LabelClass &labelClass : data.task.classes) {
        positionOf.insert(labelClass.id, labelClass.position);
        classCount = std::max(classCount, labelClass.position + 1);
    }
    // Ids are positions, so a position no class holds still needs a line to keep the others'
    // line numbers; a placeholder name keeps it visible.
    QStringList names;
    for (int position = 0; position < classCount; ++position)
        names.append(placeholderName(position));
    for (const LabelClass &labelClass : data.task.classes) {
        if (labelClass.position >= 0)
            names[labelClass.position] = labelClass.name;
    }

    const QDir folder(path);
    if (!folder.mkpath(u"labels"_s))
        return makeError(
            u"cannot create the folder %1"_s.arg(folder.absoluteFilePath(u"labels"_s)));

    const QStringList labelFiles = uniqueBaseNames(data.items);
    QByteArray imageList;
    FileBatch files; // nothing replaces the old files until every new one is written
    for (qsizetype i = 0; i < data.items.size(); ++i) {
        if (!progress.advance(i, data.items.size()))
            return formatCancelled();
        const Item &item = data.items[i].item;
        const QSize size = imageSizeOf(item);
        if (size.width() <= 0 || size.height() <= 0)
            return makeError(u"cannot write %1: the size of image %2 is unknown, and YOLO "
                             u"coordinates are fractions of it"_s.arg(path, item.path));
        const double width = size.width(), height = size.height();

        QByteArray text;
        auto appendPolygon = [&](int id, const QVector<QPointF> &points) {
            text += QByteArray::number(id);
            for (const QPointF &p : points) {
                appendNumber(text, p.x() / width);
                appendNumber(text, p.y() / height);
            }
            text += '\n';
        };
        for (const Annotation &annotation : data.items[i].annotations) {
            const ShapeKind kind = shapeKind(annotation.shape);
            if (kind == ShapeKind::ClassTag || kind == ShapeKind::Span)
                continue; // listed by lossReport
            const auto position = positionOf.constFind(annotation.classId);
            if (position == positionOf.cend() || *position < 0)
                return makeError(u"cannot write %1: an annotation on %2 has class id %3, which "
                                 u"task \"%4\" does not have"_s.arg(path, item.path)
                                     .arg(annotation.classId)
                                     .arg(data.task.name));
            if (kind == ShapeKind::Box) {
                // Clipped to the image first, so the centre stays the centre of what is kept.
                const QRectF r =
                    std::get<Box>(annotation.shape).rect() & QRectF(0, 0, width, height);
                if (r.isEmpty())
                    continue; // wholly outside: nothing to train on; counted by lossReport
                text += QByteArray::number(*position);
                appendNumber(text, r.center().x() / width);
                appendNumber(text, r.center().y() / height);
                appendNumber(text, r.width() / width);
                appendNumber(text, r.height() / height);
                text += '\n';
            } else if (kind == ShapeKind::Polygon) {
                appendPolygon(*position, std::get<Polygon>(annotation.shape).points);
            } else {
                for (const QVector<QPointF> &outline :
                     maskOutlines(std::get<Mask>(annotation.shape).rle))
                    appendPolygon(*position, outline);
            }
        }
        const QString labelPath = folder.absoluteFilePath(u"labels/%1.txt"_s.arg(labelFiles[i]));
        if (Result<void> saved = files.add(labelPath, text); !saved)
            return saved;
        imageList += QFileInfo(item.path).absoluteFilePath().toUtf8() + '\n';
    }

    QByteArray classesTxt;
    QByteArray yaml =
        "# Exported from Fieldmark, task \"" + data.task.name.toUtf8() +
        "\"\n# images.txt lists the images in the order of the label files\n"
        "path: " +
        yamlQuoted(folder.absolutePath()).toUtf8() +
        "\ntrain: images.txt\nval: images.txt\nnc: " + QByteArray::number(classCount) +
        "\nnames:\n";
    for (int position = 0; position < classCount; ++position) {
        classesTxt += names[position].toUtf8() + '\n';
        yaml += "  " + QByteArray::number(position) + ": " + yamlQuoted(names[position]).toUtf8() +
                '\n';
    }
    for (const auto &[file, bytes] :
         {std::pair{u"classes.txt"_s, classesTxt}, std::pair{u"data.yaml"_s, yaml},
          std::pair{u"images.txt"_s, imageList}}) {
        if (Result<void> saved = files.add(folder.absoluteFilePath(file), bytes); !saved)
            return saved;
    }
    return files.commit();
}

Result<FormatReadResult> YoloFormat::readPath(const QString &path, const Progress &progress) const
{
    const QDir folder(path);
    if (!folder.exists())
        return makeError(u"%1: no such folder"_s.arg(path));
    Result<QStringList> names = makeError(QString());
    if (folder.exists(u"data.yaml"_s))
        names = parseDataYamlNames(folder.absoluteFilePath(u"data.yaml"_s), u"data.yaml"_s);
    else if (folder.exists(u"classes.txt"_s))
        names = readClassesTxt(folder.absoluteFilePath(u"classes.txt"_s));
    else
        return makeError(
            u"%1: not a YOLO folder: it has neither data.yaml nor classes.txt"_s.arg(path));
    if (!names)
        return makeError(u"%1: %2"_s.arg(folder.absolutePath(), names.errorString()));
    if (!folder.exists(u"labels"_s))
        return makeError(u"%1: not a YOLO folder: it has no labels folder"_s.arg(path));

    FormatReadResult result;
    // Placeholders for unused positions are not classes; one only becomes one if a label
    // actually uses it.
    for (qsizetype id = 0; id < names->size(); ++id) {
        const QString &name = names->at(id);
        if (!name.isEmpty() && name != placeholderName(int(id)) && !result.classes.contains(name))
            result.classes.append(name);
    }

    const QHash<QString, QString> listed = readImageList(folder);
    const QDir labels(folder.absoluteFilePath(u"labels"_s));
    const QStringList labelFiles = labels.entryList({u"*.txt"_s}, QDir::Files, QDir::Name);
    for (qsizetype fileIndex = 0; fileIndex < labelFiles.size(); ++fileIndex) {
        if (!progress.advance(fileIndex, labelFiles.size()))
            return formatCancelled();
        const QString &labelFile = labelFiles[fileIndex];
        const QString display = u"labels/"_s + labelFile;
        const QString base = QFileInfo(labelFile).completeBaseName();
        const QString image = findImage(folder, base, listed);
        if (image.isEmpty()) {
            result.problems.append(FormatProblem{
                display,
                u"no image found for it: looked for images/%1.{%2} and in images.txt"_s.arg(
                    base, imageSuffixes().join(u','))});
            continue;
        }
        const QSize size = QImageReader(image).size();
        if (size.width() <= 0 || size.height() <= 0) {
            result.problems.append(
                FormatProblem{display, u"cannot read the size of its image %1"_s.arg(image)});
            continue;
        }
        QFile file(labels.absoluteFilePath(labelFile));
        if (!file.open(QIODevice::ReadOnly)) {
            result.problems.append(FormatProblem{display, file.errorString()});
            continue;
        }
        ImportedItem item;
        item.path = image;
        item.width = size.width();
        item.height = size.height();
        const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
        for (qsizetype n = 0; n < lines.size(); ++n) {
            const QStringList fields = lines[n].simplified().split(u' ', Qt::SkipEmptyParts);
            if (fields.isEmpty())
                continue;
            auto problem = [&](const QString &reason) {
                result.problems.append(FormatProblem{u"%1:%2"_s.arg(display).arg(n + 1), reason});
            };
            if (fields.size() != 5 && (fields.size() < 7 || fields.size() % 2 == 0)) {
                problem(u"expected 5 numbers (class cx cy w h) or a class and at least 3 points "
                        u"(an odd count of 7 or more), found %1 fields"_s.arg(fields.size()));
                continue;
            }
            bool ok = false;
            const int classId = fields[0].toInt(&ok);
            if (!ok) {
                problem(u"class id \"%1\" is not a whole number"_s.arg(fields[0]));
                continue;
            }
            if (classId < 0 || classId >= names->size() || names->at(classId).isEmpty()) {
                problem(
                    u"class id %1 is out of range: the folder names %2 classes"_s.arg(classId).arg(
                        names->size()));
                continue;
            }
            QVector<double> numbers;
            numbers.reserve(fields.size() - 1);
            for (qsizetype k = 1; k < fields.size() && ok; ++k)
                numbers.append(fields[k].toDouble(&ok));
            if (!ok) {
                problem(u"\"%1\" is not a number"_s.arg(fields[numbers.size()]));
                continue;
            }
            QVector<double> extent = numbers; // what must lie within [0, 1]
            if (numbers.size() == 4) {
                extent = {numbers[0] - numbers[2] / 2, numbers[1] - numbers[3] / 2,
                          numbers[0] + numbers[2] / 2, numbers[1] + numbers[3] / 2};
                if (numbers[2] < 0 || numbers[3] < 0) {
                    problem(u"box width and height must not be negative"_s);
                    continue;
                }
            }
            if (std::any_of(extent.begin(), extent.end(), [](double v) {
                    return !(v >= -kEdgeTolerance && v <= 1 + kEdgeTolerance);
                })) {
                problem(u"coordinates must be fractions of the image in [0, 1]"_s);
                continue;
            }
            ImportedAnnotation imported;
            imported.className = names->at(classId);
            if (!result.classes.contains(imported.className))
                result.classes.append(imported.className);
            // Within the tolerance past an edge is on it (6 printed decimals round outwards).
            if (numbers.size() == 4) {
                imported.shape =
                    clampedToImage(Box{extent[0] * item.width, extent[1] * item.height,
                                       numbers[2] * item.width, numbers[3] * item.height},
                                   item.width, item.height);
            } else {
                Polygon polygon;
                polygon.points.reserve(numbers.size() / 2);
                for (qsizetype k = 0; k + 1 < numbers.size(); k += 2)
                    polygon.points.append(clampedToImage(
                        QPointF(numbers[k] * item.width, numbers[k + 1] * item.height), item.width,
                        item.height));
                imported.shape = std::move(polygon);
            }
            item.annotations.append(std::move(imported));
        }
        result.items.append(std::move(item));
    }
    return result;
}

} // namespace fieldmark
