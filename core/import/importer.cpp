#include "importer.h"

#include "core/import/csvreader.h"
#include "core/import/imageprobe.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QStringDecoder>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>

namespace fieldmark {

namespace {

// An image to bring in: where it is, and what its source record said about it.
struct ImageJob
{
    QString path;
    QString sourceRef;
    QJsonObject extra;
};

struct ProbedImage
{
    ImageJob job;
    ImageProbe probe;
};

// Files under `paths` accepted by `accept`, in a stable order; folders are searched
// recursively (symbolic links to folders are not followed, so a link loop cannot hang us).
QStringList collectFiles(const QStringList &paths, bool (*accept)(const QString &),
                         QList<ImportProblem> &problems)
{
    QStringList files;
    for (const QString &path : paths) {
        const QFileInfo info(path);
        if (!info.exists()) {
            problems.append({path, QStringLiteral("no such file or folder")});
            continue;
        }
        if (info.isFile()) {
            files.append(info.absoluteFilePath());
            continue;
        }
        QStringList found;
        QDirIterator it(info.absoluteFilePath(), QDir::Files | QDir::Readable | QDir::Hidden,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (accept(it.fileName()))
                found.append(file);
        }
        std::sort(found.begin(), found.end());
        files.append(found);
    }
    return files;
}

bool isTextFileName(const QString &fileName)
{
    return fileName.endsWith(QLatin1String(".txt"), Qt::CaseInsensitive);
}

bool isImageName(const QString &fileName)
{
    return isImageFileName(fileName);
}

Result<QByteArray> readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString()));
    QByteArray data = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(QStringLiteral("%1: cannot be read: %2").arg(path, file.errorString()));
    return data;
}

// Decodes UTF-8 strictly: a file in another encoding is reported, not turned into U+FFFD.
std::optional<QString> decodeUtf8(const QByteArray &data)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(data);
    if (decoder.hasError())
        return std::nullopt;
    if (text.startsWith(QChar(0xfeff)))
        text.remove(0, 1);
    return text;
}

// Splits a JSON Lines file into (line number, line) pairs, skipping blank lines.
QList<std::pair<int, QByteArray>> jsonLines(const QByteArray &data)
{
    QList<std::pair<int, QByteArray>> lines;
    int number = 0;
    for (const QByteArray &line : data.split('\n')) {
        ++number;
        QByteArray trimmed = line.trimmed();
        if (!trimmed.isEmpty())
            lines.append({number, trimmed});
    }
    return lines;
}

} // namespace

Importer::Importer(ProjectStore &store, ImportOptions options)
    : m_store(store)
    , m_options(std::move(options))
{}

// ---- images ----------------------------------------------------------------------------------

namespace {

// Probes images on a thread pool, a batch ahead of the database writes, and adds them.
class ImagePipeline
{
public:
    ImagePipeline(ProjectStore &store, const ImportOptions &options, ImportSummary &summary,
                  const Importer::Progress &progress, const std::atomic<bool> &cancelled)
        : m_store(store)
        , m_options(options)
        , m_summary(summary)
        , m_progress(progress)
        , m_cancelled(cancelled)
    {
        const int threads = options.threads > 0 ? options.threads : QThread::idealThreadCount();
        m_pool.setMaxThreadCount(std::max(1, threads));
    }

