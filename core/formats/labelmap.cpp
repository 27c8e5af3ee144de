#include "labelmap.h"

#include "core/formats/formatutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPolygonF>
#include <QSet>
#include <QTemporaryDir>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <vector>

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {

// A label map covers its whole image; refuse sizes whose buffer would not be sane to allocate.
constexpr qint64 kMaxPixels = qint64(1) << 28;
constexpr int kMaxValue = 255;

QRgb opaque(QRgb rgb)
{
    return rgb | 0xff000000u;
}

QString colorName(QRgb rgb)
{
    return QColor(rgb).name(QColor::HexRgb);
}

// Sets the pixels of `mask` (placed at `origin`) whose centres lie inside the polygon (even-odd
// rule). cv::fillPoly also fills the pixels its edges touch, which would grow every shape by
// up to a pixel on its right and bottom and turn a polygon traced along pixel edges into a
// larger one; scanning at pixel centres keeps shapes exactly as large as they are.
void fillPolygon(cv::Mat &mask, const QVector<QPointF> &points, QPoint origin)
{
    std::vector<double> crossings;
    for (int row = 0; row < mask.rows; ++row) {
        const double y = origin.y() + row + 0.5;
        crossings.clear();
        for (qsizetype i = 0; i < points.size(); ++i) {
            const QPointF &a = points[i];
            const QPointF &b = points[(i + 1) % points.size()];
            if ((a.y() <= y) != (b.y() <= y))
                crossings.push_back(a.x() + (y - a.y()) * (b.x() - a.x()) / (b.y() - a.y()));
        }
        std::sort(crossings.begin(), crossings.end());
        uchar *out = mask.ptr<uchar>(row);
        for (size_t k = 0; k + 1 < crossings.size(); k += 2) {
            // Pixel x is inside when its centre x + 0.5 lies in [from, to).
            const int first = std::max(0, int(std::ceil(crossings[k] - 0.5)) - origin.x());
            const int last =
                std::min(mask.cols, int(std::ceil(crossings[k + 1] - 0.5)) - origin.x());
            for (int x = first; x < last; ++x)
                out[x] = 255;
        }
    }
}

// The pixels a shape covers, as a 0/255 mask over `rect` (its bounds within the image): a
// pixel belongs to it when its centre does.
cv::Mat shapeMask(const Shape &shape, QRect &rect, const QRect &image, bool &cropped)
{
    cropped = false;
    if (const Box *box = std::get_if<Box>(&shape)) {
        const QRect whole(QPoint(int(std::lround(box->x)), int(std::lround(box->y))),
                          QPoint(int(std::lround(box->x + box->width)) - 1,
                                 int(std::lround(box->y + box->height)) - 1));
        cropped = !image.contains(whole);
        rect = whole & image;
        return rect.isEmpty() ? cv::Mat() : cv::Mat(rect.height(), rect.width(), CV_8UC1, 255);
    }
    if (const Polygon *polygon = std::get_if<Polygon>(&shape)) {
        const QRectF bounds = QPolygonF(polygon->points).boundingRect();
        const QRect whole(QPoint(int(std::floor(bounds.left())), int(std::floor(bounds.top()))),
                          QPoint(int(std::ceil(bounds.right())), int(std::ceil(bounds.bottom()))));
        cropped = !image.contains(whole.adjusted(0, 0, -1, -1));
        rect = whole & image;
        if (rect.isEmpty() || polygon->points.size() < 3)
            return {};
        cv::Mat mask = cv::Mat::zeros(rect.height(), rect.width(), CV_8UC1);
        fillPolygon(mask, polygon->points, rect.topLeft());
        return mask;
    }
    if (const Mask *mask = std::get_if<Mask>(&shape)) {
        const QRect bounds = mask->rle.bounds();
        cropped = !image.contains(bounds);
        rect = bounds & image;
        if (rect.isEmpty())
            return {};
        const cv::Mat local = mask->rle.toMat();
        return local(cv::Rect(rect.x() - bounds.x(), rect.y() - bounds.y(), rect.width(),
                              rect.height()))
            .clone();
    }
    return {};
}

QRectF shapeBounds(const Shape &shape)
{
    if (const Box *box = std::get_if<Box>(&shape))
        return box->rect();
    if (const Polygon *polygon = std::get_if<Polygon>(&shape))
        return QPolygonF(polygon->points).boundingRect();
    if (const Mask *mask = std::get_if<Mask>(&shape))
        return QRectF(mask->rle.bounds());
    return {};
}

// Colour to value. Where labels share a colour the first one keeps it: the background, before
// any placeholder line that labelmap.txt writes in black.
QHash<QRgb, int> colorLookup(const QList<LabelMapEntry> &entries)
{
    QHash<QRgb, int> byColor;
    for (const LabelMapEntry &entry : entries) {
        if (!byColor.contains(opaque(entry.color.rgb())))
            byColor.insert(opaque(entry.color.rgb()), entry.value);
    }
    return byColor;
}

} // namespace

