// ProjectStore: annotations, "nothing to label" marks and the per-task status counts.
#include "projectstore.h"

#include "core/model/validation.h"
#include "core/store/sqlhelpers.h"

#include <QJsonObject>
#include <QScopeGuard>
#include <QSqlDriver>

#include <sqlite3.h>

namespace fieldmark {

using namespace storedetail;

// ---- annotations -----------------------------------------------------------------------------

namespace {

QJsonObject annotationPayload(const Annotation &a)
{
    QJsonObject payload{{QStringLiteral("annotation"), a.id},
                        {QStringLiteral("task"), a.taskId},
                        {QStringLiteral("class"), a.classId},
                        {QStringLiteral("shape"), shapeKindName(shapeKind(a.shape))},
                        {QStringLiteral("state"), labelStateName(a.provenance.state)}};
    if (a.provenance.confidence)
        payload.insert(QStringLiteral("confidence"), *a.provenance.confidence);
    if (a.provenance.modelId)
        payload.insert(QStringLiteral("model"), a.provenance.modelId);
    return payload;
}

void bindProvenance(QSqlQuery &query, const Provenance &p)
{
    query.addBindValue(int(p.state));
    query.addBindValue(nullableId(p.annotatorId));
    query.addBindValue(nullableId(p.modelId));
    query.addBindValue(p.confidence ? QVariant(*p.confidence)
                                    : QVariant(QMetaType(QMetaType::Double)));
}

QVariant attributesValue(const QJsonObject &attributes)
{
    return attributes.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                : QVariant(toJson(attributes));
}

// The single-label rule inside an open transaction: a new class label replaces the item's
// live one; a multi-label item holds each class once.
Result<void> makeRoomForClassTag(QSqlDatabase db, const Annotation &annotation,
                                 const LabelTask &task)
{
    if (shapeKind(annotation.shape) != ShapeKind::ClassTag ||
        annotation.provenance.state == LabelState::Rejected)
        return {};
    QSqlQuery query(db);
    if (isMultiLabel(task.type)) {
        query.prepare(QStringLiteral("SELECT id FROM annotations WHERE item_id = ? AND "
                                     "task_id = ? AND class_id = ? AND state != ?"));
        query.addBindValue(annotation.itemId);
        query.addBindValue(annotation.taskId);
        query.addBindValue(annotation.classId);
        query.addBindValue(int(LabelState::Rejected));
        if (query.exec() && query.next())
            return makeError(QStringLiteral("item %1 already has class '%2'")
                                 .arg(annotation.itemId)
                                 .arg(task.classById(annotation.classId)->name));
        return {};
    }
    query.prepare(QStringLiteral("DELETE FROM annotations WHERE item_id = ? AND "
                                 "task_id = ? AND state != ?"));
    query.addBindValue(annotation.itemId);
    query.addBindValue(annotation.taskId);
    query.addBindValue(int(LabelState::Rejected));
    if (!query.exec())
        return makeError(QStringLiteral("cannot replace the class of item %1: %2")
                             .arg(annotation.itemId)
                             .arg(query.lastError().text()));
    return {};
}

const QString kInsertAnnotation =
    QStringLiteral("INSERT INTO annotations (item_id, task_id, class_id, shape_kind, shape, state, "
                   "annotator_id, model_id, confidence, attributes, created_ms, updated_ms) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

void bindInsert(QSqlQuery &query, const Annotation &annotation, qint64 now)
{
    const qint64 time = annotation.provenance.timeMs > 0 ? annotation.provenance.timeMs : now;
    query.addBindValue(annotation.itemId);
    query.addBindValue(annotation.taskId);
    query.addBindValue(annotation.classId);
    query.addBindValue(int(shapeKind(annotation.shape)));
    query.addBindValue(encodeShape(annotation.shape));
    bindProvenance(query, annotation.provenance);
    query.addBindValue(attributesValue(annotation.attributes));
    query.addBindValue(time);
    query.addBindValue(time);
}

} // namespace

Result<void> ProjectStore::transact(const std::function<Result<void>()> &work)
{
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    if (auto done = work(); !done)
        return done;
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save the project: %1").arg(transaction.errorText()));
    return {};
}

Result<LabelTask> ProjectStore::checkedTask(const Annotation &annotation) const
{
    auto owner = loadItem(annotation.itemId);
    if (!owner)
        return owner.error();
    auto labelTask = task(annotation.taskId);
    if (!labelTask)
        return labelTask.error();
    if (auto valid = validateAnnotation(annotation, *owner, *labelTask); !valid)
        return makeError(
            QStringLiteral("item %1: %2").arg(annotation.itemId).arg(valid.errorString()));
    return labelTask;
}

Result<qint64> ProjectStore::addAnnotation(const Annotation &annotation)
{
    auto labelTask = checkedTask(annotation);
    if (!labelTask)
        return labelTask.error();

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    if (auto room = makeRoomForClassTag(db(), annotation, *labelTask); !room)
        return room.error();
    QSqlQuery query(db());
    query.prepare(kInsertAnnotation);
    bindInsert(query, annotation, nowMs());
    if (!query.exec())
        return makeError(QStringLiteral("cannot add the annotation to item %1: %2")
                             .arg(annotation.itemId)
                             .arg(query.lastError().text()));
    Annotation stored = annotation;
    stored.id = query.lastInsertId().toLongLong();
    if (auto logged =
            appendEvent(QStringLiteral("annotation.add"), annotation.itemId,
                        toJson(annotationPayload(stored)), annotation.provenance.annotatorId);
        !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save the annotation on item %1: %2")
                             .arg(annotation.itemId)
                             .arg(transaction.errorText()));
    return stored.id;
}

namespace {

// Above this many annotations a batch loads every item at once for validation.
constexpr qsizetype kBulkItemLoad = 2000;

// The sqlite3 handle behind a Qt connection (Debian's Qt SQLite driver uses the system
// library), for the bulk insert: QSqlQuery's binding costs more than SQLite's insert itself.
sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

} // namespace

// Inside an open transaction: inserts the (validated) annotations, appending their new ids.
Result<void> ProjectStore::insertAnnotations(const QList<Annotation> &annotations,
                                             const QHash<qint64, LabelTask> &tasks,
                                             QList<qint64> &ids)
{
    const qint64 now = nowMs();
    sqlite3 *raw = sqliteHandle(db());
    sqlite3_stmt *statement = nullptr;
    if (raw && sqlite3_prepare_v2(raw, kInsertAnnotation.toUtf8().constData(), -1, &statement,
                                  nullptr) != SQLITE_OK)
        statement = nullptr;
    const auto finish = qScopeGuard([&] { sqlite3_finalize(statement); });
    QSqlQuery insert(db());
    if (!statement)
        insert.prepare(kInsertAnnotation);
    for (const Annotation &a : annotations) {
        if (auto room = makeRoomForClassTag(db(), a, tasks.value(a.taskId)); !room)
            return room.error();
        if (!statement) {
            bindInsert(insert, a, now);
            if (!insert.exec())
                return makeError(QStringLiteral("cannot add an annotation to item %1: %2")
                                     .arg(a.itemId)
                                     .arg(insert.lastError().text()));
            ids.append(insert.lastInsertId().toLongLong());
            continue;
        }
        const Provenance &p = a.provenance;
        const qint64 time = p.timeMs > 0 ? p.timeMs : now;
        const QByteArray shape = encodeShape(a.shape);
        const QByteArray attributes =
            a.attributes.isEmpty() ? QByteArray() : toJson(a.attributes).toUtf8();
        sqlite3_reset(statement);
        sqlite3_bind_int64(statement, 1, a.itemId);
        sqlite3_bind_int64(statement, 2, a.taskId);
        sqlite3_bind_int64(statement, 3, a.classId);
        sqlite3_bind_int(statement, 4, int(shapeKind(a.shape)));
        sqlite3_bind_blob(statement, 5, shape.constData(), int(shape.size()), SQLITE_STATIC);
        sqlite3_bind_int(statement, 6, int(p.state));
        if (p.annotatorId > 0)
            sqlite3_bind_int64(statement, 7, p.annotatorId);
        else
            sqlite3_bind_null(statement, 7);
        if (p.modelId > 0)
            sqlite3_bind_int64(statement, 8, p.modelId);
        else
            sqlite3_bind_null(statement, 8);
        if (p.confidence)
            sqlite3_bind_double(statement, 9, *p.confidence);
        else
            sqlite3_bind_null(statement, 9);
        if (attributes.isEmpty())
            sqlite3_bind_null(statement, 10);
        else
            sqlite3_bind_text(statement, 10, attributes.constData(), int(attributes.size()),
                              SQLITE_STATIC);
        sqlite3_bind_int64(statement, 11, time);
        sqlite3_bind_int64(statement, 12, time);
        if (sqlite3_step(statement) != SQLITE_DONE)
            return makeError(QStringLiteral("cannot add an annotation to item %1: %2")
                                 .arg(a.itemId)
                                 .arg(QString::fromUtf8(sqlite3_errmsg(raw))));
        ids.append(sqlite3_last_insert_rowid(raw));
    }
    return {};
}

Result<QList<qint64>> ProjectStore::addAnnotations(const QList<Annotation> &annotations,
                                                   const QString &source)
{
    QList<qint64> ids;
    if (annotations.isEmpty())
        return ids;
    // Everything is checked before anything is written; items are looked up once each.
    QHash<qint64, LabelTask> tasks;
    QHash<qint64, Item> owners;
    for (qsizetype i = 0; i < annotations.size(); ++i) {
        const Annotation &a = annotations[i];
        auto taskIt = tasks.find(a.taskId);
        if (taskIt == tasks.end()) {
            auto t = task(a.taskId);
            if (!t)
                return t.error();
            taskIt = tasks.insert(a.taskId, std::move(t).value());
        }
        if (owners.isEmpty() && annotations.size() > kBulkItemLoad) {
            // Many annotations: their items in a few queries beat a query per item.
            QList<qint64> wanted;
            for (const Annotation &b : annotations)
                wanted.append(b.itemId);
            for (Item &item : items(wanted))
                owners.insert(item.id, std::move(item));
        }
        auto ownerIt = owners.find(a.itemId);
        if (ownerIt == owners.end()) {
            auto owner = loadItem(a.itemId);
            if (!owner)
                return owner.error();
            ownerIt = owners.insert(a.itemId, std::move(owner).value());
        }
        if (auto valid = validateAnnotation(a, *ownerIt, *taskIt); !valid)
            return makeError(QStringLiteral("annotation %1 of %2 (item %3): %4")
                                 .arg(i + 1)
                                 .arg(annotations.size())
                                 .arg(a.itemId)
                                 .arg(valid.errorString()));
    }

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    ids.reserve(annotations.size());
    if (auto inserted = insertAnnotations(annotations, tasks, ids); !inserted)
        return inserted.error();
    QJsonObject payload{{QStringLiteral("count"), annotations.size()},
                        {QStringLiteral("firstId"), ids.constFirst()},
                        {QStringLiteral("lastId"), ids.constLast()}};
    if (!source.isEmpty())
        payload.insert(QStringLiteral("source"), source);
    if (auto logged = appendEvent(QStringLiteral("annotation.add-batch"), 0, toJson(payload));
        !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save %1 annotations: %2")
                             .arg(annotations.size())
                             .arg(transaction.errorText()));
    return ids;
}

Result<void> ProjectStore::updateAnnotation(const Annotation &annotation)
{
    auto previous = this->annotation(annotation.id);
    if (!previous)
        return previous.error();
    if (previous->itemId != annotation.itemId || previous->taskId != annotation.taskId)
        return makeError(
            QStringLiteral("annotation %1 cannot move to another item or task").arg(annotation.id));
    auto labelTask = checkedTask(annotation);
    if (!labelTask)
        return labelTask.error();

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral(
        "UPDATE annotations SET class_id = ?, shape_kind = ?, shape = ?, state = ?, "
        "annotator_id = ?, model_id = ?, confidence = ?, attributes = ?, updated_ms = ? "
        "WHERE id = ?"));
    query.addBindValue(annotation.classId);
    query.addBindValue(int(shapeKind(annotation.shape)));
    query.addBindValue(encodeShape(annotation.shape));
    bindProvenance(query, annotation.provenance);
    query.addBindValue(attributesValue(annotation.attributes));
    query.addBindValue(nowMs());
    query.addBindValue(annotation.id);
    if (!query.exec())
        return makeError(QStringLiteral("cannot update annotation %1: %2")
                             .arg(annotation.id)
                             .arg(query.lastError().text()));
    QJsonObject payload = annotationPayload(annotation);
    payload.insert(QStringLiteral("previousState"), labelStateName(previous->provenance.state));
    payload.insert(QStringLiteral("previousClass"), previous->classId);
    if (auto logged = appendEvent(QStringLiteral("annotation.update"), annotation.itemId,
                                  toJson(payload), annotation.provenance.annotatorId);
        !logged)
        return logged;
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save annotation %1: %2")
                             .arg(annotation.id)
                             .arg(transaction.errorText()));
    return {};
}

