#include "imagecache.h"

#include "ui/preview/imageloader.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

ImageCache::ImageCache(QObject *parent)
    : QObject(parent)
{}

ImageCache::~ImageCache()
{
    // Running decodes hold only their path and this flag: they stop early and nothing is
    // reported.
    m_cancel->store(true);
}

ImageCache::Decoded ImageCache::decode(const QString &path, const std::atomic_bool *cancel)
{
    Decoded decoded;
    ImageLoader::Decoded image = ImageLoader::decode(path, QSize());
    if (image.image.isNull()) {
        decoded.error = image.error;
        return decoded;
    }
    decoded.pyramid = ImagePyramid::build(std::move(image.image), cancel);
    return decoded;
}

void ImageCache::request(const QString &path)
{
    if (const ImagePyramidPtr pyramid = cached(path)) {
        m_entries[path].lastUse = ++m_clock;
        Q_EMIT ready(path, pyramid);
        return;
    }
    if (m_running.contains(path)) {
        m_running[path] = true; // a prefetch already decoding it: report when done
        return;
    }
    m_running.insert(path, true);
    start(path);
}

void ImageCache::prefetch(const QStringList &paths)
{
    m_prefetch.clear();
    for (const QString &path : paths) {
        if (!path.isEmpty() && !m_entries.contains(path) && !m_running.contains(path))
            m_prefetch.append(path);
    }
    startNextPrefetch();
}

ImagePyramidPtr ImageCache::cached(const QString &path) const
{
    const auto it = m_entries.constFind(path);
    return it == m_entries.constEnd() ? nullptr : it->pyramid;
}

void ImageCache::startNextPrefetch()
{
    // One prefetch at a time, so the image a person asks for always has a core.
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it) {
        if (!it.value())
            return;
    }
    while (!m_prefetch.isEmpty()) {
        const QString path = m_prefetch.takeFirst();
        if (m_entries.contains(path) || m_running.contains(path))
            continue;
        m_running.insert(path, false);
        start(path);
        return;
    }
}

void ImageCache::start(const QString &path)
{
    auto *watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        if (watcher->future().resultCount() > 0)
            finished(path, watcher->result());
    });
    const std::shared_ptr<std::atomic_bool> cancel = m_cancel;
    watcher->setFuture(QtConcurrent::run([path, cancel] { return decode(path, cancel.get()); }));
}

void ImageCache::finished(const QString &path, const Decoded &decoded)
{
    const bool wanted = m_running.take(path);
    if (decoded.pyramid)
        store(path, decoded.pyramid);
    if (wanted) {
        if (decoded.pyramid)
            Q_EMIT ready(path, decoded.pyramid);
        else
            Q_EMIT failed(path, decoded.error);
    }
    startNextPrefetch();
}

void ImageCache::store(const QString &path, const ImagePyramidPtr &pyramid)
{
    m_entries.insert(path, Entry{pyramid, ++m_clock});
    qint64 total = 0;
    for (const Entry &entry : std::as_const(m_entries))
        total += entry.pyramid->byteCount();
    while (total > m_byteBudget && m_entries.size() > 1) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->lastUse < oldest->lastUse)
                oldest = it;
        }
        total -= oldest->pyramid->byteCount();
        m_entries.erase(oldest);
    }
}

} // namespace fieldmark
