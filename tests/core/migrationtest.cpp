#include "core/store/projectstore.h"
#include "core/store/schema.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

#include <gtest/gtest.h>

using namespace fieldmark;

namespace {

// Runs `body` on a raw SQLite connection to the project database, as an older Fieldmark would.
template<typename Body>
void withRawDatabase(const QString &projectDir, Body body)
{
    const QString name = QStringLiteral("raw-migration");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(QDir(projectDir).filePath(QStringLiteral("project.fieldmark")));
        ASSERT_TRUE(db.open());
        body(db);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

TEST(MigrationTest, FirstSchemaVersionIsMigratedWithItsDataIntact)
{
    QTemporaryDir dir;
    withRawDatabase(dir.path(), [](QSqlDatabase &db) {
        ASSERT_TRUE(schema::migrate(db, 1));
        EXPECT_EQ(schema::version(db), 1);
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec(QStringLiteral(
            "INSERT INTO tasks (id, name, type, created_ms) VALUES (1, 'boxes', 2, 0)")));
        ASSERT_TRUE(q.exec(QStringLiteral("INSERT INTO classes (id, task_id, name, color, "
                                          "shortcut, position) VALUES (1, 1, 'cat', '#ff0000', "
                                          "'1', 0)")));
        ASSERT_TRUE(q.exec(QStringLiteral("INSERT INTO items (id, kind, path, file_size, hash, "
                                          "width, height, added_ms) VALUES (1, 0, '/a.png', 10, "
                                          "'sha1:aa', 100, 80, 0)")));
        EXPECT_FALSE(q.exec(QStringLiteral("SELECT * FROM jobs"))); // not there yet
    });
    ASSERT_FALSE(HasFailure());

    auto store = ProjectStore::open(dir.path());
    ASSERT_TRUE(store) << store.errorString().toStdString();
    EXPECT_EQ((*store)->schemaVersion(), ProjectStore::currentSchemaVersion());
    auto task = (*store)->taskByName(QStringLiteral("boxes"));
    ASSERT_TRUE(task);
    ASSERT_EQ(task->classes.size(), 1);
    EXPECT_EQ(task->classes[0].name, QStringLiteral("cat"));
    auto item = (*store)->item(1);
    ASSERT_TRUE(item);
    EXPECT_EQ(item->width, 100);
    // The old data works with the new code: an annotation on the migrated item.
    auto added =
        (*store)->addAnnotation({0, 1, task->id, task->classes[0].id, Box{1, 1, 10, 10}, {}});
    EXPECT_TRUE(added) << added.errorString().toStdString();
    EXPECT_TRUE((*store)->integrityProblems().isEmpty());
    store->reset();

    withRawDatabase(dir.path(), [](QSqlDatabase &db) {
        QSqlQuery q(db);
        EXPECT_TRUE(q.exec(QStringLiteral("SELECT COUNT(*) FROM jobs")));
        EXPECT_TRUE(q.exec(QStringLiteral("SELECT COUNT(*) FROM job_iterations")));
    });
}

TEST(MigrationTest, EachMigrationRunsOnlyOnce)
{
    QTemporaryDir dir;
    {
        auto store = ProjectStore::create(dir.path());
        ASSERT_TRUE(store);
    }
    // Opening again must not re-run migrations (they would fail on existing tables).
    auto again = ProjectStore::open(dir.path());
    ASSERT_TRUE(again) << again.errorString().toStdString();
    EXPECT_EQ((*again)->schemaVersion(), schema::latestVersion());
}

TEST(MigrationTest, NewerProjectIsRefusedUntouched)
{
    QTemporaryDir dir;
    {
        auto store = ProjectStore::create(dir.path());
        ASSERT_TRUE(store);
    }
    withRawDatabase(dir.path(), [](QSqlDatabase &db) {
        QSqlQuery q(db);
        ASSERT_TRUE(q.exec(QStringLiteral("PRAGMA user_version = 99")));
    });
    auto opened = ProjectStore::open(dir.path());
    ASSERT_FALSE(opened);
    EXPECT_TRUE(opened.errorString().contains(QStringLiteral("newer Fieldmark")))
        << opened.errorString().toStdString();
    withRawDatabase(dir.path(), [](QSqlDatabase &db) { EXPECT_EQ(schema::version(db), 99); });
}
