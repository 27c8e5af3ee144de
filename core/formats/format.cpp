#include "format.h"

using namespace Qt::StringLiterals;

namespace fieldmark {

namespace {
const QString kCancelled = u"cancelled"_s;
}

Error formatCancelled()
{
    return makeError(kCancelled);
}

bool isFormatCancelled(const Error &error)
{
    return error.message == kCancelled;
}

LabelCensus LabelCensus::of(const ExportData &data)
{
    LabelCensus census;
    for (const ExportItem &item : data.items) {
        for (const Annotation &annotation : item.annotations) {
            switch (shapeKind(annotation.shape)) {
            case ShapeKind::ClassTag:
                ++census.classTags;
                continue;
            case ShapeKind::Span:
                ++census.spans;
                continue;
            case ShapeKind::Mask:
                ++census.masks;
                break;
            default:
                break;
            }
            if (annotation.provenance.confidence)
                ++census.withConfidence;
            if (annotation.provenance.state != LabelState::Human)
                ++census.notHuman;
        }
    }
    return census;
}

void appendUnwrittenShapeLosses(LossReport &report, const LabelCensus &census,
                                const QString &format)
{
    if (census.classTags > 0)
        report.losses.append(
            u"%1 whole-image class labels are not written: %2 has no image-level labels"_s.arg(
                QString::number(census.classTags), format));
    if (census.spans > 0)
        report.losses.append(
            u"%1 text spans are not written: %2 carries image annotations only"_s.arg(
                QString::number(census.spans), format));
}

void appendProvenanceLoss(LossReport &report, const LabelCensus &census)
{
    if (census.notHuman > 0)
        report.losses.append(
            u"label provenance (human / machine / reviewed) is not kept: "
            u"%1 machine or reviewed labels read back as plain labels"_s.arg(census.notHuman));
}

} // namespace fieldmark