LabelMapPalette LabelMapPalette::forTask(const LabelTask &task, const QString &backgroundName,
                                         QColor background)
{
    LabelMapPalette palette;
    palette.m_entries.append(LabelMapEntry{0, backgroundName, background});
    QSet<QRgb> used{opaque(background.rgb())};
    QList<LabelClass> classes = task.classes;
    std::sort(classes.begin(), classes.end(),
              [](const LabelClass &a, const LabelClass &b) { return a.position < b.position; });
    for (const LabelClass &labelClass : classes) {
        const int value = labelClass.position + 1;
        if (labelClass.position < 0 || value > kMaxValue) {
            ++palette.m_unfit;
            continue;
        }
        QRgb rgb = opaque(
            (labelClass.color.isValid() ? labelClass.color : defaultClassColor(labelClass.position))
                .rgb());
        // Two classes of one colour could not be told apart by a reader that goes by colour.
        for (int step = 1; used.contains(rgb); ++step)
            rgb = qRgb((qRed(rgb) + 37 * step) % 256, (qGreen(rgb) + 73 * step) % 256,
                       (qBlue(rgb) + 11 * step) % 256);
        used.insert(rgb);
        palette.m_entries.append(LabelMapEntry{value, labelClass.name, QColor(rgb)});
        palette.m_valueOfClass.insert(labelClass.id, value);
    }
    return palette;
}

QList<QRgb> LabelMapPalette::colorTable() const
{
    QList<QRgb> table(256, qRgb(0, 0, 0));
    for (const LabelMapEntry &entry : m_entries)
        table[entry.value] = opaque(entry.color.rgb());
    return table;
}

RenderStats &RenderStats::operator+=(const RenderStats &other)
{
    polygons += other.polygons;
    boxes += other.boxes;
    covered += other.covered;
    overwritten += other.overwritten;
    merged += other.merged;
    cropped += other.cropped;
    confidences += other.confidences;
    unwritten += other.unwritten;
    return *this;
}

namespace {

// Paints into a map covering `region` of an image of `size` (shapes are cropped to the image,
// and must lie in `region`), so counting losses on a large image allocates only the part its
// shapes cover.
cv::Mat paint(const QList<Annotation> &annotations, const LabelMapPalette &palette, QSize size,
              const QRect &region, RenderStats *stats)
{
    RenderStats local;
    cv::Mat labels = cv::Mat::zeros(region.height(), region.width(), CV_8UC1);
    // Which annotation painted each pixel, to tell which ones are covered; only when counting.
    cv::Mat owner;
    if (stats)
        owner = cv::Mat(region.height(), region.width(), CV_32SC1, cv::Scalar(-1));
    QList<bool> covered(annotations.size(), false);
    QSet<int> painted;
    const QRect image(QPoint(0, 0), size);
    for (qsizetype i = 0; i < annotations.size(); ++i) {
        const Annotation &annotation = annotations[i];
        const ShapeKind kind = shapeKind(annotation.shape);
        const int value = palette.valueOf(annotation.classId);
        if (kind == ShapeKind::ClassTag || kind == ShapeKind::Span || value < 0) {
            ++local.unwritten;
            continue;
        }
        local.polygons += kind == ShapeKind::Polygon ? 1 : 0;
        local.boxes += kind == ShapeKind::Box ? 1 : 0;
        local.confidences += annotation.provenance.confidence ? 1 : 0;
        if (painted.contains(value))
            ++local.merged;
        painted.insert(value);
        QRect rect;
        bool cropped = false;
        const cv::Mat mask = shapeMask(annotation.shape, rect, image, cropped);
        local.cropped += cropped ? 1 : 0;
        if (mask.empty())
            continue;
        const QRect target = rect & region;
        for (int y = target.top(); y <= target.bottom(); ++y) {
            const uchar *in = mask.ptr<uchar>(y - rect.y()) + (target.x() - rect.x());
            uchar *out = labels.ptr<uchar>(y - region.y()) + (target.x() - region.x());
            int *who = stats ? owner.ptr<int>(y - region.y()) + (target.x() - region.x()) : nullptr;
            for (int x = 0; x < target.width(); ++x) {
                if (!in[x])
                    continue;
                if (who) {
                    if (out[x] != 0 && out[x] != value) {
                        ++local.overwritten;
                        covered[who[x]] = true;
                    }
                    who[x] = int(i);
                }
                out[x] = uchar(value);
            }
        }
    }
    local.covered = std::count(covered.begin(), covered.end(), true);
    if (stats)
        *stats += local;
    return labels;
}

} // namespace

