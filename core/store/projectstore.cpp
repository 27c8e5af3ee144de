#include "projectstore.h"

#include "core/model/validation.h"
#include "core/store/schema.h"
#include "core/store/sqlhelpers.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace fieldmark {

namespace {

using namespace storedetail;

QString newConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("fieldmark-store-%1").arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

// ---- opening ---------------------------------------------------------------------------------

Result<std::unique_ptr<ProjectStore>> ProjectStore::create(const QString &directory)
{
    OpenOptions options;
    options.create = true;
    return open(directory, options);
}

Result<std::unique_ptr<ProjectStore>> ProjectStore::open(const QString &directory,
                                                         const OpenOptions &options)
{
    const QString dir = QFileInfo(directory).absoluteFilePath();
    const QString dbPath = QDir(dir).filePath(QString::fromLatin1(kDatabaseFileName));
    if (!QFileInfo::exists(dbPath)) {
        if (!options.create)
            return makeError(
                QStringLiteral("%1: not a Fieldmark project (no %2 in it)")
                    .arg(QDir::toNativeSeparators(dir), QString::fromLatin1(kDatabaseFileName)));
        if (!QDir().mkpath(dir))
            return makeError(QStringLiteral("%1: cannot create the project folder")
                                 .arg(QDir::toNativeSeparators(dir)));
    }
    if (!QDir(dir).mkpath(QString::fromLatin1(kCacheDirName)))
        return makeError(QStringLiteral("%1: cannot create the cache folder")
                             .arg(QDir::toNativeSeparators(dir)));

    std::unique_ptr<ProjectStore> store(new ProjectStore);
    store->m_directory = dir;
    store->m_connectionName = newConnectionName();
    if (auto ok = store->initialise(options); !ok)
        return ok.error();
    return store;
}

Result<void> ProjectStore::initialise(const OpenOptions &options)
{
    QSqlDatabase database = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    database.setDatabaseName(databasePath());
    database.setConnectOptions(
        QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs));
    const QString where = QDir::toNativeSeparators(databasePath());
    if (!database.open())
        return makeError(QStringLiteral("%1: cannot open the project database: %2")
                             .arg(where, database.lastError().text()));

