#include "schema.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace fieldmark::schema {

namespace {

// Version 1: the project as first released: items, tasks and classes, annotations with
// provenance, annotators, imports, and the append-only event log.
const char *const kMigration1[] = {
    R"(CREATE TABLE annotators (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        is_model INTEGER NOT NULL DEFAULT 0,
        created_ms INTEGER NOT NULL))",
    R"(CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        kind INTEGER NOT NULL,
        path TEXT,
        file_size INTEGER NOT NULL DEFAULT 0,
        hash TEXT,
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        text TEXT,
        source_ref TEXT,
        extra TEXT,
        added_ms INTEGER NOT NULL))",
    // Images are unique by content; texts may repeat (a corpus has many "Yes.").
    "CREATE UNIQUE INDEX items_image_hash ON items(hash) WHERE kind = 0",
    "CREATE INDEX items_text_hash ON items(hash) WHERE kind = 1",
    R"(CREATE TABLE tasks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        type INTEGER NOT NULL,
        created_ms INTEGER NOT NULL))",
    R"(CREATE TABLE classes (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        color TEXT NOT NULL,
        shortcut TEXT NOT NULL DEFAULT '',
        position INTEGER NOT NULL,
        UNIQUE (task_id, name),
        UNIQUE (task_id, position)))",
    R"(CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        class_id INTEGER NOT NULL REFERENCES classes(id),
        shape_kind INTEGER NOT NULL,
        shape BLOB NOT NULL,
        state INTEGER NOT NULL,
        annotator_id INTEGER REFERENCES annotators(id),
        model_id INTEGER,
        confidence REAL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL))",
    "CREATE INDEX annotations_item ON annotations(task_id, item_id)",
    "CREATE INDEX annotations_class ON annotations(class_id)",
    R"(CREATE TABLE skipped_items (
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        annotator_id INTEGER REFERENCES annotators(id),
        time_ms INTEGER NOT NULL,
        PRIMARY KEY (item_id, task_id)))",
    R"(CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        annotator_id INTEGER REFERENCES annotators(id),
        started_ms INTEGER NOT NULL,
        finished_ms INTEGER,
        added INTEGER NOT NULL DEFAULT 0,
        duplicates INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0))",
    R"(CREATE TABLE import_problems (
        id INTEGER PRIMARY KEY,
        import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        reason TEXT NOT NULL))",
    R"(CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        time_ms INTEGER NOT NULL,
        kind TEXT NOT NULL,
        annotator_id INTEGER,
        item_id INTEGER,
        payload TEXT NOT NULL DEFAULT '{}'))",
    R"(CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END)",
    R"(CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END)",
};

// Version 2: the labeling loop's records: jobs, their iterations and model checkpoints.
const char *const kMigration2[] = {
    R"(CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        name TEXT NOT NULL UNIQUE,
        policy TEXT NOT NULL,
        settings TEXT NOT NULL DEFAULT '{}',
        state TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL))",
    R"(CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY,
        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        learner TEXT NOT NULL,
        path TEXT NOT NULL,
        classes TEXT NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',
        created_ms INTEGER NOT NULL))",
    R"(CREATE TABLE job_iterations (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        checkpoint_id INTEGER REFERENCES checkpoints(id),
        human INTEGER NOT NULL,
        machine INTEGER NOT NULL,
        remaining INTEGER NOT NULL,
        validation_accuracy REAL,
        threshold REAL,
        train_seconds REAL,
        infer_seconds REAL,
        metrics TEXT NOT NULL DEFAULT '{}',
        created_ms INTEGER NOT NULL,
        UNIQUE (job_id, number)))",
    // Which items a job sent to humans, in which batch: the queue survives a restart.
    R"(CREATE TABLE job_items (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        batch INTEGER NOT NULL,
        PRIMARY KEY (job_id, item_id)))",
};

// Version 3: format attributes kept beside an annotation's shape (Pascal VOC's "difficult",
// labelme's flags), as a JSON object; NULL when there are none.
const char *const kMigration3[] = {
    "ALTER TABLE annotations ADD COLUMN attributes TEXT",
};

template<size_t N>
QStringList toList(const char *const (&statements)[N])
{
    QStringList list;
    for (const char *s : statements)
        list.append(QString::fromUtf8(s));
    return list;
}

} // namespace

int latestVersion()
{
    return 3;
}

QStringList migration(int version)
{
    switch (version) {
    case 1:
        return toList(kMigration1);
    case 2:
        return toList(kMigration2);
    case 3:
        return toList(kMigration3);
    default:
        return {};
    }
}

int version(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return -1;
    return query.value(0).toInt();
}

Result<void> migrate(QSqlDatabase &db, int targetVersion)
{
    if (targetVersion < 0)
        targetVersion = latestVersion();
    const int current = version(db);
    if (current < 0)
        return makeError(
            QStringLiteral("cannot read the schema version: %1").arg(db.lastError().text()));
    if (current > latestVersion())
        return makeError(QStringLiteral("the project was written by a newer Fieldmark (schema "
                                        "version %1; this one knows up to %2)")
                             .arg(current)
                             .arg(latestVersion()));
    for (int v = current + 1; v <= targetVersion; ++v) {
        // BEGIN IMMEDIATE takes the write lock first, so two processes opening an old project
        // at once migrate it once: the second sees the new version and skips the step.
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("BEGIN IMMEDIATE")))
            return makeError(QStringLiteral("cannot start the migration to schema version %1: %2")
                                 .arg(v)
                                 .arg(query.lastError().text()));
        if (version(db) >= v) {
            query.exec(QStringLiteral("COMMIT"));
            continue;
        }
        for (const QString &statement : migration(v)) {
            if (!query.exec(statement)) {
                const QString reason = query.lastError().text();
                query.exec(QStringLiteral("ROLLBACK"));
                return makeError(
                    QStringLiteral("migration to schema version %1 failed: %2").arg(v).arg(reason));
            }
        }
        if (!query.exec(QStringLiteral("PRAGMA user_version = %1").arg(v)) ||
            !query.exec(QStringLiteral("COMMIT"))) {
            const QString reason = query.lastError().text();
            query.exec(QStringLiteral("ROLLBACK"));
            return makeError(
                QStringLiteral("migration to schema version %1 failed: %2").arg(v).arg(reason));
        }
    }
    return {};
}

} // namespace fieldmark::schema
