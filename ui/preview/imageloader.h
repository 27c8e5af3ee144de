#pragma once

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>

#include <optional>

namespace fieldmark {

// Decodes the image a user is looking at on a worker thread, scaled down to at most the given
// size (the screen), and reports only the latest request. One decode runs at a time and only
// the newest request waits behind it, so holding an arrow key down through 100,000 items
// never piles up decodes, and a stale image is never shown.
class ImageLoader : public QObject
{
    Q_OBJECT

public:
    struct Decoded
    {
        QImage image;
        QSize originalSize;
        QString error; // in a user's words, naming the file
    };

    explicit ImageLoader(QObject *parent = nullptr);

    void load(qint64 itemId, const QString &path, const QSize &maxSize);
    // Forgets the pending request: its result will not be reported.
    void cancel();
    bool isLoading() const { return m_pendingId != 0; }

    // An invalid `maxSize` decodes at full resolution (the canvas), up to FullDecodeLimitMB.
    static Decoded decode(const QString &path, const QSize &maxSize);
    static constexpr int FullDecodeLimitMB = 4096;

Q_SIGNALS:
    void loaded(qint64 itemId, const QImage &image, const QSize &originalSize);
    void failed(qint64 itemId, const QString &error);

private:
    struct Request
    {
        quint64 serial = 0;
        qint64 itemId = 0;
        QString path;
        QSize maxSize;
    };
    void startDecode(const Request &request);

    quint64 m_request = 0;
    qint64 m_pendingId = 0;
    bool m_decoding = false;
    std::optional<Request> m_next; // the newest request, waiting for the running decode
};

} // namespace fieldmark
