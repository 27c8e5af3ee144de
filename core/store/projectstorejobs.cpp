// ProjectStore: labeling jobs, the items they sent to people, their iterations and model
// checkpoints.
#include "projectstore.h"

#include "core/store/sqlhelpers.h"

#include <QJsonDocument>

namespace fieldmark {

using namespace storedetail;

namespace {

QJsonObject objectFrom(const QVariant &value)
{
    return QJsonDocument::fromJson(value.toString().toUtf8()).object();
}

QVariant optionalDouble(const std::optional<double> &value)
{
    return value ? QVariant(*value) : QVariant(QMetaType(QMetaType::Double));
}

constexpr const char *kJobColumns =
    "id, task_id, name, policy, settings, state, created_ms, updated_ms";

JobRecord readJob(const QSqlQuery &query)
{
    JobRecord job;
    job.id = query.value(0).toLongLong();
    job.taskId = query.value(1).toLongLong();
    job.name = query.value(2).toString();
    job.policy = query.value(3).toString();
    job.settings = objectFrom(query.value(4));
    job.state = query.value(5).toString();
    job.createdMs = query.value(6).toLongLong();
    job.updatedMs = query.value(7).toLongLong();
    return job;
}

} // namespace

Result<qint64> ProjectStore::addJob(const JobRecord &job)
{
    if (job.name.trimmed().isEmpty())
        return makeError(QStringLiteral("a labeling job needs a name"));
    if (auto t = task(job.taskId); !t)
        return t.error();
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT INTO jobs (task_id, name, policy, settings, state, "
                                 "created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    const qint64 now = nowMs();
    query.addBindValue(job.taskId);
    query.addBindValue(job.name);
    query.addBindValue(job.policy);
    query.addBindValue(toJson(job.settings));
    query.addBindValue(job.state);
    query.addBindValue(now);
    query.addBindValue(now);
    if (!query.exec())
        return makeError(QStringLiteral("cannot create labeling job '%1': %2")
                             .arg(job.name, query.lastError().text()));
    const qint64 id = query.lastInsertId().toLongLong();
    const QJsonObject payload{{QStringLiteral("job"), id},
                              {QStringLiteral("name"), job.name},
                              {QStringLiteral("policy"), job.policy}};
    if (auto logged = appendEvent(QStringLiteral("job.add"), 0, toJson(payload)); !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save labeling job '%1': %2")
                             .arg(job.name, transaction.errorText()));
    return id;
}

Result<JobRecord> ProjectStore::job(qint64 jobId) const
{
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(QLatin1String(kJobColumns)));
    query.addBindValue(jobId);
    if (!query.exec() || !query.next())
        return makeError(QStringLiteral("the project has no labeling job with id %1").arg(jobId));
    return readJob(query);
}

Result<JobRecord> ProjectStore::jobByName(const QString &name) const
{
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("SELECT %1 FROM jobs WHERE name = ?").arg(QLatin1String(kJobColumns)));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return makeError(QStringLiteral("the project has no labeling job '%1'").arg(name));
    return readJob(query);
}

QList<JobRecord> ProjectStore::jobs(std::optional<qint64> taskId) const
{
    QList<JobRecord> result;
    QSqlQuery query(db());
    if (taskId) {
        query.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE task_id = ? ORDER BY id")
                          .arg(QLatin1String(kJobColumns)));
        query.addBindValue(*taskId);
    } else {
        query.prepare(
            QStringLiteral("SELECT %1 FROM jobs ORDER BY id").arg(QLatin1String(kJobColumns)));
    }
    if (query.exec()) {
        while (query.next())
            result.append(readJob(query));
    }
    return result;
}

Result<void> ProjectStore::updateJob(qint64 jobId, const QString &state,
                                     const QJsonObject &settings)
{
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("UPDATE jobs SET state = ?, settings = ?, updated_ms = ? WHERE id = ?"));
    query.addBindValue(state);
    query.addBindValue(toJson(settings));
    query.addBindValue(nowMs());
    query.addBindValue(jobId);
    if (!query.exec() || query.numRowsAffected() != 1)
        return makeError(QStringLiteral("cannot update labeling job %1: %2")
                             .arg(jobId)
                             .arg(query.lastError().text()));
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save labeling job %1: %2")
                             .arg(jobId)
                             .arg(transaction.errorText()));
    return {};
}

Result<void> ProjectStore::addJobItems(qint64 jobId, const QList<qint64> &itemIds,
                                       const QString &role, int batch)
{
    if (itemIds.isEmpty())
        return {};
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT OR IGNORE INTO job_items (job_id, item_id, role, batch) "
                                 "VALUES (?, ?, ?, ?)"));
    for (qint64 item : itemIds) {
        query.addBindValue(jobId);
        query.addBindValue(item);
        query.addBindValue(role);
        query.addBindValue(batch);
        if (!query.exec())
            return makeError(QStringLiteral("cannot queue item %1 in labeling job %2: %3")
                                 .arg(item)
                                 .arg(jobId)
                                 .arg(query.lastError().text()));
    }
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save the queue of labeling job %1: %2")
                             .arg(jobId)
                             .arg(transaction.errorText()));
    return {};
}