Result<void> ProjectStore::removeAnnotation(qint64 annotationId)
{
    auto previous = annotation(annotationId);
    if (!previous)
        return previous.error();
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("DELETE FROM annotations WHERE id = ?"));
    query.addBindValue(annotationId);
    if (!query.exec())
        return makeError(QStringLiteral("cannot remove annotation %1: %2")
                             .arg(annotationId)
                             .arg(query.lastError().text()));
    // The removed shape goes into the log so the edit history can be replayed.
    QJsonObject payload = annotationPayload(*previous);
    payload.insert(QStringLiteral("shapeData"),
                   QString::fromLatin1(encodeShape(previous->shape).toBase64()));
    if (auto logged =
            appendEvent(QStringLiteral("annotation.remove"), previous->itemId, toJson(payload));
        !logged)
        return logged;
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save the removal of annotation %1: %2")
                             .arg(annotationId)
                             .arg(transaction.errorText()));
    return {};
}

namespace {

constexpr const char *kAnnotationColumns =
    "id, item_id, task_id, class_id, shape_kind, shape, state, annotator_id, model_id, "
    "confidence, updated_ms, attributes";

Result<Annotation> readAnnotation(const QSqlQuery &query)
{
    Annotation a;
    a.id = query.value(0).toLongLong();
    a.itemId = query.value(1).toLongLong();
    a.taskId = query.value(2).toLongLong();
    a.classId = query.value(3).toLongLong();
    auto shape = decodeShape(ShapeKind(query.value(4).toInt()), query.value(5).toByteArray());
    if (!shape)
        return makeError(
            QStringLiteral("annotation %1 is damaged: %2").arg(a.id).arg(shape.errorString()));
    a.shape = std::move(shape).value();
    a.provenance.state = LabelState(query.value(6).toInt());
    a.provenance.annotatorId = query.value(7).toLongLong();
    a.provenance.modelId = query.value(8).toLongLong();
    if (!query.value(9).isNull())
        a.provenance.confidence = query.value(9).toDouble();
    a.provenance.timeMs = query.value(10).toLongLong();
    const QString attributes = query.value(11).toString();
    if (!attributes.isEmpty())
        a.attributes = QJsonDocument::fromJson(attributes.toUtf8()).object();
    return a;
}

} // namespace

