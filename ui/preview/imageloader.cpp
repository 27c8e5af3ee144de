#include "imageloader.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

namespace fieldmark {

ImageLoader::ImageLoader(QObject *parent)
    : QObject(parent)
{}

void ImageLoader::load(qint64 itemId, const QString &path, const QSize &maxSize)
{
    const Request request{++m_request, itemId, path, maxSize};
    m_pendingId = itemId;
    if (m_decoding)
        m_next = request; // replaces any older waiting request
    else
        startDecode(request);
}

void ImageLoader::startDecode(const Request &request)
{
    m_decoding = true;
    auto *watcher = new QFutureWatcher<Decoded>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, request] {
        watcher->deleteLater();
        m_decoding = false;
        const bool current = request.serial == m_request && watcher->future().resultCount() > 0;
        if (current) {
            m_pendingId = 0;
            const Decoded decoded = watcher->result();
            if (decoded.image.isNull())
                Q_EMIT failed(request.itemId, decoded.error);
            else
                Q_EMIT loaded(request.itemId, decoded.image, decoded.originalSize);
        }
        if (m_next) {
            const Request next = *m_next;
            m_next.reset();
            if (next.serial == m_request)
                startDecode(next);
        }
    });
    watcher->setFuture(QtConcurrent::run(&ImageLoader::decode, request.path, request.maxSize));
}

void ImageLoader::cancel()
{
    ++m_request;
    m_pendingId = 0;
    m_next.reset();
}

ImageLoader::Decoded ImageLoader::decode(const QString &path, const QSize &maxSize)
{
    Decoded decoded;
    const QString where = QDir::toNativeSeparators(path);
    if (!QFileInfo(path).isFile()) {
        decoded.error =
            QCoreApplication::translate("fieldmark::ImageLoader", "The file is missing: %1")
                .arg(where);
        return decoded;
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // A full-resolution decode for the canvas may be far above Qt's 256 MB default (a
    // 20,000 x 20,000 photo is 1.6 GB); the cap still refuses a header that lies absurdly.
    if (!maxSize.isValid())
        reader.setAllocationLimit(FullDecodeLimitMB);
    decoded.originalSize = reader.size();
    if (decoded.originalSize.isValid() && maxSize.isValid() &&
        (decoded.originalSize.width() > maxSize.width() ||
         decoded.originalSize.height() > maxSize.height()))
        reader.setScaledSize(decoded.originalSize.scaled(maxSize, Qt::KeepAspectRatio));
    decoded.image = reader.read();
    if (decoded.image.isNull())
        decoded.error =
            QCoreApplication::translate("fieldmark::ImageLoader", "Cannot decode %1: %2")
                .arg(where, reader.errorString());
    return decoded;
}

} // namespace fieldmark
