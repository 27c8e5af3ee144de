#include "csvreader.h"

namespace fieldmark {

Result<QList<CsvRecord>> parseCsv(const QByteArray &data)
{
    QList<CsvRecord> records;
    const QString text = QString::fromUtf8(data);
    qsizetype i = text.startsWith(QChar(0xfeff)) ? 1 : 0;
    int line = 1;
    CsvRecord record{line, {}};
    QString field;
    bool quoted = false;
    bool fieldStarted = false;
    int quoteLine = 0;
    auto endField = [&] {
        record.fields.append(field);
        field.clear();
        fieldStarted = false;
    };
    auto endRecord = [&] {
        endField();
        // A blank line is no record.
        if (!(record.fields.size() == 1 && record.fields.front().isEmpty()))
            records.append(record);
        record = CsvRecord{line, {}};
    };
    const qsizetype n = text.size();
    for (; i < n; ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < n && text[i + 1] == QLatin1Char('"')) {
                    field.append(c);
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field.append(c);
            }
            continue;
        }
        if (c == QLatin1Char('"') && !fieldStarted) {
            quoted = true;
            fieldStarted = true;
            quoteLine = line;
        } else if (c == QLatin1Char(',')) {
            endField();
        } else if (c == QLatin1Char('\r') && i + 1 < n && text[i + 1] == QLatin1Char('\n')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            ++line;
            endRecord();
        } else {
            field.append(c);
            fieldStarted = true;
        }
    }
    if (quoted)
        return makeError(QStringLiteral("line %1: a quoted field is never closed").arg(quoteLine));
    if (fieldStarted || !field.isEmpty() || !record.fields.isEmpty())
        endRecord();
    return records;
}

} // namespace fieldmark
