#pragma once

#include <QString>

class QWidget;

namespace fieldmark {

class Format;

// Asks for the file or folder a format reads or writes: a folder for formats that write one
// file per image, otherwise a file, filtered by the format's name filter (and "All files").
// Empty when the user cancels.
enum class FormatFileMode { Read, Write };
QString chooseFormatPath(QWidget *parent, const Format &format, FormatFileMode mode,
                         const QString &title, const QString &start);

} // namespace fieldmark