    QSqlQuery query(database);
    // The first statement that reads the file tells a damaged or foreign file apart.
    if (!query.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !query.next())
        return makeError(QStringLiteral("%1: not a readable project database: %2")
                             .arg(where, query.lastError().text()));
    if (query.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
        return makeError(QStringLiteral("%1: cannot switch the database to WAL mode (is the folder "
                                        "on a network share?)")
                             .arg(where));
    for (const char *pragma : {"PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL"}) {
        if (!query.exec(QString::fromLatin1(pragma)))
            return makeError(
                QStringLiteral("%1: %2 failed: %3")
                    .arg(where, QString::fromLatin1(pragma), query.lastError().text()));
    }
    query.finish();

    if (options.checkIntegrity) {
        if (const QString problems = integrityProblems(); !problems.isEmpty())
            return makeError(
                QStringLiteral("%1: the project database is damaged: %2").arg(where, problems));
    }
    if (auto migrated = schema::migrate(database); !migrated)
        return makeError(QStringLiteral("%1: %2").arg(where, migrated.errorString()));
    return {};
}

ProjectStore::~ProjectStore()
{
    {
        QSqlDatabase database = QSqlDatabase::database(m_connectionName, false);
        if (database.isOpen())
            database.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase ProjectStore::db() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

QString ProjectStore::databasePath() const
{
    return QDir(m_directory).filePath(QString::fromLatin1(kDatabaseFileName));
}

QString ProjectStore::cacheDirectory() const
{
    return QDir(m_directory).filePath(QString::fromLatin1(kCacheDirName));
}

int ProjectStore::schemaVersion() const
{
    QSqlDatabase database = db();
    return schema::version(database);
}

int ProjectStore::currentSchemaVersion()
{
    return schema::latestVersion();
}

QString ProjectStore::integrityProblems() const
{
    QSqlQuery query(db());
    if (!query.exec(QStringLiteral("PRAGMA integrity_check")))
        return query.lastError().text();
    QStringList problems;
    while (query.next()) {
        const QString line = query.value(0).toString();
        if (line != QLatin1String("ok"))
            problems.append(line);
    }
    return problems.join(QStringLiteral("; "));
}

// ---- annotators and events -------------------------------------------------------------------

Result<qint64> ProjectStore::annotatorId(const QString &name, bool isModel)
{
    if (name.trimmed().isEmpty())
        return makeError(QStringLiteral("an annotator needs a name"));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT id FROM annotators WHERE name = ?"));
    query.addBindValue(name);
    if (query.exec() && query.next())
        return query.value(0).toLongLong();
    query.prepare(
        QStringLiteral("INSERT INTO annotators (name, is_model, created_ms) VALUES (?, ?, ?) "
                       "ON CONFLICT(name) DO NOTHING"));
    query.addBindValue(name);
    query.addBindValue(isModel ? 1 : 0);
    query.addBindValue(nowMs());
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot record annotator '%1': %2").arg(name, query.lastError().text()));
    query.prepare(QStringLiteral("SELECT id FROM annotators WHERE name = ?"));
    query.addBindValue(name);
    if (query.exec() && query.next())
        return query.value(0).toLongLong();
    return makeError(QStringLiteral("cannot record annotator '%1'").arg(name));
}

QString ProjectStore::annotatorName(qint64 id) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT name FROM annotators WHERE id = ?"));
    query.addBindValue(id);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return {};
}

Result<void> ProjectStore::appendEvent(const QString &kind, qint64 itemId, const QString &payload,
                                       qint64 annotatorId)
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT INTO events (time_ms, kind, annotator_id, item_id, "
                                 "payload) VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(nowMs());
    query.addBindValue(kind);
    query.addBindValue(nullableId(annotatorId));
    query.addBindValue(nullableId(itemId));
    query.addBindValue(payload);
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot append to the event log: %1").arg(query.lastError().text()));
    return {};
}

QList<Event> ProjectStore::events(qint64 afterId, int limit) const
{
    QList<Event> events;
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT id, time_ms, kind, annotator_id, item_id, payload FROM "
                                 "events WHERE id > ? ORDER BY id LIMIT ?"));
    query.addBindValue(afterId);
    query.addBindValue(limit);
    if (!query.exec())
        return events;
    while (query.next()) {
        events.append(Event{query.value(0).toLongLong(), query.value(1).toLongLong(),
                            query.value(2).toString(), query.value(3).toLongLong(),
                            query.value(4).toLongLong(), query.value(5).toString()});
    }
    return events;
}

// ---- tasks and classes -----------------------------------------------------------------------