cv::Mat renderLabelMap(const QList<Annotation> &annotations, const LabelMapPalette &palette,
                       QSize size, RenderStats *stats)
{
    return paint(annotations, palette, size, QRect(QPoint(0, 0), size), stats);
}

RenderStats labelMapLosses(const ExportData &data, const LabelMapPalette &palette)
{
    RenderStats total;
    for (const ExportItem &exportItem : data.items) {
        const QList<Annotation> &annotations = exportItem.annotations;
        if (annotations.isEmpty())
            continue;
        const QSize size = imageSizeOf(exportItem.item);
        if (size.isEmpty())
            continue; // nothing can be painted without a size: the writer refuses such an item
        const QRectF image(0, 0, size.width(), size.height());
        // The counts that need no pixels.
        QSet<int> painted;
        QList<qsizetype> shapes; // the annotations painted, in order
        QList<QRect> bounds;
        for (qsizetype i = 0; i < annotations.size(); ++i) {
            const Annotation &annotation = annotations[i];
            const ShapeKind kind = shapeKind(annotation.shape);
            const int value = palette.valueOf(annotation.classId);
            if (kind == ShapeKind::ClassTag || kind == ShapeKind::Span || value < 0) {
                ++total.unwritten;
                continue;
            }
            total.polygons += kind == ShapeKind::Polygon ? 1 : 0;
            total.boxes += kind == ShapeKind::Box ? 1 : 0;
            total.confidences += annotation.provenance.confidence ? 1 : 0;
            total.cropped += image.contains(shapeBounds(annotation.shape)) ? 0 : 1;
            total.merged += painted.contains(value) ? 1 : 0;
            painted.insert(value);
            const QRectF area = shapeBounds(annotation.shape);
            if (!area.isEmpty()) {
                shapes.append(i);
                bounds.append(area.toAlignedRect().adjusted(-1, -1, 1, 1) &
                              QRect(QPoint(0, 0), size));
            }
        }
        // Overlaps need pixels, but only where shapes meet: each group of shapes whose bounds
        // touch one another is painted alone, over its own bounds, so a large image with
        // scattered shapes never costs a full-size map.
        QList<qsizetype> group(shapes.size());
        for (qsizetype i = 0; i < shapes.size(); ++i)
            group[i] = i;
        std::function<qsizetype(qsizetype)> root = [&](qsizetype i) {
            return group[i] == i ? i : group[i] = root(group[i]);
        };
        for (qsizetype i = 0; i < shapes.size(); ++i) {
            for (qsizetype j = i + 1; j < shapes.size(); ++j) {
                if (bounds[i].intersects(bounds[j]))
                    group[root(j)] = root(i);
            }
        }
        QHash<qsizetype, QList<qsizetype>> members;
        for (qsizetype i = 0; i < shapes.size(); ++i)
            members[root(i)].append(i);
        for (const QList<qsizetype> &member : std::as_const(members)) {
            QSet<int> values;
            QRect region;
            QList<Annotation> subset;
            for (qsizetype k : member) {
                values.insert(palette.valueOf(annotations[shapes[k]].classId));
                region |= bounds[k];
                subset.append(annotations[shapes[k]]);
            }
            if (values.size() < 2 || region.isEmpty())
                continue; // one class: nothing of another class to paint over
            RenderStats overlaps;
            paint(subset, palette, size, region, &overlaps);
            total.covered += overlaps.covered;
            total.overwritten += overlaps.overwritten;
        }
    }
    return total;
}

