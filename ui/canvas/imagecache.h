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

    // The whole decode, as run on a worker: the image file to a pyramid, or a message naming
    // the file; neither when `cancel` was set.
    struct Decoded
    {
        ImagePyramidPtr pyramid;
        QString error;
    };
    static Decoded decode(const QString &path, const std::atomic_bool *cancel = nullptr);

Q_SIGNALS:
    void ready(const QString &path, const fieldmark::ImagePyramidPtr &pyramid);
    void failed(const QString &path, const QString &error);

private:
    void start(const QString &path, bool wanted);
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
};

} // namespace fieldmark
