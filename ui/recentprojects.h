#pragma once

#include <QSettings>
#include <QString>
#include <QStringList>

namespace fieldmark {

// The recently opened projects and the one to reopen at start, kept in the settings the
// window was given (tests pass a temporary file, the application its user settings).
class RecentProjects
{
public:
    static constexpr int kMaxEntries = 10;

    explicit RecentProjects(QSettings &settings);

    QStringList paths() const;
    void add(const QString &directory);
    void remove(const QString &directory);
    void clear();

    // The project open when the application last quit; empty after an explicit Close.
    QString lastProject() const;
    void setLastProject(const QString &directory);

    // True when the folder holds a project database (what "still exists" means at start).
    static bool looksLikeProject(const QString &directory);
    // A project folder from what a user passes: the folder itself or its database file.
    static QString projectDirectoryFor(const QString &path);

private:
    QSettings &m_settings;
};

} // namespace fieldmark
