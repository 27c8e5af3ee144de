#pragma once

#include "core/util/result.h"

#include <QStringList>

class QSqlDatabase;

namespace fieldmark {

// The project database's schema as an ordered list of migrations; PRAGMA user_version holds
// how many have been applied. A migration is never edited once released: changes are new
// migrations, so every project ever written can be brought up to date.
namespace schema {

int latestVersion();
// The SQL statements of migration `version` (1-based).
QStringList migration(int version);
// Brings the database from its current version up to `targetVersion` (default: latest),
// each migration in its own transaction. Refuses a database newer than this program.
Result<void> migrate(QSqlDatabase &db, int targetVersion = -1);
int version(QSqlDatabase &db);

} // namespace schema
} // namespace fieldmark