Result<LabelTask> ProjectStore::addTask(const QString &name, TaskType type,
                                        const QStringList &classNames)
{
    if (name.trimmed().isEmpty() || name.trimmed() != name)
        return makeError(
            QStringLiteral("task name '%1' is empty or has leading or trailing blanks").arg(name));
    QStringList seen;
    for (const QString &className : classNames) {
        if (auto valid = validateClassName(className); !valid)
            return valid.error();
        if (seen.contains(className))
            return makeError(QStringLiteral("class '%1' is listed twice").arg(className));
        seen.append(className);
    }
    if (taskByName(name))
        return makeError(QStringLiteral("the project already has a task named '%1'").arg(name));

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT INTO tasks (name, type, created_ms) VALUES (?, ?, ?)"));
    query.addBindValue(name);
    query.addBindValue(int(type));
    query.addBindValue(nowMs());
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot add task '%1': %2").arg(name, query.lastError().text()));
    const qint64 taskId = query.lastInsertId().toLongLong();
    query.prepare(QStringLiteral("INSERT INTO classes (task_id, name, color, shortcut, position) "
                                 "VALUES (?, ?, ?, ?, ?)"));
    for (int i = 0; i < classNames.size(); ++i) {
        query.addBindValue(taskId);
        query.addBindValue(classNames[i]);
        query.addBindValue(defaultClassColor(i).name());
        query.addBindValue(defaultClassShortcut(i));
        query.addBindValue(i);
        if (!query.exec())
            return makeError(QStringLiteral("cannot add class '%1': %2")
                                 .arg(classNames[i], query.lastError().text()));
    }
    QJsonObject payload{{QStringLiteral("task"), name},
                        {QStringLiteral("type"), taskTypeName(type)},
                        {QStringLiteral("classes"), QJsonArray::fromStringList(classNames)}};
    if (auto logged = appendEvent(QStringLiteral("task.add"), 0, toJson(payload)); !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save task '%1': %2").arg(name, transaction.errorText()));
    return task(taskId);
}

QList<LabelTask> ProjectStore::tasks() const
{
    QList<LabelTask> result;
    QSqlQuery query(db());
    if (!query.exec(QStringLiteral("SELECT id FROM tasks ORDER BY id")))
        return result;
    QList<qint64> ids;
    while (query.next())
        ids.append(query.value(0).toLongLong());
    for (qint64 id : ids) {
        if (auto t = task(id))
            result.append(std::move(t).value());
    }
    return result;
}

Result<LabelTask> ProjectStore::task(qint64 taskId) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT name, type FROM tasks WHERE id = ?"));
    query.addBindValue(taskId);
    if (!query.exec() || !query.next())
        return makeError(QStringLiteral("the project has no task with id %1").arg(taskId));
    LabelTask task;
    task.id = taskId;
    task.name = query.value(0).toString();
    task.type = TaskType(query.value(1).toInt());
    query.prepare(QStringLiteral("SELECT id, name, color, shortcut, position FROM classes "
                                 "WHERE task_id = ? ORDER BY position"));
    query.addBindValue(taskId);
    if (!query.exec())
        return makeError(QStringLiteral("cannot read the classes of task '%1': %2")
                             .arg(task.name, query.lastError().text()));
    while (query.next()) {
        task.classes.append(LabelClass{query.value(0).toLongLong(), query.value(1).toString(),
                                       QColor::fromString(query.value(2).toString()),
                                       query.value(3).toString(), query.value(4).toInt()});
    }
    return task;
}

Result<LabelTask> ProjectStore::taskByName(const QString &name) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT id FROM tasks WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec() || !query.next())
        return makeError(QStringLiteral("the project has no task named '%1'").arg(name));
    return task(query.value(0).toLongLong());
}

Result<LabelClass> ProjectStore::addClass(qint64 taskId, const QString &name, const QColor &color,
                                          const QString &shortcut)
{
    if (auto valid = validateClassName(name); !valid)
        return valid.error();
    auto current = task(taskId);
    if (!current)
        return current.error();
    if (current->classByName(name))
        return makeError(
            QStringLiteral("task '%1' already has a class named '%2'").arg(current->name, name));
    int position = 0;
    for (const LabelClass &c : current->classes)
        position = std::max(position, c.position + 1);
    LabelClass added;
    added.name = name;
    added.position = position;
    added.color = color.isValid() ? color : defaultClassColor(position);
    added.shortcut = shortcut.isNull() ? defaultClassShortcut(position) : shortcut;
    for (const LabelClass &c : current->classes) {
        if (!added.shortcut.isEmpty() && c.shortcut == added.shortcut) {
            if (!shortcut.isNull())
                return makeError(QStringLiteral("shortcut '%1' is already used by class '%2'")
                                     .arg(shortcut, c.name));
            added.shortcut.clear(); // the default is taken; leave the new class without one
        }
    }

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("INSERT INTO classes (task_id, name, color, shortcut, position) "
                                 "VALUES (?, ?, ?, ?, ?)"));
    query.addBindValue(taskId);
    query.addBindValue(added.name);
    query.addBindValue(added.color.name());
    query.addBindValue(added.shortcut);
    query.addBindValue(added.position);
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot add class '%1': %2").arg(name, query.lastError().text()));
    added.id = query.lastInsertId().toLongLong();
    QJsonObject payload{{QStringLiteral("task"), current->name},
                        {QStringLiteral("class"), name},
                        {QStringLiteral("classId"), added.id}};
    if (auto logged = appendEvent(QStringLiteral("class.add"), 0, toJson(payload)); !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save class '%1': %2").arg(name, transaction.errorText()));
    return added;
}

