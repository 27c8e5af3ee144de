#include "recentprojects.h"

#include "core/store/projectstore.h"

#include <QDir>
#include <QFileInfo>

namespace fieldmark {

namespace {

const QString kRecentKey = QStringLiteral("projects/recent");
const QString kLastKey = QStringLiteral("projects/last");

QString normalised(const QString &directory)
{
    return QDir::cleanPath(QFileInfo(directory).absoluteFilePath());
}

} // namespace

RecentProjects::RecentProjects(QSettings &settings)
    : m_settings(settings)
{}

QStringList RecentProjects::paths() const
{
    return m_settings.value(kRecentKey).toStringList();
}

void RecentProjects::add(const QString &directory)
{
    const QString path = normalised(directory);
    QStringList list = paths();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxEntries)
        list.removeLast();
    m_settings.setValue(kRecentKey, list);
}

void RecentProjects::remove(const QString &directory)
{
    QStringList list = paths();
    list.removeAll(normalised(directory));
    m_settings.setValue(kRecentKey, list);
}

void RecentProjects::clear()
{
    m_settings.remove(kRecentKey);
}

QString RecentProjects::lastProject() const
{
    return m_settings.value(kLastKey).toString();
}

void RecentProjects::setLastProject(const QString &directory)
{
    if (directory.isEmpty())
        m_settings.remove(kLastKey);
    else
        m_settings.setValue(kLastKey, normalised(directory));
}

bool RecentProjects::looksLikeProject(const QString &directory)
{
    return !directory.isEmpty() &&
           QFileInfo(QDir(directory).filePath(QString::fromLatin1(ProjectStore::kDatabaseFileName)))
               .isFile();
}

QString RecentProjects::projectDirectoryFor(const QString &path)
{
    const QFileInfo info(path);
    if (info.isFile() && info.fileName() == QLatin1String(ProjectStore::kDatabaseFileName))
        return normalised(info.absolutePath());
    return normalised(path);
}

} // namespace fieldmark
