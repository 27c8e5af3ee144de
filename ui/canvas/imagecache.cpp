#include "imagecache.h"

#include "ui/preview/imageloader.h"

#include <QFutureWatcher>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

ImageCache::ImageCache(QObject *parent)
    : QObject(parent)
{}

ImageCache::~ImageCache()
{
    // Running decodes hold only their path and their flag: they stop early and nothing is
    // reported.
    for (const Running &running : std::as_const(m_running))
        running.cancel->store(true);
}

ImageCache::Decoded ImageCache::decode(const QString &path, const std::atomic_bool *cancel)
{
    Decoded decoded;
    if (cancel && cancel->load())
        return decoded; // the user moved on before this one got a thread
    ImageLoader::Decoded image = ImageLoader::decode(path, QSize());
    if (image.image.isNull()) {
        decoded.error = image.error;
        return decoded;
    }
    decoded.pyramid = ImagePyramid::build(std::move(image.image), cancel);
    return decoded;
}

ImagePyramidPtr ImageCache::decodePreview(const QString &path, qint64 threshold,
                                          const std::atomic_bool *cancel)
{
    if (threshold <= 0 || (cancel && cancel->load()))
        return nullptr;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (!size.isValid() || qint64(size.width()) * size.height() < threshold)
        return nullptr;
    reader.setScaledSize(size.scaled(PreviewSide, PreviewSide, Qt::KeepAspectRatio));
    const QImage reduced = reader.read();
    if (reduced.isNull())
        return nullptr; // the full decode reports what is wrong
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        size.transpose();
    return ImagePyramid::preview(reduced, size);
}

void ImageCache::startPreview(const QString &path, const std::shared_ptr<std::atomic_bool> &cancel)
{
    auto *watcher = new QFutureWatcher<ImagePyramidPtr>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const ImagePyramidPtr preview =
            watcher->future().resultCount() > 0 ? watcher->result() : nullptr;
        // Only while the full image is still wanted and on its way.
        const auto running = m_running.constFind(path);
        if (preview && running != m_running.constEnd() && running->wanted)
            Q_EMIT previewReady(path, preview);
    });
    const qint64 threshold = m_previewThreshold;
    watcher->setFuture(QtConcurrent::run(
        [path, threshold, cancel] { return decodePreview(path, threshold, cancel.get()); }));
}

void ImageCache::request(const QString &path)
{
    if (const ImagePyramidPtr pyramid = cached(path)) {
        m_entries[path].lastUse = ++m_clock;
        Q_EMIT ready(path, pyramid);
        return;
    }
    // Only the newest request matters: one asked for earlier and still decoding stops, so
    // holding the next-item key down never piles up full-size decodes.
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        if (it.key() != path && it->wanted) {
            it->wanted = false;
            it->cancel->store(true);
        }
    }
    if (m_running.contains(path)) {
        m_running[path].wanted = true; // a prefetch already decoding it: report when done
        return;
    }
    start(path, true);
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
    for (const Running &running : std::as_const(m_running)) {
        if (!running.wanted)
            return;
    }
    while (!m_prefetch.isEmpty()) {
        const QString path = m_prefetch.takeFirst();
        if (m_entries.contains(path) || m_running.contains(path))
            continue;
        start(path, false);
        return;
    }
}

void ImageCache::start(const QString &path, bool wanted)
{
    const auto cancel = std::make_shared<std::atomic_bool>(false);
    m_running.insert(path, Running{wanted, cancel});
    if (wanted && m_previewThreshold > 0)
        startPreview(path, cancel);
    auto *watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        if (watcher->future().resultCount() > 0)
            finished(path, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([path, cancel] { return decode(path, cancel.get()); }));
}

void ImageCache::finished(const QString &path, const Decoded &decoded)
{
    const bool wanted = m_running.take(path).wanted;
    if (decoded.pyramid)
        store(path, decoded.pyramid);
    if (wanted && !decoded.pyramid && decoded.error.isEmpty()) {
        // Cancelled, then asked for again before it stopped (the user came back): decode anew.
        start(path, true);
        return;
    }
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
