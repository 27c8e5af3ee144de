#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>

namespace fieldmark {

// A labeling job as the store keeps it; core/labeling gives the fields their meaning.
struct JobRecord
{
    qint64 id = 0;
    qint64 taskId = 0;
    QString name;
    QString policy;       // "groundtruth" or "fieldmark"
    QJsonObject settings; // the job's settings and its evolving state (thresholds, seeds)
    QString state;        // "validation", "labeling", "done", ...
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

// An item a job sent to people: in the validation set, a human batch, or an audit sample.
struct JobItemRecord
{
    qint64 itemId = 0;
    QString role; // "validation", "batch", "audit"
    int batch = 0;
};

// One iteration's figures.
struct IterationRecord
{
    qint64 id = 0;
    qint64 jobId = 0;
    int number = 0;
    qint64 checkpointId = 0;
    qint64 human = 0;     // items labeled by people so far (validation included)
    qint64 machine = 0;   // items machine-labeled so far
    qint64 remaining = 0; // items neither
    std::optional<double> validationAccuracy;
    std::optional<double> threshold;
    double trainSeconds = 0;
    double inferSeconds = 0;
    QJsonObject metrics;
    qint64 createdMs = 0;
};

struct CheckpointRecord
{
    qint64 id = 0;
    qint64 jobId = 0;
    qint64 taskId = 0;
    QString learner;
    QString path;    // inside the project's folder, relative to it
    QString classes; // the schema it was trained for, as JSON
    QJsonObject metrics;
    qint64 createdMs = 0;
};

} // namespace fieldmark