Result<Annotation> ProjectStore::annotation(qint64 annotationId) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT %1 FROM annotations WHERE id = ?")
                      .arg(QLatin1String(kAnnotationColumns)));
    query.addBindValue(annotationId);
    if (!query.exec() || !query.next())
        return makeError(
            QStringLiteral("the project has no annotation with id %1").arg(annotationId));
    return readAnnotation(query);
}

QList<Annotation> ProjectStore::annotations(qint64 itemId, qint64 taskId) const
{
    QList<Annotation> result;
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT %1 FROM annotations WHERE task_id = ? AND item_id = ? "
                                 "ORDER BY id")
                      .arg(QLatin1String(kAnnotationColumns)));
    query.addBindValue(taskId);
    query.addBindValue(itemId);
    if (!query.exec())
        return result;
    while (query.next()) {
        // A damaged row is left out rather than failing the whole item.
        if (auto a = readAnnotation(query))
            result.append(std::move(a).value());
    }
    return result;
}

QList<Annotation> ProjectStore::taskAnnotations(qint64 taskId) const
{
    QList<Annotation> result;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral("SELECT %1 FROM annotations WHERE task_id = ? ORDER BY item_id, id")
            .arg(QLatin1String(kAnnotationColumns)));
    query.addBindValue(taskId);
    if (!query.exec())
        return result;
    while (query.next()) {
        if (auto a = readAnnotation(query))
            result.append(std::move(a).value());
    }
    return result;
}

