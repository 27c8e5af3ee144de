#include "formatfiledialog.h"

#include "core/formats/format.h"

#include <QCoreApplication>
#include <QFileDialog>

namespace fieldmark {

QString chooseFormatPath(QWidget *parent, const Format &format, FormatFileMode mode,
                         const QString &title, const QString &start)
{
    if (format.capabilities().writesFolder)
        return QFileDialog::getExistingDirectory(parent, title, start);
    const QString all = QCoreApplication::translate("fieldmark::FormatFileDialog", "All files (*)");
    const QString filter =
        format.fileFilter().isEmpty() ? all : format.fileFilter() + QStringLiteral(";;") + all;
    return mode == FormatFileMode::Write
               ? QFileDialog::getSaveFileName(parent, title, start, filter)
               : QFileDialog::getOpenFileName(parent, title, start, filter);
}

} // namespace fieldmark
