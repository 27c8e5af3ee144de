#pragma once

#include "core/formats/format.h"

namespace fieldmark {

// CoNLL with IOB2 tags (the CoNLL-2003 NER layout): one token a line, "token<TAB>tag", a
// blank line after each text. One text is one sentence block, so a text keeps its spans
// whatever sentences it holds.
//
// Writing tokenises each text at Unicode word boundaries (UAX #29), leaving whitespace out, so
// every token keeps its code point offsets. A span is written over the tokens it touches: one
// that starts or ends inside a token grows to the token's edges. IOB2 cannot nest or overlap
// entities, so spans are taken by start, the longest first where several start together,
// and a span sharing a token with one already taken is dropped. The loss report counts both.
// Tags use a tab, so class names with spaces survive.
//
// Reading takes the token from the first column and the tag from the last (space- or
// tab-separated, so the four-column CoNLL-2003 files read too), skips -DOCSTART- lines, and
// rebuilds each text by joining its tokens with single spaces: CoNLL keeps no whitespace.
// IOB2, IOB1 (where I- starts an entity) and BIOES / BILOU tags read alike. In a file that is
// not IOB1, an I-X that follows no B-X or I-X (or an E-X / L-X that closes nothing) is a
// problem and is read as the start of a new entity.
class ConllFormat : public Format
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