Result<void> ProjectStore::setSkipped(qint64 itemId, qint64 taskId, const QString &reason,
                                      qint64 annotatorId)
{
    if (auto owner = loadItem(itemId); !owner)
        return owner.error();
    if (auto t = task(taskId); !t)
        return t.error();
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    if (reason.isEmpty()) {
        query.prepare(
            QStringLiteral("DELETE FROM skipped_items WHERE item_id = ? AND task_id = ?"));
        query.addBindValue(itemId);
        query.addBindValue(taskId);
    } else {
        query.prepare(QStringLiteral("INSERT OR REPLACE INTO skipped_items (item_id, task_id, "
                                     "reason, annotator_id, time_ms) VALUES (?, ?, ?, ?, ?)"));
        query.addBindValue(itemId);
        query.addBindValue(taskId);
        query.addBindValue(reason);
        query.addBindValue(nullableId(annotatorId));
        query.addBindValue(nowMs());
    }
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot mark item %1: %2").arg(itemId).arg(query.lastError().text()));
    QJsonObject payload{{QStringLiteral("task"), taskId}, {QStringLiteral("reason"), reason}};
    if (auto logged = appendEvent(reason.isEmpty() ? QStringLiteral("item.unskip")
                                                   : QStringLiteral("item.skip"),
                                  itemId, toJson(payload), annotatorId);
        !logged)
        return logged;
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save item %1: %2").arg(itemId).arg(transaction.errorText()));
    return {};
}