Result<void> ProjectStore::renameClass(qint64 taskId, const QString &oldName,
                                       const QString &newName)
{
    if (auto valid = validateClassName(newName); !valid)
        return valid.error();
    auto current = task(taskId);
    if (!current)
        return current.error();
    const LabelClass *cls = current->classByName(oldName);
    if (!cls)
        return makeError(QStringLiteral("task '%1' has no class named '%2' (classes: %3)")
                             .arg(current->name, oldName, current->classNames()));
    if (oldName == newName)
        return {};
    if (current->classByName(newName))
        return makeError(
            QStringLiteral("task '%1' already has a class named '%2'").arg(current->name, newName));
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("UPDATE classes SET name = ? WHERE id = ?"));
    query.addBindValue(newName);
    query.addBindValue(cls->id);
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot rename class '%1': %2").arg(oldName, query.lastError().text()));
    QJsonObject payload{{QStringLiteral("task"), current->name},
                        {QStringLiteral("classId"), cls->id},
                        {QStringLiteral("from"), oldName},
                        {QStringLiteral("to"), newName}};
    if (auto logged = appendEvent(QStringLiteral("class.rename"), 0, toJson(payload)); !logged)
        return logged;
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save the rename of '%1': %2")
                             .arg(oldName, transaction.errorText()));
    return {};
}

// ---- items -----------------------------------------------------------------------------------

