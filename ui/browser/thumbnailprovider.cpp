#include "thumbnailprovider.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageReader>
#include <QPainter>
#include <QSaveFile>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cctype>

namespace fieldmark {

namespace {

// JPEG has no alpha: lay transparent images over white, as viewers do.
QImage withoutAlpha(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return image;
    QImage flat(image.size(), QImage::Format_RGB32);
    flat.fill(Qt::white);
    QPainter painter(&flat);
    painter.drawImage(0, 0, image);
    return flat;
}

} // namespace

ThumbnailProvider::ThumbnailProvider(QObject *parent)
    : QObject(parent)
{
    // Leave a core to the GUI thread; decoding is I/O bound often enough that two help.
    m_maxRunning = std::max(1, QThread::idealThreadCount() - 1);
    m_pool.setMaxThreadCount(m_maxRunning);
    m_cache.setMaxCost(64 * 1024); // 64 MiB of thumbnails, about 1,000 of them
}

ThumbnailProvider::~ThumbnailProvider()
{
    m_queue.clear();
    m_pool.clear();
    // Running decodes are short (one scaled image); their results go nowhere.
    m_pool.waitForDone();
}

void ThumbnailProvider::setCacheDirectory(const QString &directory)
{
    clear();
    m_cacheDirectory = directory;
}

void ThumbnailProvider::clear()
{
    ++m_generation;
    m_queue.clear();
    m_queued.clear();
    m_running.clear();
    m_cache.clear();
    m_errors.clear();
    m_pool.clear();
}

bool ThumbnailProvider::isPending(qint64 itemId) const
{
    return m_queued.contains(itemId) || m_running.contains(itemId);
}

QPixmap ThumbnailProvider::thumbnail(const ThumbnailRequest &request)
{
    if (const QPixmap *cached = m_cache.object(request.itemId))
        return *cached;
    if (m_errors.contains(request.itemId) || m_running.contains(request.itemId))
        return {};
    if (m_queued.contains(request.itemId)) {
        // Asked again: the row is on screen now, so move it to the front of the line.
        const auto it = std::find_if(m_queue.begin(), m_queue.end(), [&](const auto &queued) {
            return queued.itemId == request.itemId;
        });
        if (it != m_queue.end()) {
            ThumbnailRequest moved = *it;
            m_queue.erase(it);
            m_queue.append(moved);
        }
        return {};
    }
    m_queue.append(request);
    m_queued.insert(request.itemId);
    while (m_queue.size() > kMaxQueued)
        m_queued.remove(m_queue.takeFirst().itemId);
    startQueued();
    return {};
}

void ThumbnailProvider::startQueued()
{
    while (!m_queue.isEmpty() && m_running.size() < m_maxRunning) {
        const ThumbnailRequest request = m_queue.takeLast();
        m_queued.remove(request.itemId);
        m_running.insert(request.itemId);
        const quint64 generation = m_generation;
        auto *watcher = new QFutureWatcher<ThumbnailResult>(this);
        connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
            watcher->deleteLater();
            if (watcher->future().resultCount() > 0)
                finished(generation, watcher->result());
        });
        watcher->setFuture(QtConcurrent::run(&m_pool, &ThumbnailProvider::decode, request,
                                             m_cacheDirectory, int(kThumbnailSize)));
    }
}

void ThumbnailProvider::finished(quint64 generation, const ThumbnailResult &result)
{
    if (generation != m_generation)
        return;
    m_running.remove(result.itemId);
    if (result.image.isNull()) {
        m_errors.insert(result.itemId, result.error);
        Q_EMIT thumbnailFailed(result.itemId, result.error);
    } else {
        // Centred on a square, so every row's text starts at the same place.
        QPixmap pixmap(kThumbnailSize, kThumbnailSize);
        pixmap.fill(Qt::transparent);
        {
            QPainter painter(&pixmap);
            QRect target(QPoint(0, 0), result.image.size());
            target.moveCenter(pixmap.rect().center());
            painter.drawImage(target, result.image);
        }
        const int costKiB = std::max(1, pixmap.width() * pixmap.height() * 4 / 1024);
        m_cache.insert(result.itemId, new QPixmap(pixmap), costKiB);
        Q_EMIT thumbnailReady(result.itemId);
    }
    startQueued();
}

QString ThumbnailProvider::diskCachePath(const QString &cacheDirectory, const QByteArray &hash)
{
    if (cacheDirectory.isEmpty() || hash.isEmpty())
        return {};
    QByteArray name = hash;
    if (const qsizetype colon = name.indexOf(':'); colon >= 0)
        name = name.mid(colon + 1);
    // The hash is hex from the store; refuse anything that could leave the folder.
    for (char c : name) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return {};
    }
    return QDir(cacheDirectory)
        .filePath(QStringLiteral("thumbs/") + QString::fromLatin1(name) + QStringLiteral(".jpg"));
}

ThumbnailResult ThumbnailProvider::decode(const ThumbnailRequest &request,
                                          const QString &cacheDirectory, int size)
{
    ThumbnailResult result;
    result.itemId = request.itemId;
    const QFileInfo info(request.path);
    if (!info.exists()) {
        result.error = tr("The file is missing: %1").arg(QDir::toNativeSeparators(request.path));
        return result;
    }
    // A file of another size than at import is not the file the cached thumbnail shows.
    const bool unchanged = request.fileSize <= 0 || info.size() == request.fileSize;
    const QString cached = diskCachePath(cacheDirectory, request.hash);
    if (unchanged && !cached.isEmpty() && QFileInfo::exists(cached)) {
        QImage image(cached);
        if (!image.isNull()) {
            result.image = image;
            return result;
        }
    }

    QImageReader reader(request.path);
    reader.setAutoTransform(true);
    const QSize full = reader.size();
    if (full.isValid() && (full.width() > size || full.height() > size))
        reader.setScaledSize(full.scaled(size, size, Qt::KeepAspectRatio));
    QImage image = reader.read();
    if (image.isNull()) {
        result.error = tr("Cannot decode %1: %2")
                           .arg(QDir::toNativeSeparators(request.path), reader.errorString());
        return result;
    }
    if (image.width() > size || image.height() > size)
        image = image.scaled(size, size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    result.image = image;

    if (unchanged && !cached.isEmpty() && QDir().mkpath(QFileInfo(cached).absolutePath())) {
        // QSaveFile: another process reading the cache never sees half a file.
        QSaveFile file(cached);
        if (file.open(QIODevice::WriteOnly) && withoutAlpha(image).save(&file, "JPG", 85))
            file.commit();
    }
    return result;
}

} // namespace fieldmark