    Result<void> run(const QList<ImageJob> &jobs)
    {
        const qint64 maxPixels = m_options.maxPixels;
        auto probeOne = [maxPixels](const ImageJob &job) {
            return ProbedImage{job, probeImageFile(job.path, maxPixels)};
        };
        const qsizetype batch = std::max(1, m_options.batchSize);
        qint64 done = 0;
        const qint64 total = jobs.size();
        if (m_progress)
            m_progress(0, total);
        QFuture<ProbedImage> next;
        auto startBatch = [&](qsizetype from) {
            return QtConcurrent::mapped(&m_pool, jobs.mid(from, batch), probeOne);
        };
        if (!jobs.isEmpty())
            next = startBatch(0);
        for (qsizetype from = 0; from < jobs.size(); from += batch) {
            // A cancel stops before the next write; everything written so far stays, and the
            // batch probed ahead is dropped without waiting for it (a re-run picks it up).
            if (m_cancelled.load()) {
                next.cancel();
                next.waitForFinished();
                m_summary.cancelled = true;
                break;
            }
            const QList<ProbedImage> probed = next.results();
            // Probe the next batch while this one is written.
            if (from + batch < jobs.size())
                next = startBatch(from + batch);
            if (auto written = write(probed); !written) {
                next.cancel();
                next.waitForFinished();
                return written;
            }
            done += probed.size();
            if (m_progress)
                m_progress(done, total);
        }
        return {};
    }

private:
    Result<void> write(const QList<ProbedImage> &probed)
    {
        QList<Item> items;
        QList<const ProbedImage *> sources;
        items.reserve(probed.size());
        for (const ProbedImage &p : probed) {
            ++m_summary.seen;
            if (!p.probe.ok) {
                m_summary.problems.append({p.job.path, p.probe.error});
                continue;
            }
            Item item;
            item.kind = ItemKind::Image;
            item.path = p.job.path;
            item.fileSize = p.probe.fileSize;
            item.hash = p.probe.hash;
            item.width = p.probe.width;
            item.height = p.probe.height;
            item.sourceRef = p.job.sourceRef;
            item.extra = p.job.extra;
            items.append(item);
            sources.append(&p);
        }
        auto added = m_store.addItems(items);
        if (!added)
            return added.error();
        m_summary.added += added->addedIds.size();
        for (const auto &[index, existingId] : added->duplicates) {
            auto existing = m_store.item(existingId);
            m_summary.duplicates.append(
                {sources[index]->job.path, existingId, existing ? existing->path : QString()});
        }
        return {};
    }

    ProjectStore &m_store;
    const ImportOptions &m_options;
    ImportSummary &m_summary;
    const Importer::Progress &m_progress;
    const std::atomic<bool> &m_cancelled;
    QThreadPool m_pool;
};

} // namespace

Result<ImportSummary> Importer::importImages(const QStringList &paths)
{
    QElapsedTimer timer;
    timer.start();
    ImportSummary summary;
    auto importId = m_store.beginImport(paths.join(QStringLiteral(", ")), m_options.annotator);
    if (!importId)
        return importId.error();
    summary.importId = *importId;
    if (m_progress)
        m_progress(0, -1);
    const QStringList files = collectFiles(paths, &isImageName, summary.problems);
    QList<ImageJob> jobs;
    jobs.reserve(files.size());
    for (const QString &file : files)
        jobs.append(ImageJob{file, {}, {}});
    ImagePipeline pipeline(m_store, m_options, summary, m_progress, m_cancelled);
    if (auto ran = pipeline.run(jobs); !ran)
        return ran.error();
    summary.seconds = timer.nsecsElapsed() / 1e9;
    if (auto finished = m_store.finishImport(summary.importId, summary.added,
                                             summary.duplicates.size(), summary.problems);
        !finished)
        return finished.error();
    return summary;
}

// ---- texts -----------------------------------------------------------------------------------

Result<ImportSummary> Importer::importTexts(const QString &source, QList<Item> items,
                                            ImportSummary summary)
{
    QElapsedTimer timer;
    timer.start();
    auto importId = m_store.beginImport(source, m_options.annotator);
    if (!importId)
        return importId.error();
    summary.importId = *importId;
    if (auto written = addTexts(items, summary); !written)
        return written.error();
    summary.seconds += timer.nsecsElapsed() / 1e9;
    if (auto finished = m_store.finishImport(summary.importId, summary.added,
                                             summary.duplicates.size(), summary.problems);
        !finished)
        return finished.error();
    return summary;
}

Result<void> Importer::addTexts(const QList<Item> &items, ImportSummary &summary)
{
    const qsizetype batch = std::max(1, m_options.batchSize);
    for (qsizetype from = 0; from < items.size(); from += batch) {
        if (m_cancelled.load()) {
            summary.cancelled = true;
            break;
        }
        const QList<Item> chunk = items.mid(from, batch);
        auto added = m_store.addItems(chunk);
        if (!added)
            return added.error();
        summary.added += added->addedIds.size();
        for (const auto &[index, existingId] : added->duplicates) {
            const Item &item = chunk[index];
            summary.duplicates.append({item.sourceRef.isEmpty() ? item.path : item.sourceRef,
                                       existingId,
                                       item.sourceRef.isEmpty() ? item.path : item.sourceRef});
        }
        if (m_progress)
            m_progress(std::min(items.size(), from + batch), items.size());
    }
    return {};
}