void appendLabelMapLosses(LossReport &report, const RenderStats &stats)
{
    if (stats.polygons > 0)
        report.losses.append(u"%1 polygons are rasterised into the label maps and read back as "
                             u"masks"_s.arg(stats.polygons));
    if (stats.boxes > 0)
        report.losses.append(
            u"%1 boxes are rasterised into the label maps and read back as masks"_s.arg(
                stats.boxes));
    if (stats.covered > 0)
        report.losses.append(u"%1 annotations are partly or wholly painted over by later ones of "
                             u"another class (%2 pixels overwritten): where shapes overlap, the "
                             u"later one wins"_s.arg(stats.covered)
                                 .arg(stats.overwritten));
    if (stats.merged > 0)
        report.losses.append(u"%1 annotations are merged with another of their class on the same "
                             u"image: a label map holds one region per class, read back as one "
                             u"mask"_s.arg(stats.merged));
    if (stats.cropped > 0)
        report.losses.append(
            u"%1 shapes reach past their image and are cropped to it"_s.arg(stats.cropped));
    if (stats.unwritten > 0)
        report.losses.append(
            u"%1 annotations are not written: class tags, text spans, classes past value 255 and "
            u"shapes on images of unknown size have no place in a label map"_s.arg(
                stats.unwritten));
}

Result<void> saveLabelMap(const cv::Mat &labels, const LabelMapPalette &palette,
                          const QString &path)
{
    QImage image(labels.cols, labels.rows, QImage::Format_Indexed8);
    if (image.isNull())
        return makeError(u"cannot write %1: a %2x%3 image does not fit in memory"_s.arg(path)
                             .arg(labels.cols)
                             .arg(labels.rows));
    image.setColorTable(palette.colorTable());
    for (int y = 0; y < labels.rows; ++y)
        std::copy_n(labels.ptr<uchar>(y), labels.cols, image.scanLine(y));
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(u"cannot create the folder %1"_s.arg(QFileInfo(path).absolutePath()));
    // A plain file: label maps are written into a StagedFolder, which syncs once and swaps
    // the whole folder into place, so a sync per file would only cost time.
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    QImageWriter writer(&file, "png");
    if (!writer.write(image) || !file.flush())
        return makeError(u"cannot write %1: %2"_s.arg(
            path, writer.error() != QImageWriter::UnknownError ? writer.errorString()
                                                               : file.errorString()));
    return {};
}

Result<QImage> readLabelImage(const QString &path)
{
    QImageReader reader(path, "png");
    reader.setAutoTransform(false);
    const QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > kMaxPixels)
        return makeError(
            u"%1x%2 pixels is too large for a label map"_s.arg(size.width()).arg(size.height()));
    QImage image = reader.read();
    if (image.isNull())
        return makeError(u"not a readable PNG: %1"_s.arg(reader.errorString()));
    return image;
}