QString ProjectStore::skipReason(qint64 itemId, qint64 taskId) const
{
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("SELECT reason FROM skipped_items WHERE item_id = ? AND task_id = ?"));
    query.addBindValue(itemId);
    query.addBindValue(taskId);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

QList<qint64> ProjectStore::skippedItems(qint64 taskId) const
{
    QList<qint64> ids;
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("SELECT item_id FROM skipped_items WHERE task_id = ? ORDER BY item_id"));
    query.addBindValue(taskId);
    if (query.exec()) {
        while (query.next())
            ids.append(query.value(0).toLongLong());
    }
    return ids;
}

QList<qint64> ProjectStore::modelSkippedItems(qint64 taskId) const
{
    QList<qint64> ids;
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT s.item_id FROM skipped_items s JOIN annotators a ON "
                                 "a.id = s.annotator_id WHERE s.task_id = ? AND a.is_model = 1 "
                                 "ORDER BY s.item_id"));
    query.addBindValue(taskId);
    if (query.exec()) {
        while (query.next())
            ids.append(query.value(0).toLongLong());
    }
    return ids;
}

TaskStatus ProjectStore::taskStatus(qint64 taskId) const
{
    TaskStatus status;
    auto labelTask = task(taskId);
    if (!labelTask)
        return status;
    // Each item falls in exactly one bucket; a pending machine label wins over everything, a
    // human label over reviewed machine labels, and an item with only rejected machine labels
    // is back in the human queue.
    QSqlQuery query(db());
    query.prepare(QStringLiteral(R"(
        WITH a AS (
            SELECT item_id,
                   MAX(state = 1) AS pending,
                   MAX(state IN (0, 3)) AS human,
                   MAX(state = 2) AS accepted,
                   MAX(state = 4) AS rejected
            FROM annotations WHERE task_id = :task GROUP BY item_id)
        SELECT COUNT(*),
               TOTAL(s.item_id IS NOT NULL),
               TOTAL(s.item_id IS NULL AND IFNULL(a.pending, 0) = 1),
               TOTAL(s.item_id IS NULL AND IFNULL(a.pending, 0) = 0 AND IFNULL(a.human, 0) = 1),
               TOTAL(s.item_id IS NULL AND IFNULL(a.pending, 0) = 0 AND IFNULL(a.human, 0) = 0
                     AND IFNULL(a.accepted, 0) = 1),
               TOTAL(s.item_id IS NULL AND IFNULL(a.pending, 0) = 0 AND IFNULL(a.human, 0) = 0
                     AND IFNULL(a.accepted, 0) = 0 AND IFNULL(a.rejected, 0) = 1)
        FROM items i
        LEFT JOIN a ON a.item_id = i.id
        LEFT JOIN skipped_items s ON s.item_id = i.id AND s.task_id = :task
        WHERE i.kind = %1)")
                      // A literal, not a bound value, lets SQLite use the partial indexes.
                      .arg(int(itemKindForTaskType(labelTask->type))));
    query.bindValue(QStringLiteral(":task"), taskId);
    if (query.exec() && query.next()) {
        status.items = query.value(0).toLongLong();
        status.skipped = qint64(query.value(1).toDouble());
        status.awaitingReview = qint64(query.value(2).toDouble());
        status.human = qint64(query.value(3).toDouble());
        status.accepted = qint64(query.value(4).toDouble());
        status.rejected = qint64(query.value(5).toDouble());
        status.unlabeled = status.items - status.skipped - status.awaitingReview - status.human -
                           status.accepted - status.rejected;
    }
    query.prepare(QStringLiteral("SELECT class_id, COUNT(*) FROM annotations WHERE task_id = ? "
                                 "AND state != ? GROUP BY class_id"));
    query.addBindValue(taskId);
    query.addBindValue(int(LabelState::Rejected));
    if (query.exec()) {
        while (query.next())
            status.annotationsPerClass.insert(query.value(0).toLongLong(),
                                              query.value(1).toLongLong());
    }
    return status;
}

