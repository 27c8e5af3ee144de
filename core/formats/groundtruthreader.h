#pragma once

#include "core/formats/format.h"

#include <QDir>
#include <QJsonObject>
#include <QMap>

#include <optional>

namespace fieldmark {

// What GroundTruthFormat's reader and writer share: the job types and the dates.
namespace groundtruth {

// "groundtruth/object-detection" and the others, one per task type.
QString typeName(TaskType type);
std::optional<TaskType> taskTypeOf(const QString &typeName);
// creation-date as Ground Truth writes it: UTC, microseconds, no zone
// ("2018-10-18T22:18:13.527256").
QString creationDate(qint64 msSinceEpoch);
// Any ISO 8601 date and time Ground Truth writes ("...13.527256", "...16+0000", "...843Z");
// without a zone it is UTC.
std::optional<qint64> parseCreationDate(const QString &text);

} // namespace groundtruth

// Reads a manifest line by line into a FormatReadResult; GroundTruthFormat::read drives it.
class GroundTruthReader
{
public:
    GroundTruthReader(const QString &path, FormatReadResult &result);

    void readLine(qsizetype lineNumber, const QByteArray &bytes);

private:
    // Per-line metadata that every label of the line shares.
    struct Common
    {
        std::optional<bool> human;
        qint64 timeMs = 0;
        QString jobName;
    };

    void problem(const QString &jsonPath, const QString &reason);
    QString resolve(const QString &ref, const QString &key, bool *ok);
    void addClass(const QString &name);
    std::optional<QMap<qint64, QString>> classMap(const QJsonObject &metadata);
    Common common(const QJsonObject &metadata);
    ImportedAnnotation annotation(const Common &common, const QString &className, Shape shape);

    bool readClass(ImportedItem &item, const QJsonValue &value, const QJsonObject &metadata,
                   const Common &common);
    bool readMultiLabel(ImportedItem &item, const QJsonValue &value, const QJsonObject &metadata,
                        const Common &common);
    bool readBoxes(ImportedItem &item, const QJsonValue &value, const QJsonObject &metadata,
                   const Common &common);
    bool readSpans(ImportedItem &item, const QJsonValue &value, const QJsonObject &metadata,
                   const Common &common);
    bool readSegmentation(ImportedItem &item, const QJsonValue &value, const QJsonObject &metadata,
                          const Common &common);

    QString m_path;
    FormatReadResult &m_result;
    QDir m_base;
    QString m_fileName;
    qsizetype m_line = 0;
    QString m_attribute; // the label attribute, once a line has shown it
    TaskType m_type = TaskType::ImageClassification;
};

} // namespace fieldmark