Result<QList<std::pair<int, RleMask>>>
decodeLabelMap(const QImage &source, const QList<LabelMapEntry> &entries, LabelValues values)
{
    QImage image = source;
    if (image.format() == QImage::Format_Mono || image.format() == QImage::Format_MonoLSB)
        image = image.convertToFormat(QImage::Format_Indexed8);
    const bool hasIndices =
        image.format() == QImage::Format_Indexed8 || image.format() == QImage::Format_Grayscale8;
    const int width = image.width(), height = image.height();
    cv::Mat labels(height, width, CV_8UC1);
    auto pixel = [](int x, int y) {
        return u"first at pixel (%1, %2)"_s.arg(x).arg(y);
    };

    if (hasIndices) {
        // lut: what each byte stands for, -1 for a value or colour not in the list.
        std::array<int, 256> lut;
        lut.fill(-1);
        if (values == LabelValues::Index) {
            for (const LabelMapEntry &entry : entries)
                lut[size_t(entry.value)] = entry.value;
            if (lut[kMaxValue] < 0)
                lut[kMaxValue] = 0; // Pascal VOC's "void" border: not labelled
        } else {
            const QHash<QRgb, int> byColor = colorLookup(entries);
            const QList<QRgb> table = image.colorTable();
            for (int v = 0; v < 256; ++v) {
                const QRgb rgb = image.format() == QImage::Format_Grayscale8
                                     ? qRgb(v, v, v)
                                     : (v < table.size() ? opaque(table[v]) : 0u);
                lut[size_t(v)] = byColor.value(rgb, -1);
            }
        }
        for (int y = 0; y < height; ++y) {
            const uchar *in = image.constScanLine(y);
            uchar *out = labels.ptr<uchar>(y);
            for (int x = 0; x < width; ++x) {
                const int mapped = lut[in[x]];
                if (mapped < 0) {
                    if (values == LabelValues::Index)
                        return makeError(u"value %1 is not in the class list (%2)"_s.arg(in[x]).arg(
                            pixel(x, y)));
                    const QList<QRgb> table = image.colorTable();
                    const QRgb rgb =
                        in[x] < table.size() ? table[in[x]] : qRgb(in[x], in[x], in[x]);
                    return makeError(u"colour %1 is not in the class list (%2)"_s.arg(
                        colorName(rgb), pixel(x, y)));
                }
                out[x] = uchar(mapped);
            }
        }
    } else {
        const QHash<QRgb, int> byColor = colorLookup(entries);
        const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
        for (int y = 0; y < height; ++y) {
            const QRgb *in = reinterpret_cast<const QRgb *>(rgb.constScanLine(y));
            uchar *out = labels.ptr<uchar>(y);
            QRgb last = 0;
            int lastValue = -1;
            for (int x = 0; x < width; ++x) {
                const QRgb color = opaque(in[x]);
                if (color != last || lastValue < 0) {
                    last = color;
                    lastValue = byColor.value(color, -1);
                }
                if (lastValue < 0)
                    return makeError(u"colour %1 is not in the class list (%2)"_s.arg(
                        colorName(color), pixel(x, y)));
                out[x] = uchar(lastValue);
            }
        }
    }

    std::array<bool, 256> present{};
    for (int y = 0; y < height; ++y) {
        const uchar *row = labels.ptr<uchar>(y);
        for (int x = 0; x < width; ++x)
            present[row[x]] = true;
    }
    QList<std::pair<int, RleMask>> masks;
    for (int value = 1; value < 256; ++value) {
        if (!present[size_t(value)])
            continue;
        cv::Mat mask;
        cv::compare(labels, cv::Scalar(value), mask, cv::CMP_EQ);
        const cv::Rect box = cv::boundingRect(mask);
        masks.append({value, RleMask::fromMat(mask(box), QPoint(box.x, box.y))});
    }
    return masks;
}

QString placeholderClassName(int value)
{
    return u"unused_%1"_s.arg(value);
}

QByteArray labelmapTxt(const LabelMapPalette &palette)
{
    // Values are line numbers, so a position no class holds still needs its line.
    int last = 0;
    for (const LabelMapEntry &entry : palette.entries())
        last = std::max(last, entry.value);
    QList<const LabelMapEntry *> byValue(last + 1, nullptr);
    for (const LabelMapEntry &entry : palette.entries())
        byValue[entry.value] = &entry;
    QByteArray text = "# label:color_rgb:parts:actions\n";
    for (int value = 0; value <= last; ++value) {
        const LabelMapEntry *entry = byValue[value];
        const QColor color = entry ? entry->color : QColor(0, 0, 0);
        text += (entry ? entry->name : placeholderClassName(value)).toUtf8() + ':' +
                QByteArray::number(color.red()) + ',' + QByteArray::number(color.green()) + ',' +
                QByteArray::number(color.blue()) + "::\n";
    }
    return text;
}

Result<QList<LabelMapEntry>> parseLabelmapTxt(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return makeError(u"cannot open %1: %2"_s.arg(path, file.errorString()));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    QList<LabelMapEntry> entries;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QString where = u"%1:%2"_s.arg(path).arg(i + 1);
        // The name may hold colons; the last three fields are colour, parts and actions.
        QStringList fields = line.split(u':');
        if (fields.size() < 4)
            return makeError(where +
                             u": expected \"name:r,g,b:parts:actions\", found \"%1\""_s.arg(line));
        const QString name = QStringList(fields.mid(0, fields.size() - 3)).join(u':').trimmed();
        const QStringList rgb = fields[fields.size() - 3].split(u',');
        bool ok = rgb.size() == 3 && !name.isEmpty();
        std::array<int, 3> channel{};
        for (int c = 0; ok && c < 3; ++c) {
            channel[size_t(c)] = rgb[c].trimmed().toInt(&ok);
            ok = ok && channel[size_t(c)] >= 0 && channel[size_t(c)] <= 255;
        }
        if (!ok)
            return makeError(where + u": expected a name and a colour \"r,g,b\" of numbers 0 to "
                                     u"255, found \"%1\""_s.arg(line));
        if (entries.size() > kMaxValue)
            return makeError(where + u": more than 256 labels do not fit in 8-bit label maps"_s);
        entries.append(
            LabelMapEntry{int(entries.size()), name, QColor(channel[0], channel[1], channel[2])});
    }
    if (entries.isEmpty())
        return makeError(u"%1: no labels"_s.arg(path));
    return entries;
}