Result<AddItemsResult> ProjectStore::addItems(const QList<Item> &items)
{
    AddItemsResult result;
    if (items.isEmpty())
        return result;
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    // Images are the same item when their content is; texts when the same text comes from the
    // same record (file and line), so a re-run adds nothing but a corpus keeps its repeats.
    QSqlQuery findImage(db());
    findImage.prepare(QStringLiteral("SELECT id FROM items WHERE hash = ? AND kind = 0"));
    QSqlQuery findText(db());
    findText.prepare(QStringLiteral("SELECT id FROM items WHERE hash = ? AND kind = 1 AND "
                                    "IFNULL(source_ref, '') = ? AND IFNULL(path, '') = ?"));
    QSqlQuery insert(db());
    insert.prepare(QStringLiteral(
        "INSERT INTO items (kind, path, file_size, hash, width, height, text, source_ref, extra, "
        "added_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const qint64 now = nowMs();
    for (qsizetype i = 0; i < items.size(); ++i) {
        const Item &item = items[i];
        const QString hash = QString::fromLatin1(item.hash);
        if (!hash.isEmpty()) {
            QSqlQuery &find = item.kind == ItemKind::Image ? findImage : findText;
            find.addBindValue(hash);
            if (item.kind == ItemKind::Text) {
                find.addBindValue(item.sourceRef);
                find.addBindValue(item.path);
            }
            const bool found = find.exec() && find.next();
            const qint64 existing = found ? find.value(0).toLongLong() : 0;
            find.finish();
            if (found) {
                result.duplicates.append({i, existing});
                continue;
            }
        }
        insert.addBindValue(int(item.kind));
        insert.addBindValue(item.path.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                : QVariant(item.path));
        insert.addBindValue(item.fileSize);
        insert.addBindValue(hash.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                           : QVariant(hash));
        insert.addBindValue(item.width);
        insert.addBindValue(item.height);
        insert.addBindValue(item.kind == ItemKind::Text ? QVariant(item.text)
                                                        : QVariant(QMetaType(QMetaType::QString)));
        insert.addBindValue(item.sourceRef.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                     : QVariant(item.sourceRef));
        insert.addBindValue(item.extra.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                 : QVariant(toJson(item.extra)));
        insert.addBindValue(item.addedAtMs > 0 ? item.addedAtMs : now);
        if (!insert.exec())
            return makeError(QStringLiteral("cannot add item %1: %2")
                                 .arg(item.path.isEmpty() ? item.sourceRef : item.path,
                                      insert.lastError().text()));
        result.addedIds.append(insert.lastInsertId().toLongLong());
    }
    if (!transaction.commit())
        return makeError(QStringLiteral("cannot save %1 new items: %2")
                             .arg(result.addedIds.size())
                             .arg(transaction.errorText()));
    return result;
}

Result<Item> ProjectStore::item(qint64 itemId) const
{
    return loadItem(itemId);
}

namespace {

constexpr const char *kItemColumns =
    "id, kind, path, file_size, hash, width, height, text, source_ref, extra, added_ms";

Item readItem(const QSqlQuery &query)
{
    Item item;
    item.id = query.value(0).toLongLong();
    item.kind = ItemKind(query.value(1).toInt());
    item.path = query.value(2).toString();
    item.fileSize = query.value(3).toLongLong();
    item.hash = query.value(4).toString().toLatin1();
    item.width = query.value(5).toInt();
    item.height = query.value(6).toInt();
    item.text = query.value(7).toString();
    item.sourceRef = query.value(8).toString();
    const QString extra = query.value(9).toString();
    if (!extra.isEmpty())
        item.extra = QJsonDocument::fromJson(extra.toUtf8()).object();
    item.addedAtMs = query.value(10).toLongLong();
    return item;
}

} // namespace

Result<Item> ProjectStore::loadItem(qint64 itemId) const
{
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("SELECT %1 FROM items WHERE id = ?").arg(QLatin1String(kItemColumns)));
    query.addBindValue(itemId);
    if (!query.exec() || !query.next())
        return makeError(QStringLiteral("the project has no item with id %1").arg(itemId));
    return readItem(query);
}

QList<Item> ProjectStore::items(QList<qint64> ids) const
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    QList<Item> result;
    result.reserve(ids.size());
    QSqlQuery query(db());
    query.setForwardOnly(true);
    // Ids are numbers, written into the statement: binding thousands of values costs more
    // than the query.
    constexpr qsizetype kPerQuery = 2000;
    for (qsizetype start = 0; start < ids.size(); start += kPerQuery) {
        QStringList list;
        for (qsizetype i = start; i < std::min(ids.size(), start + kPerQuery); ++i)
            list.append(QString::number(ids[i]));
        if (!query.exec(QStringLiteral("SELECT %1 FROM items WHERE id IN (%2) ORDER BY id")
                            .arg(QLatin1String(kItemColumns), list.join(u',')))) {
            continue;
        }
        while (query.next())
            result.append(readItem(query));
    }
    return result;
}

QList<Item> ProjectStore::items(std::optional<ItemKind> kind) const
{
    QList<Item> result;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (kind) {
        query.prepare(QStringLiteral("SELECT %1 FROM items WHERE kind = ? ORDER BY id")
                          .arg(QLatin1String(kItemColumns)));
        query.addBindValue(int(*kind));
    } else {
        query.prepare(
            QStringLiteral("SELECT %1 FROM items ORDER BY id").arg(QLatin1String(kItemColumns)));
    }
    if (!query.exec())
        return result;
    while (query.next())
        result.append(readItem(query));
    return result;
}

