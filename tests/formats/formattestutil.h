#pragma once

#include "core/formats/annotationimport.h"
#include "core/formats/exporter.h"
#include "core/formats/format.h"
#include "core/model/annotation.h"
#include "core/model/labeltask.h"
#include "core/store/projectstore.h"
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

// Passes when one of the problems is at `where`: the whole place, or its end after a folder.
inline testing::AssertionResult hasProblemAt(const FormatReadResult &result, const QString &where)
{
    for (const FormatProblem &problem : result.problems) {
        if (problem.where == where || problem.where.endsWith(u'/' + where))
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

// What a project round trip through the export and import pipeline gave back.
struct PipelineResult
{
    QList<Annotation> annotations; // the second project's, in item order
    QList<FormatProblem> problems; // the import plan's
};

// Exports a project with `format` (its images copied into the export) and imports the export
// into a fresh project with the same classes. The first project has one image per entry of
// `perItem`, all named img.png in folders of their own, so exported names collide; each
// annotation's classId is an index into `classes`.
inline Result<PipelineResult> exportAndImport(const QString &root, const Format &format,
                                              TaskType type, const QStringList &classes,
                                              const QList<QList<Annotation>> &perItem)
{
    using namespace Qt::StringLiterals;
    auto source = ProjectStore::create(root + u"/first"_s);
    auto target = ProjectStore::create(root + u"/second"_s);
    if (!source || !target)
        return makeError(u"cannot create the projects"_s);
    const Result<LabelTask> task = (*source)->addTask(u"task"_s, type, classes);
    const Result<LabelTask> targetTask = (*target)->addTask(u"task"_s, type, classes);
    if (!task || !targetTask)
        return makeError(u"cannot add the tasks"_s);
    QList<Item> items;
    for (qsizetype i = 0; i < perItem.size(); ++i) {
        Item item;
        item.path = root + u"/media/%1/img.png"_s.arg(i);
        QDir().mkpath(QFileInfo(item.path).absolutePath());
        QImage image(40, 30, QImage::Format_RGB32);
        image.fill(QColor(int(i) * 50, 0, 0)); // distinct content, distinct hashes
        if (!image.save(item.path))
            return makeError(u"cannot save "_s + item.path);
        item.hash = "sha1:" + QByteArray::number(i);
        item.width = 40;
        item.height = 30;
        items.append(item);
    }
    const Result<AddItemsResult> added = (*source)->addItems(items);
    if (!added || added->addedIds.size() != perItem.size())
        return makeError(u"cannot add the items"_s);
    for (qsizetype i = 0; i < perItem.size(); ++i) {
        for (Annotation a : perItem[i]) {
            a.itemId = added->addedIds[i];
            a.taskId = task->id;
            a.classId = task->classes[int(a.classId)].id;
            if (Result<qint64> id = (*source)->addAnnotation(a); !id)
                return id.error();
        }
    }

    ExportOptions options;
    options.taskId = task->id;
    options.media = ExportMedia::Copy;
    const QString out = root + u"/export"_s;
    const Result<ExportPlan> plan = planExport(**source, format, out, options);
    if (!plan)
        return plan.error();
    if (Result<ExportSummary> ran = runExport(*plan); !ran)
        return ran.error();

    AnnotationImportOptions importOptions;
    importOptions.taskId = targetTask->id;
    const Result<AnnotationImportPlan> importPlan =
        planAnnotationImport(**target, format, out, importOptions);
    if (!importPlan)
        return importPlan.error();
    if (Result<AnnotationImportSummary> imported =
            runAnnotationImport(**target, *importPlan, importOptions);
        !imported)
        return imported.error();
    return PipelineResult{(*target)->taskAnnotations(targetTask->id), importPlan->problems};
}

} // namespace fieldmark::test
