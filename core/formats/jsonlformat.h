#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// JSON Lines as spaCy and doccano read and write it: one JSON object a line with the text in
// "text" ("data" in older doccano exports) and its labels in
//   - "label": a class name, or a list of class names (text classification, one or several
//     labels), or doccano's list of [start, end, "LABEL"] spans; or
//   - "entities": spaCy's [[start, end, "LABEL"], ...], or objects with "start_offset",
//     "end_offset" and "label" (doccano) or "start", "end" and "label";
//   - "spans": Prodigy's list of such objects. A Prodigy record whose "answer" is not
//     "accept" is a problem and its labels are not read (a rejected label does not apply).
// Offsets are Python string indices, that is Unicode code points, as Fieldmark's spans count.
//
// Writing gives {"text": ..., "label": "A"} for one class, {"label": ["A", "B"]} for a
// multi-label task and {"text": ..., "entities": [[s, e, "L"], ...]} for spans, beside the
// fields the item was imported with. Reading keeps every field it does not interpret in
// ImportedItem::extra.
class JsonlFormat : public Format
{
public:
    QString name() const override;
    QString displayName() const override;
    FormatCapabilities capabilities() const override;
    QString fileFilter() const override;

    LossReport lossReport(const ExportData &data) const override;

protected:
    Result<FormatReadResult> readPath(const QString &path, const Progress &progress) const override;
    Result<void> writeData(const ExportData &data, const QString &path,
                           const Progress &progress) const override;
};

} // namespace fieldmark