namespace {

// One item's bucket, in the order taskStatus() decides it: "nothing to label" first, then a
// pending machine label, a person's label, an accepted machine label, only rejected ones.
// Expects the item as `i`, the skip mark as `s` and per-item flags as `a` (see below).
const char *const kItemStateSql = R"(CASE
        WHEN s.item_id IS NOT NULL THEN 5
        WHEN IFNULL(a.pending, 0) = 1 THEN 2
        WHEN IFNULL(a.human, 0) = 1 THEN 1
        WHEN IFNULL(a.accepted, 0) = 1 THEN 3
        WHEN IFNULL(a.rejected, 0) = 1 THEN 4
        ELSE 0 END)";

QString itemStateQuery(const QString &columns, const QString &where)
{
    return QStringLiteral(R"(
        WITH a AS (
            SELECT item_id,
                   MAX(state = 1) AS pending,
                   MAX(state IN (0, 3)) AS human,
                   MAX(state = 2) AS accepted,
                   MAX(state = 4) AS rejected
            FROM annotations WHERE task_id = :task GROUP BY item_id)
        SELECT %1 FROM items i
        LEFT JOIN a ON a.item_id = i.id
        LEFT JOIN skipped_items s ON s.item_id = i.id AND s.task_id = :task
        WHERE %2 ORDER BY i.id)")
        .arg(columns, where);
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace

QList<qint64> ProjectStore::itemIds(const ItemFilter &filter) const
{
    QStringList where = {QStringLiteral("1")};
    if (filter.kind)
        where.append(QStringLiteral("i.kind = %1").arg(int(*filter.kind)));
    if (filter.taskId > 0 && !filter.states.isEmpty()) {
        QStringList states;
        for (const ItemLabelState state : filter.states)
            states.append(QString::number(int(state)));
        where.append(QString::fromLatin1(kItemStateSql) + QStringLiteral(" IN (") +
                     states.join(QLatin1Char(',')) + QLatin1Char(')'));
    }
    if (filter.taskId > 0 && filter.classId > 0)
        where.append(QStringLiteral("EXISTS (SELECT 1 FROM annotations c WHERE c.item_id = i.id "
                                    "AND c.task_id = :task AND c.class_id = :class "
                                    "AND c.state != %1)")
                         .arg(int(LabelState::Rejected)));
    const QString search = filter.search.trimmed();
    if (!search.isEmpty())
        where.append(QStringLiteral("(i.path LIKE :pattern ESCAPE '\\' "
                                    "OR i.text LIKE :pattern ESCAPE '\\' "
                                    "OR i.source_ref LIKE :pattern ESCAPE '\\')"));

    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.prepare(itemStateQuery(QStringLiteral("i.id"), where.join(QStringLiteral(" AND "))));
    query.bindValue(QStringLiteral(":task"), filter.taskId);
    if (filter.taskId > 0 && filter.classId > 0)
        query.bindValue(QStringLiteral(":class"), filter.classId);
    if (!search.isEmpty())
        query.bindValue(QStringLiteral(":pattern"), likePattern(search));
    QList<qint64> ids;
    if (query.exec()) {
        while (query.next())
            ids.append(query.value(0).toLongLong());
    }
    return ids;
}

QHash<qint64, ItemLabelState> ProjectStore::itemLabelStates(qint64 taskId,
                                                            const QList<qint64> &itemIds) const
{
    QHash<qint64, ItemLabelState> states;
    if (itemIds.isEmpty())
        return states;
    // Ids are numbers: written into the query, a block of rows is one statement.
    QStringList ids;
    ids.reserve(itemIds.size());
    for (const qint64 id : itemIds)
        ids.append(QString::number(id));
    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.prepare(itemStateQuery(QStringLiteral("i.id, ") + QString::fromLatin1(kItemStateSql),
                                 QStringLiteral("i.id IN (") + ids.join(QLatin1Char(',')) +
                                     QLatin1Char(')')));
    query.bindValue(QStringLiteral(":task"), taskId);
    if (query.exec()) {
        while (query.next())
            states.insert(query.value(0).toLongLong(), ItemLabelState(query.value(1).toInt()));
    }
    return states;
}

} // namespace fieldmark
