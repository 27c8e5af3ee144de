#pragma once

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QImage>
#include <QList>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QString>
#include <QThreadPool>

namespace fieldmark {

// What a thumbnail is made from: the item's file, and its hash and size at import, which name
// the thumbnail on disk and tell whether a cached thumbnail is still that file's.
struct ThumbnailRequest
{
    qint64 itemId = 0;
    QString path;
    QByteArray hash; // "sha1:<hex>"
    qint64 fileSize = 0;
};

// The outcome of one background decode.
struct ThumbnailResult
{
    qint64 itemId = 0;
    QImage image;
    QString error; // why there is no image, in a user's words
};

// Decodes thumbnails on its own thread pool, newest request first (the rows a user is looking
// at now), keeps them in memory (QCache) and on disk in <cache>/thumbs/<hash>.jpg so the next
// session does not decode again. The GUI thread only ever turns small images into pixmaps.
class ThumbnailProvider : public QObject
{
    Q_OBJECT

public:
    static constexpr int kThumbnailSize = 128; // the longer side, in pixels
    static constexpr int kMaxQueued = 256;     // older requests are dropped, not decoded

    explicit ThumbnailProvider(QObject *parent = nullptr);
    ~ThumbnailProvider() override;

    // Where thumbnails are kept on disk (a project's cacheDirectory()); empty for memory only.
    // Forgets everything decoded for the previous project.
    void setCacheDirectory(const QString &directory);
    QString cacheDirectory() const { return m_cacheDirectory; }

    // The thumbnail when it is ready (the image centred on a transparent square of
    // kThumbnailSize); otherwise a null pixmap, and a decode is queued (once).
    QPixmap thumbnail(const ThumbnailRequest &request);
    // Why the item has no thumbnail; empty while it is pending or when it has one.
    QString error(qint64 itemId) const { return m_errors.value(itemId); }
    bool isPending(qint64 itemId) const;

    // Drops queued requests, memory and errors (the disk cache stays).
    void clear();

    // Runs on a worker thread: the disk cache if it is still valid, else the file, scaled.
    static ThumbnailResult decode(const ThumbnailRequest &request, const QString &cacheDirectory,
                                  int size);
    static QString diskCachePath(const QString &cacheDirectory, const QByteArray &hash);

Q_SIGNALS:
    void thumbnailReady(qint64 itemId);
    void thumbnailFailed(qint64 itemId, const QString &reason);

private:
    void startQueued();
    void finished(quint64 generation, const ThumbnailResult &result);

    QString m_cacheDirectory;
    QThreadPool m_pool;
    QCache<qint64, QPixmap> m_cache; // cost in KiB
    QHash<qint64, QString> m_errors;
    QList<ThumbnailRequest> m_queue; // newest last
    QSet<qint64> m_queued;
    QSet<qint64> m_running;
    int m_maxRunning = 1;
    quint64 m_generation = 0; // bumped by clear(): results of an older generation are dropped
};

} // namespace fieldmark