QStringList labelMapNames(const QList<ExportItem> &items, const QString &datasetRoot)
{
    const QDir root(datasetRoot);
    QSet<QString> taken;
    QStringList names;
    names.reserve(items.size());
    for (const ExportItem &exportItem : items) {
        const QString &path = exportItem.item.path;
        QString relative = !datasetRoot.isEmpty() && liesInside(root, path)
                               ? root.relativeFilePath(path)
                               : QFileInfo(path).fileName();
        // Images copied into an export's images/ folder pair with labels of the same name.
        if (relative.startsWith(u"images/"_s))
            relative = relative.mid(7);
        const QString suffix = QFileInfo(relative).suffix();
        const QString stem = suffix.isEmpty() ? relative : relative.chopped(suffix.size() + 1);
        QString name = stem + u".png"_s;
        for (int n = 2; taken.contains(name.toLower()); ++n)
            name = stem + u'_' + QString::number(n) + u".png"_s;
        taken.insert(name.toLower()); // case-insensitive file systems must not merge two
        names.append(name);
    }
    return names;
}

StagedFolder::StagedFolder(const QString &target)
    : m_target(QDir::cleanPath(QFileInfo(target).absoluteFilePath()))
{}

StagedFolder::~StagedFolder()
{
    discard();
    finish();
}

void StagedFolder::discard()
{
    if (!m_staging.isEmpty())
        QDir(m_staging).removeRecursively();
    m_staging.clear();
}

Result<void> StagedFolder::open()
{
    const QFileInfo target(m_target);
    if (!QDir().mkpath(target.absolutePath()))
        return makeError(u"cannot create the folder %1"_s.arg(target.absolutePath()));
    // Beside the target, so the final rename stays on one file system.
    QTemporaryDir staging(target.absolutePath() + u"/."_s + target.fileName() + u"-XXXXXX"_s);
    if (!staging.isValid())
        return makeError(u"cannot create a folder in %1: %2"_s.arg(target.absolutePath(),
                                                                   staging.errorString()));
    staging.setAutoRemove(false);
    m_staging = staging.path();
    return {};
}

QString StagedFolder::filePath(const QString &relative) const
{
    return QDir(m_staging).absoluteFilePath(relative);
}

Result<void> StagedFolder::commit()
{
    // Everything staged is on disk before the folder's name points at it.
    syncFileSystemOf(m_staging + u"/."_s);
    const QFileInfo target(m_target);
    if (target.exists()) {
        QTemporaryDir backup(target.absolutePath() + u"/."_s + target.fileName() +
                             u"-old-XXXXXX"_s);
        if (!backup.isValid() || !QDir().rmdir(backup.path()))
            return makeError(u"cannot replace %1: %2"_s.arg(m_target, backup.errorString()));
        backup.setAutoRemove(false);
        if (!QDir().rename(m_target, backup.path()))
            return makeError(u"cannot replace %1: it cannot be moved aside"_s.arg(m_target));
        m_backup = backup.path();
    }
    if (!QDir().rename(m_staging, m_target)) {
        if (!m_backup.isEmpty())
            QDir().rename(m_backup, m_target);
        m_backup.clear();
        return makeError(
            u"cannot write %1: the new folder cannot be moved into place"_s.arg(m_target));
    }
    m_staging.clear();
    m_committed = true;
    return {};
}

void StagedFolder::rollback()
{
    if (!m_committed)
        return;
    QDir(m_target).removeRecursively();
    if (!m_backup.isEmpty())
        QDir().rename(m_backup, m_target);
    m_backup.clear();
    m_committed = false;
}

void StagedFolder::finish()
{
    if (!m_backup.isEmpty())
        QDir(m_backup).removeRecursively();
    m_backup.clear();
    m_committed = false;
}

} // namespace fieldmark