QList<JobItemRecord> ProjectStore::jobItems(qint64 jobId) const
{
    QList<JobItemRecord> result;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT item_id, role, batch FROM job_items WHERE job_id = ? ORDER BY batch, item_id"));
    query.addBindValue(jobId);
    if (query.exec()) {
        while (query.next())
            result.append(JobItemRecord{query.value(0).toLongLong(), query.value(1).toString(),
                                        query.value(2).toInt()});
    }
    return result;
}

Result<qint64> ProjectStore::addIteration(const IterationRecord &it)
{
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral(
        "INSERT INTO job_iterations (job_id, number, checkpoint_id, human, machine, remaining, "
        "validation_accuracy, threshold, train_seconds, infer_seconds, metrics, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(it.jobId);
    query.addBindValue(it.number);
    query.addBindValue(nullableId(it.checkpointId));
    query.addBindValue(it.human);
    query.addBindValue(it.machine);
    query.addBindValue(it.remaining);
    query.addBindValue(optionalDouble(it.validationAccuracy));
    query.addBindValue(optionalDouble(it.threshold));
    query.addBindValue(it.trainSeconds);
    query.addBindValue(it.inferSeconds);
    query.addBindValue(toJson(it.metrics));
    query.addBindValue(it.createdMs > 0 ? it.createdMs : nowMs());
    if (!query.exec())
        return makeError(QStringLiteral("cannot record iteration %1 of labeling job %2: %3")
                             .arg(it.number)
                             .arg(it.jobId)
                             .arg(query.lastError().text()));
    const qint64 id = query.lastInsertId().toLongLong();
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save iteration %1 of labeling job %2: %3")
                             .arg(it.number)
                             .arg(it.jobId)
                             .arg(transaction.errorText()));
    return id;
}

QList<IterationRecord> ProjectStore::iterations(qint64 jobId) const
{
    QList<IterationRecord> result;
    QSqlQuery query(db());
    query.prepare(QStringLiteral(
        "SELECT id, job_id, number, checkpoint_id, human, machine, remaining, "
        "validation_accuracy, threshold, train_seconds, infer_seconds, metrics, created_ms "
        "FROM job_iterations WHERE job_id = ? ORDER BY number"));
    query.addBindValue(jobId);
    if (!query.exec())
        return result;
    while (query.next()) {
        IterationRecord it;
        it.id = query.value(0).toLongLong();
        it.jobId = query.value(1).toLongLong();
        it.number = query.value(2).toInt();
        it.checkpointId = query.value(3).toLongLong();
        it.human = query.value(4).toLongLong();
        it.machine = query.value(5).toLongLong();
        it.remaining = query.value(6).toLongLong();
        if (!query.value(7).isNull())
            it.validationAccuracy = query.value(7).toDouble();
        if (!query.value(8).isNull())
            it.threshold = query.value(8).toDouble();
        it.trainSeconds = query.value(9).toDouble();
        it.inferSeconds = query.value(10).toDouble();
        it.metrics = objectFrom(query.value(11));
        it.createdMs = query.value(12).toLongLong();
        result.append(it);
    }
    return result;
}

Result<qint64> ProjectStore::addCheckpoint(const CheckpointRecord &c)
{
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT INTO checkpoints (job_id, task_id, learner, path, "
                                 "classes, metrics, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(nullableId(c.jobId));
    query.addBindValue(c.taskId);
    query.addBindValue(c.learner);
    query.addBindValue(c.path);
    query.addBindValue(c.classes);
    query.addBindValue(toJson(c.metrics));
    query.addBindValue(c.createdMs > 0 ? c.createdMs : nowMs());
    if (!query.exec())
        return makeError(QStringLiteral("cannot record the checkpoint %1: %2")
                             .arg(c.path, query.lastError().text()));
    const qint64 id = query.lastInsertId().toLongLong();
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save the checkpoint %1: %2")
                             .arg(c.path, transaction.errorText()));
    return id;
}

namespace {

constexpr const char *kCheckpointColumns =
    "id, job_id, task_id, learner, path, classes, metrics, created_ms";

CheckpointRecord readCheckpointRecord(const QSqlQuery &query)
{
    CheckpointRecord c;
    c.id = query.value(0).toLongLong();
    c.jobId = query.value(1).toLongLong();
    c.taskId = query.value(2).toLongLong();
    c.learner = query.value(3).toString();
    c.path = query.value(4).toString();
    c.classes = query.value(5).toString();
    c.metrics = objectFrom(query.value(6));
    c.createdMs = query.value(7).toLongLong();
    return c;
}

} // namespace

Result<CheckpointRecord> ProjectStore::checkpoint(qint64 checkpointId) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT %1 FROM checkpoints WHERE id = ?")
                      .arg(QLatin1String(kCheckpointColumns)));
    query.addBindValue(checkpointId);
    if (!query.exec() || !query.next())
        return makeError(
            QStringLiteral("the project has no checkpoint with id %1").arg(checkpointId));
    return readCheckpointRecord(query);
}

QList<CheckpointRecord> ProjectStore::checkpoints(std::optional<qint64> jobId) const
{
    QList<CheckpointRecord> result;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM checkpoints%2 ORDER BY id")
                      .arg(QLatin1String(kCheckpointColumns),
                           jobId ? QStringLiteral(" WHERE job_id = ?") : QString()));
    if (jobId)
        query.addBindValue(*jobId);
    if (query.exec()) {
        while (query.next())
            result.append(readCheckpointRecord(query));
    }
    return result;
}

} // namespace fieldmark