QList<qint64> ProjectStore::itemIds(std::optional<ItemKind> kind) const
{
    QList<qint64> ids;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    if (kind) {
        query.prepare(QStringLiteral("SELECT id FROM items WHERE kind = ? ORDER BY id"));
        query.addBindValue(int(*kind));
        query.exec();
    } else {
        query.exec(QStringLiteral("SELECT id FROM items ORDER BY id"));
    }
    while (query.next())
        ids.append(query.value(0).toLongLong());
    return ids;
}

qint64 ProjectStore::itemCount(std::optional<ItemKind> kind) const
{
    QSqlQuery query(db());
    if (kind) {
        query.exec(QStringLiteral("SELECT COUNT(*) FROM items WHERE kind = %1").arg(int(*kind)));
    } else {
        query.exec(QStringLiteral("SELECT COUNT(*) FROM items"));
    }
    return query.next() ? query.value(0).toLongLong() : 0;
}

std::optional<qint64> ProjectStore::itemIdByHash(const QByteArray &hash) const
{
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT id FROM items WHERE hash = ? ORDER BY id LIMIT 1"));
    query.addBindValue(QString::fromLatin1(hash));
    if (query.exec() && query.next())
        return query.value(0).toLongLong();
    return std::nullopt;
}

QHash<QByteArray, qint64> ProjectStore::itemIdsByHash() const
{
    QHash<QByteArray, qint64> ids;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    query.exec(QStringLiteral("SELECT hash, id FROM items WHERE hash IS NOT NULL AND kind = 0"));
    while (query.next())
        ids.insert(query.value(0).toString().toLatin1(), query.value(1).toLongLong());
    return ids;
}

Result<RelinkResult> ProjectStore::relinkItems(const QString &from, const QString &to,
                                               bool verifyContent)
{
    const QString oldRoot = QDir::cleanPath(QFileInfo(from).absoluteFilePath()) + u'/';
    const QString newRoot = QDir::cleanPath(QFileInfo(to).absoluteFilePath()) + u'/';
    if (!QFileInfo(newRoot).isDir())
        return makeError(QStringLiteral("%1: no such folder").arg(QDir::toNativeSeparators(to)));
    struct Candidate
    {
        qint64 id;
        QString newPath;
    };
    RelinkResult result;
    QList<Candidate> found;
    QSqlQuery query(db());
    query.setForwardOnly(true);
    // substr, not LIKE: folder names may hold % and _.
    query.prepare(QStringLiteral("SELECT id, path, file_size, hash FROM items WHERE path IS NOT "
                                 "NULL AND substr(path, 1, ?) = ? ORDER BY id"));
    query.addBindValue(oldRoot.size());
    query.addBindValue(oldRoot);
    if (!query.exec())
        return makeError(
            QStringLiteral("cannot read the project's items: %1").arg(query.lastError().text()));
    while (query.next()) {
        const QString newPath = newRoot + query.value(1).toString().mid(oldRoot.size());
        const qint64 size = query.value(2).toLongLong();
        const QFileInfo info(newPath);
        if (!info.isFile()) {
            result.missing.append({newPath, QStringLiteral("no such file")});
            continue;
        }
        if (info.size() != size) {
            result.changed.append(
                {newPath, QStringLiteral("%1 bytes; the item had %2").arg(info.size()).arg(size)});
            continue;
        }
        if (verifyContent) {
            QFile file(newPath);
            QCryptographicHash hash(QCryptographicHash::Sha1);
            if (!file.open(QIODevice::ReadOnly) || !hash.addData(&file)) {
                result.missing.append(
                    {newPath, QStringLiteral("cannot be read: %1").arg(file.errorString())});
                continue;
            }
            const QString expected = query.value(3).toString();
            const QString actual =
                QStringLiteral("sha1:") + QString::fromLatin1(hash.result().toHex());
            if (!expected.isEmpty() && expected != actual) {
                result.changed.append({newPath, QStringLiteral("same size, different content")});
                continue;
            }
        }
        found.append({query.value(0).toLongLong(), newPath});
    }
    query.finish();
    if (found.isEmpty())
        return result;

    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    query.prepare(QStringLiteral("UPDATE items SET path = ? WHERE id = ?"));
    for (const Candidate &c : found) {
        query.addBindValue(c.newPath);
        query.addBindValue(c.id);
        if (!query.exec())
            return makeError(QStringLiteral("cannot relink item %1: %2")
                                 .arg(c.id)
                                 .arg(query.lastError().text()));
    }
    const QJsonObject payload{{QStringLiteral("from"), oldRoot},
                              {QStringLiteral("to"), newRoot},
                              {QStringLiteral("relinked"), found.size()}};
    if (auto logged = appendEvent(QStringLiteral("item.relink"), 0, toJson(payload)); !logged)
        return logged.error();
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save the relinked paths: %1").arg(transaction.errorText()));
    result.relinked = found.size();
    return result;
}

