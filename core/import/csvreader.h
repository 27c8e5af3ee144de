#pragma once

#include "core/util/result.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace fieldmark {

// One record of a CSV file and the line it starts on (1-based), for messages.
struct CsvRecord
{
    int line = 0;
    QStringList fields;
};

// Parses RFC 4180 CSV: comma-separated, fields optionally quoted with "", quotes doubled
// inside quoted fields, which may span lines; CRLF or LF line ends; a UTF-8 BOM is skipped.
// An unterminated quote is an error naming the line where the field began.
Result<QList<CsvRecord>> parseCsv(const QByteArray &data);

} // namespace fieldmark