Result<ImportSummary> Importer::importTextFiles(const QStringList &paths)
{
    ImportSummary summary;
    const QStringList files = collectFiles(paths, &isTextFileName, summary.problems);
    QList<Item> items;
    for (const QString &path : files) {
        ++summary.seen;
        auto data = readWholeFile(path);
        if (!data) {
            summary.problems.append({path, data.errorString().mid(path.size() + 2)});
            continue;
        }
        const auto text = decodeUtf8(*data);
        if (!text) {
            summary.problems.append({path, QStringLiteral("not valid UTF-8 text")});
            continue;
        }
        if (text->trimmed().isEmpty()) {
            summary.problems.append({path, QStringLiteral("the file holds no text")});
            continue;
        }
        Item item;
        item.kind = ItemKind::Text;
        item.path = path;
        item.fileSize = data->size();
        item.text = *text;
        item.hash = textHash(*text);
        items.append(item);
    }
    return importTexts(paths.join(QStringLiteral(", ")), std::move(items), std::move(summary));
}

Result<ImportSummary> Importer::importJsonl(const QString &path)
{
    auto data = readWholeFile(path);
    if (!data)
        return data.error();
    ImportSummary summary;
    QList<Item> items;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const QStringList fields = m_options.jsonField.isEmpty()
                                   ? QStringList{QStringLiteral("text"), QStringLiteral("source")}
                                   : QStringList{m_options.jsonField};
    for (const auto &[line, bytes] : jsonLines(*data)) {
        ++summary.seen;
        const QString where = QStringLiteral("%1:%2").arg(absolute).arg(line);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError) {
            summary.problems.append({where, QStringLiteral("malformed JSON at column %1: %2")
                                                .arg(error.offset + 1)
                                                .arg(error.errorString())});
            continue;
        }
        if (!doc.isObject()) {
            summary.problems.append({where, QStringLiteral("the line is not a JSON object")});
            continue;
        }
        QJsonObject object = doc.object();
        QString field;
        for (const QString &candidate : fields) {
            if (object.contains(candidate)) {
                field = candidate;
                break;
            }
        }
        if (field.isEmpty() || !object.value(field).isString() ||
            object.value(field).toString().trimmed().isEmpty()) {
            summary.problems.append(
                {where,
                 field.isEmpty()
                     ? QStringLiteral("no '%1' field").arg(fields.join(QStringLiteral("' or '")))
                     : QStringLiteral("field '%1' is not a non-empty string").arg(field)});
            continue;
        }
        Item item;
        item.kind = ItemKind::Text;
        item.text = object.take(field).toString();
        item.hash = textHash(item.text);
        item.path = absolute;
        item.sourceRef = where;
        item.extra = object;
        items.append(item);
    }
    return importTexts(absolute, std::move(items), std::move(summary));
}

