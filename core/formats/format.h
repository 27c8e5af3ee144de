#pragma once

#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/util/progress.h"
#include "core/util/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace fieldmark {

// What leaves the project: one task's items with the annotations chosen for export (by label
// state), as values. Built from the store by the export code; formats never see the store.
struct ExportItem
{
    Item item;
    QList<Annotation> annotations;
};

struct ExportData
{
    LabelTask task;
    QList<ExportItem> items;
    QString datasetRoot; // image paths are written relative to this folder where they lie in it
};

// What a file holds, before it is matched to a project: classes by name, shapes in item
// coordinates, paths resolved against the dataset folder.
struct ImportedAnnotation
{
    QString className;
    Shape shape;
    std::optional<double> confidence;
    // Whether a person made it, where the file says so (Ground Truth's "human-annotated");
    // unset: a label with a confidence is a machine label, one without is a human label.
    std::optional<bool> humanAnnotated;
    qint64 timeMs = 0;      // when it was made, where the file says so (ms since the epoch, UTC)
    QString jobName;        // the labeling job that made it, where the file says so
    QJsonObject attributes; // format flags kept beside the shape (see Annotation::attributes)
};

struct ImportedItem
{
    QString path;      // absolute path of the image, or of the text's source file
    QString text;      // text items only (their annotations' spans count code points of it)
    QString sourceRef; // where in the file it came from ("data.jsonl:12"), for messages
    int width = 0;
    int height = 0;
    QList<ImportedAnnotation> annotations;
    QJsonObject extra; // fields of the source record the format keeps but Fieldmark doesn't use
};

// A problem in the input: where (file, then ":line" or a JSON path such as
// "annotations[12].bbox") and why. The valid part still imports when the user chooses.
struct FormatProblem
{
    QString where;
    QString reason;
};

struct FormatReadResult
{
    QStringList classes; // in the file's own order (its ids are not Fieldmark's)
    QList<ImportedItem> items;
    QList<FormatProblem> problems;
};

// What a format would drop from an export, in words, with counts: "3 polygons written as
// their bounding boxes", "confidences are not kept". Empty when nothing is lost.
struct LossReport
{
    QStringList losses;
    bool isEmpty() const { return losses.isEmpty(); }
};

// What an export holds, counted once for every format's loss report. Class tags and spans
// are counted apart; the other counts cover the rest (the shapes an image format writes).
struct LabelCensus
{
    qsizetype classTags = 0;
    qsizetype spans = 0;
    qsizetype masks = 0;
    qsizetype withConfidence = 0;
    qsizetype notHuman = 0; // machine or reviewed labels: provenance a plain format drops

    static LabelCensus of(const ExportData &data);
};

// The losses every image-annotation format shares, in its own words (`format` is its name):
// whole-image classes and text spans it cannot carry...
void appendUnwrittenShapeLosses(LossReport &report, const LabelCensus &census,
                                const QString &format);
// ...and the provenance of machine and reviewed labels.
void appendProvenanceLoss(LossReport &report, const LabelCensus &census);

// The error a cancelled read or write returns.
Error formatCancelled();
bool isFormatCancelled(const Error &error);

struct FormatCapabilities
{
    QList<TaskType> tasks; // the task types it can carry
    bool canRead = false;
    bool canWrite = false;
    bool writesFolder = false; // one file per image (VOC, YOLO) rather than one file
};

// One annotation format: reads and writes files, and says before writing what it would lose.
// Class ids in the output come from the task's class positions, never from the order classes
// happen to appear in. Writers write to a temporary file and rename it into place.
//
// read() and write() are the public calls; a format implements readPath() and writeData()
// (the non-virtual pair keeps the default argument in one place).
class Format
{
public:
    virtual ~Format() = default;

    virtual QString name() const = 0;        // "coco": the --format value
    virtual QString displayName() const = 0; // "COCO JSON"
    virtual FormatCapabilities capabilities() const = 0;
    // What the user points an import or export at ("*.json", a folder), for file dialogs:
    // a Qt name filter such as "COCO JSON (*.json)", empty for a folder.
    virtual QString fileFilter() const { return {}; }

    virtual LossReport lossReport(const ExportData &data) const = 0;

    Result<FormatReadResult> read(const QString &path, const Progress &progress = {}) const
    {
        return readPath(path, progress);
    }
    Result<void> write(const ExportData &data, const QString &path,
                       const Progress &progress = {}) const
    {
        return writeData(data, path, progress);
    }

protected:
    virtual Result<FormatReadResult> readPath(const QString &path,
                                              const Progress &progress) const = 0;
    virtual Result<void> writeData(const ExportData &data, const QString &path,
                                   const Progress &progress) const = 0;
};

} // namespace fieldmark
