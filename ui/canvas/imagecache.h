#pragma once

#include "ui/canvas/imagepyramid.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>

namespace fieldmark {

// Decodes images for the canvas on worker threads (full resolution, then the pyramid) and keeps
// the most recent ones, so the neighbours prefetched while a person works on one item show at
// once. The image asked for with request() always starts at once; prefetches run one at a time
// behind it. Results come back on the GUI thread through ready() and failed().
class ImageCache : public QObject
{
    Q_OBJECT

public:
    explicit ImageCache(QObject *parent = nullptr);
    ~ImageCache() override;

    // Emits ready() or failed() for `path`: at once when cached, else after decoding.
    void request(const QString &path);
    // Decodes these ahead, in order, replacing the previous prefetch list.
    void prefetch(const QStringList &paths);
    ImagePyramidPtr cached(const QString &path) const;
    bool isDecoding(const QString &path) const { return m_running.contains(path); }
    // Decodes started and not yet reported (cancelled ones included until they stop).
    int runningCount() const { return int(m_running.size()); }

    // Decoded images beyond this many bytes are dropped, oldest first (the newest stays).
    void setByteBudget(qint64 bytes) { m_byteBudget = bytes; }
    // Images of at least this many pixels get a reduced preview (previewReady()) while the full
    // decode runs; 0 turns previews off.
    void setPreviewThreshold(qint64 pixels) { m_previewThreshold = pixels; }
    static constexpr qint64 DefaultPreviewThreshold = 40'000'000;
    static constexpr int PreviewSide = 2048;

    // The whole decode, as run on a worker: the image file to a pyramid, or a message naming
    // the file; neither when `cancel` was set.
    struct Decoded
    {
        ImagePyramidPtr pyramid;
        QString error;
    };
    static Decoded decode(const QString &path, const std::atomic_bool *cancel = nullptr);
    // A preview of the file when it has at least `threshold` pixels, else null: decoded
    // reduced (JPEG decodes straight to 1/2, 1/4 or 1/8), at most PreviewSide on its longer side.
    static ImagePyramidPtr decodePreview(const QString &path, qint64 threshold,
                                         const std::atomic_bool *cancel = nullptr);

Q_SIGNALS:
    void ready(const QString &path, const fieldmark::ImagePyramidPtr &pyramid);
    // A stand-in for a requested large image, before ready().
    void previewReady(const QString &path, const fieldmark::ImagePyramidPtr &pyramid);
    void failed(const QString &path, const QString &error);

private:
    void start(const QString &path, bool wanted);
    void startPreview(const QString &path, const std::shared_ptr<std::atomic_bool> &cancel);
    void startNextPrefetch();
    void store(const QString &path, const ImagePyramidPtr &pyramid);
    void finished(const QString &path, const Decoded &decoded);

    struct Entry
    {
        ImagePyramidPtr pyramid;
        quint64 lastUse = 0;
    };
    struct Running
    {
        bool wanted = false; // asked for with request(), not only prefetched
        std::shared_ptr<std::atomic_bool> cancel;
    };
    QHash<QString, Entry> m_entries;
    QHash<QString, Running> m_running;
    QStringList m_prefetch;
    quint64 m_clock = 0;
    qint64 m_byteBudget = qint64(1024) * 1024 * 1024;
    qint64 m_previewThreshold = DefaultPreviewThreshold;
};

} // namespace fieldmark