Result<ImportSummary> Importer::importCsv(const QString &path)
{
    auto data = readWholeFile(path);
    if (!data)
        return data.error();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!decodeUtf8(*data))
        return makeError(QStringLiteral("%1: not valid UTF-8 text").arg(absolute));
    auto records = parseCsv(*data);
    if (!records)
        return makeError(QStringLiteral("%1:%2").arg(absolute, records.errorString().mid(5)));
    if (records->isEmpty())
        return makeError(QStringLiteral("%1: the file has no header row").arg(absolute));
    const QStringList header = records->front().fields;
    const qsizetype column = header.indexOf(m_options.csvColumn);
    if (column < 0)
        return makeError(
            QStringLiteral("%1:1: no column named '%2' (columns: %3)")
                .arg(absolute, m_options.csvColumn, header.join(QStringLiteral(", "))));
    ImportSummary summary;
    QList<Item> items;
    for (qsizetype r = 1; r < records->size(); ++r) {
        const CsvRecord &record = records->at(r);
        ++summary.seen;
        const QString where = QStringLiteral("%1:%2").arg(absolute).arg(record.line);
        if (record.fields.size() != header.size()) {
            summary.problems.append({where, QStringLiteral("has %1 fields; the header has %2")
                                                .arg(record.fields.size())
                                                .arg(header.size())});
            continue;
        }
        const QString text = record.fields.at(column);
        if (text.trimmed().isEmpty()) {
            summary.problems.append(
                {where, QStringLiteral("column '%1' is empty").arg(m_options.csvColumn)});
            continue;
        }
        Item item;
        item.kind = ItemKind::Text;
        item.text = text;
        item.hash = textHash(text);
        item.path = absolute;
        item.sourceRef = where;
        for (qsizetype c = 0; c < header.size(); ++c) {
            if (c != column)
                item.extra.insert(header[c], record.fields[c]);
        }
        items.append(item);
    }
    return importTexts(absolute, std::move(items), std::move(summary));
}

Result<ImportSummary> Importer::importManifest(const QString &path)
{
    QElapsedTimer timer;
    timer.start();
    auto data = readWholeFile(path);
    if (!data)
        return data.error();
    const QFileInfo manifest(path);
    const QString absolute = manifest.absoluteFilePath();
    ImportSummary summary;
    QList<ImageJob> images;
    QList<Item> texts;
    for (const auto &[line, bytes] : jsonLines(*data)) {
        const QString where = QStringLiteral("%1:%2").arg(absolute).arg(line);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject()) {
            ++summary.seen;
            summary.problems.append({where, error.error != QJsonParseError::NoError
                                                ? QStringLiteral("malformed JSON at column %1: %2")
                                                      .arg(error.offset + 1)
                                                      .arg(error.errorString())
                                                : QStringLiteral("the line is not a JSON object")});
            continue;
        }
        QJsonObject object = doc.object();
        if (object.value(QStringLiteral("source-ref")).isString()) {
            const QString ref = object.take(QStringLiteral("source-ref")).toString();
            if (ref.contains(QLatin1String("://"))) {
                ++summary.seen;
                summary.problems.append(
                    {where, QStringLiteral("source-ref '%1' is a remote address; Fieldmark reads "
                                           "local files: copy the images and give their paths "
                                           "relative to the manifest")
                                .arg(ref)});
                continue;
            }
            const QString file = QDir::cleanPath(manifest.absoluteDir().absoluteFilePath(ref));
            object.insert(QStringLiteral("source-ref"), ref); // kept, for export back
            images.append(ImageJob{file, where, object});
        } else if (object.value(QStringLiteral("source")).isString()) {
            ++summary.seen;
            Item item;
            item.kind = ItemKind::Text;
            item.text = object.take(QStringLiteral("source")).toString();
            if (item.text.trimmed().isEmpty()) {
                summary.problems.append({where, QStringLiteral("field 'source' is empty")});
                continue;
            }
            item.hash = textHash(item.text);
            item.path = absolute;
            item.sourceRef = where;
            item.extra = object;
            texts.append(item);
        } else {
            ++summary.seen;
            summary.problems.append(
                {where, QStringLiteral("neither a 'source-ref' nor a 'source' string field")});
        }
    }

    auto importId = m_store.beginImport(absolute, m_options.annotator);
    if (!importId)
        return importId.error();
    summary.importId = *importId;
    ImagePipeline pipeline(m_store, m_options, summary, m_progress, m_cancelled);
    if (auto ran = pipeline.run(images); !ran)
        return ran.error();
    if (!summary.cancelled) {
        if (auto written = addTexts(texts, summary); !written)
            return written.error();
    }
    summary.seconds = timer.nsecsElapsed() / 1e9;
    if (auto finished = m_store.finishImport(summary.importId, summary.added,
                                             summary.duplicates.size(), summary.problems);
        !finished)
        return finished.error();
    return summary;
}

QByteArray textHash(const QString &text)
{
    return "sha1:" + QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex();
}

} // namespace fieldmark
