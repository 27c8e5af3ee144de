#include "setskipped.h"

#include "core/document/itemdocument.h"
#include "core/store/projectstore.h"

#include <QCoreApplication>

namespace fieldmark {

SetSkipped::SetSkipped(ItemDocument *document, const QString &reason)
    : DocumentCommand(document,
                      reason.isEmpty()
                          ? QCoreApplication::translate("fieldmark::SetSkipped", "Clear Skip")
                          : QCoreApplication::translate("fieldmark::SetSkipped", "Skip Item"))
    , m_before(document->skipReason())
    , m_after(reason)
{}

Result<void> SetSkipped::apply(const QString &reason)
{
    auto saved =
        m_document->store().setSkipped(m_document->item().id, m_document->task().id, reason);
    if (!saved)
        return saved;
    m_document->setSkipReason(reason);
    return {};
}

} // namespace fieldmark
