#pragma once

#include "core/formats/format.h"
#include "core/model/annotation.h"
#include "core/model/labeltask.h"
#include "tests/core/resultassertions.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include <optional>

namespace fieldmark::test {

// Builders for the values formats take, shared by the format tests.

inline LabelClass labelClass(qint64 id, const QString &name, int position)
{
    LabelClass c;
    c.id = id;
    c.name = name;
    c.position = position;
    return c;
}

inline Annotation annotation(qint64 classId, Shape shape, std::optional<double> confidence = {})
{
    Annotation a;
    a.classId = classId;
    a.shape = std::move(shape);
    a.provenance.confidence = confidence;
    if (confidence)
        a.provenance.state = LabelState::Machine;
    return a;
}

// An L-shaped mask at (5, 2), one pixel wide, so a row/column mix-up cannot pass.
inline RleMask lMask()
{
    cv::Mat mat = cv::Mat::zeros(4, 3, CV_8UC1);
    mat.col(0).setTo(255);
    mat.row(3).setTo(255);
    return RleMask::fromMat(mat, QPoint(5, 2));
}

// A real image file, so a reader can take its size from the header.
inline QString makeImage(const QString &path, int width, int height)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::gray);
    EXPECT_TRUE(image.save(path));
    return path;
}

// An item whose image exists, with its size known.
inline ExportItem exportItem(qint64 id, const QString &path, int width, int height,
                             QList<Annotation> annotations)
{
    ExportItem e;
    e.item.id = id;
    e.item.path = makeImage(path, width, height);
    e.item.width = width;
    e.item.height = height;
    e.annotations = std::move(annotations);
    return e;
}

inline QJsonObject readJson(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline QByteArray readText(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "<missing>";
    return file.readAll();
}

// Passes when one of the problems is at exactly `where`.
inline testing::AssertionResult hasProblemAt(const FormatReadResult &result, const QString &where)
{
    for (const FormatProblem &problem : result.problems) {
        if (problem.where == where)
            return testing::AssertionSuccess() << str(problem.where) << ": " << str(problem.reason);
    }
    testing::AssertionResult failure = testing::AssertionFailure();
    failure << "no problem at " << str(where) << "; problems:";
    for (const FormatProblem &problem : result.problems)
        failure << "\n  " << str(problem.where) << ": " << str(problem.reason);
    return failure;
}

// Passes when the read found nothing wrong; prints the first problem otherwise.
inline testing::AssertionResult noProblems(const FormatReadResult &result)
{
    if (result.problems.isEmpty())
        return testing::AssertionSuccess();
    return testing::AssertionFailure()
           << result.problems.size() << " problems, the first " << str(result.problems[0].where)
           << ": " << str(result.problems[0].reason);
}

} // namespace fieldmark::test