// ---- imports ---------------------------------------------------------------------------------

Result<qint64> ProjectStore::beginImport(const QString &source, const QString &annotator)
{
    qint64 who = 0;
    if (!annotator.isEmpty()) {
        auto id = annotatorId(annotator);
        if (!id)
            return id.error();
        who = *id;
    }
    QSqlQuery query(db());
    query.prepare(
        QStringLiteral("INSERT INTO imports (source, annotator_id, started_ms) VALUES (?, ?, ?)"));
    query.addBindValue(source);
    query.addBindValue(nullableId(who));
    query.addBindValue(nowMs());
    if (!query.exec())
        return makeError(QStringLiteral("cannot record the import of %1: %2")
                             .arg(source, query.lastError().text()));
    return query.lastInsertId().toLongLong();
}

Result<void> ProjectStore::finishImport(qint64 importId, qint64 added, qint64 duplicates,
                                        const QList<ImportProblem> &problems)
{
    WriteTransaction transaction(db(), m_transactionDepth);
    if (!transaction.isOpen())
        return makeError(
            QStringLiteral("cannot write the project: %1").arg(transaction.errorText()));
    QSqlQuery query(db());
    query.prepare(QStringLiteral("UPDATE imports SET finished_ms = ?, added = ?, duplicates = ?, "
                                 "skipped = ? WHERE id = ?"));
    query.addBindValue(nowMs());
    query.addBindValue(added);
    query.addBindValue(duplicates);
    query.addBindValue(problems.size());
    query.addBindValue(importId);
    if (!query.exec())
        return makeError(QStringLiteral("cannot record the end of import %1: %2")
                             .arg(importId)
                             .arg(query.lastError().text()));
    query.prepare(
        QStringLiteral("INSERT INTO import_problems (import_id, path, reason) VALUES (?, ?, ?)"));
    for (const ImportProblem &problem : problems) {
        query.addBindValue(importId);
        query.addBindValue(problem.path);
        query.addBindValue(problem.reason);
        if (!query.exec())
            return makeError(QStringLiteral("cannot record a skipped file of import %1: %2")
                                 .arg(importId)
                                 .arg(query.lastError().text()));
    }
    QJsonObject payload{{QStringLiteral("import"), importId},
                        {QStringLiteral("added"), added},
                        {QStringLiteral("duplicates"), duplicates},
                        {QStringLiteral("skipped"), problems.size()}};
    if (auto logged = appendEvent(QStringLiteral("item.import"), 0, toJson(payload)); !logged)
        return logged;
    if (!transaction.commit())
        return makeError(
            QStringLiteral("cannot save import %1: %2").arg(importId).arg(transaction.errorText()));
    return {};
}

QList<ImportProblem> ProjectStore::importProblems(qint64 importId) const
{
    QList<ImportProblem> problems;
    QSqlQuery query(db());
    query.prepare(QStringLiteral("SELECT path, reason FROM import_problems WHERE import_id = ? "
                                 "ORDER BY id"));
    query.addBindValue(importId);
    if (query.exec()) {
        while (query.next())
            problems.append({query.value(0).toString(), query.value(1).toString()});
    }
    return problems;
}

} // namespace fieldmark
