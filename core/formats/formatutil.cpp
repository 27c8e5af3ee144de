#include "formatutil.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QImageReader>
#include <QSet>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <unistd.h>
#elif defined(Q_OS_UNIX)
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace fieldmark {

void syncFileSystemOf(const QString &path)
{
#ifdef Q_OS_LINUX
    const QByteArray folder = QFile::encodeName(QFileInfo(path).absolutePath());
    const int fd = ::open(folder.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || ::syncfs(fd) != 0)
        ::sync();
    if (fd >= 0)
        ::close(fd);
#elif defined(Q_OS_UNIX)
    Q_UNUSED(path);
    ::sync();
#else
    Q_UNUSED(path);
#endif
}

FileBatch::~FileBatch()
{
    for (const Pending &file : std::as_const(m_files))
        QFile::remove(file.temporary);
}

Result<void> FileBatch::add(const QString &path, const QByteArray &bytes)
{
    const QString temporary = path + u".fieldmark-part"_s;
    QFile file(temporary);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    m_files.append({temporary, path});
    if (file.write(bytes) != bytes.size() || !file.flush())
        return makeError(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

Result<void> FileBatch::commit()
{
    if (m_files.isEmpty())
        return {};
    // One sync for the whole batch: the data is on disk before any name points at it.
    syncFileSystemOf(m_files.constFirst().target);
    for (qsizetype i = 0; i < m_files.size(); ++i) {
        const Pending &file = m_files[i];
        // rename(2) replaces an existing target atomically; QFile::rename would refuse it.
        if (std::rename(QFile::encodeName(file.temporary).constData(),
                        QFile::encodeName(file.target).constData()) != 0)
            return makeError(
                u"cannot write %1: %2"_s.arg(file.target, QString::fromLocal8Bit(strerror(errno))));
    }
    m_files.clear();
    return {};
}

Box clampedToImage(const Box &box, int width, int height)
{
    const double x0 = std::clamp(box.x, 0.0, double(width));
    const double y0 = std::clamp(box.y, 0.0, double(height));
    const double x1 = std::clamp(box.x + box.width, x0, double(width));
    const double y1 = std::clamp(box.y + box.height, y0, double(height));
    return Box{x0, y0, x1 - x0, y1 - y0};
}

QPointF clampedToImage(const QPointF &point, int width, int height)
{
    return QPointF(std::clamp(point.x(), 0.0, double(width)),
                   std::clamp(point.y(), 0.0, double(height)));
}

QStringList uniqueBaseNames(const QList<ExportItem> &items)
{
    QHash<QString, int> uses;
    for (const ExportItem &e : items)
        ++uses[QFileInfo(e.item.path).completeBaseName()];
    QStringList names;
    QSet<QString> taken;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString base = QFileInfo(items[i].item.path).completeBaseName();
        QString name = base;
        if (uses.value(base) > 1)
            name = base + u'_' + QString::number(items[i].item.id ? items[i].item.id : i + 1);
        for (int n = 2; taken.contains(name); ++n)
            name = base + u'_' + QString::number(n);
        taken.insert(name);
        names.append(name);
    }
    return names;
}

QList<QVector<QPointF>> maskOutlines(const RleMask &rle)
{
    QList<QVector<QPointF>> outlines;
    if (rle.bounds().isEmpty())
        return outlines;
    cv::Mat mat = rle.toMat();
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mat, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE,
                     cv::Point(rle.bounds().x(), rle.bounds().y()));
    for (const std::vector<cv::Point> &contour : contours) {
        if (contour.size() < 3)
            continue;
        QVector<QPointF> points;
        points.reserve(qsizetype(contour.size()));
        for (const cv::Point &p : contour)
            points.append(QPointF(p.x, p.y));
        outlines.append(std::move(points));
    }
    return outlines;
}

QSize imageSizeOf(const Item &item)
{
    if (item.width > 0 && item.height > 0)
        return QSize(item.width, item.height);
    return QImageReader(item.path).size(); // the header alone, as the importer does
}

bool liesInside(const QDir &root, const QString &path)
{
    const QString relative = root.relativeFilePath(QDir::cleanPath(path));
    return relative != u".."_s && !relative.startsWith(u"../"_s) && !QDir::isAbsolutePath(relative);
}

void appendUnwrittenAttributeLoss(LossReport &report, const ExportData &data,
                                  const QStringList &written, const QString &format)
{
    qsizetype count = 0;
    QStringList keys;
    for (const ExportItem &item : data.items) {
        for (const Annotation &annotation : item.annotations) {
            bool dropped = false;
            for (auto it = annotation.attributes.begin(); it != annotation.attributes.end(); ++it) {
                if (written.contains(it.key()))
                    continue;
                dropped = true;
                if (!keys.contains(it.key()))
                    keys.append(it.key());
            }
            count += dropped ? 1 : 0;
        }
    }
    if (count == 0)
        return;
    keys.sort();
    report.losses.append(u"%1 annotations carry attributes %2 has no place for (%3): they are "
                         u"not written"_s.arg(QString::number(count), format, keys.join(u", "_s)));
}

QString lineColumnAt(const QByteArray &bytes, qsizetype offset)
{
    const QByteArray before = bytes.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype column = before.size() - (before.lastIndexOf('\n') + 1) + 1;
    return u"%1:%2"_s.arg(line).arg(column);
}

} // namespace fieldmark
