#include "documentcommand.h"

#include "core/document/itemdocument.h"

namespace fieldmark {

DocumentCommand::DocumentCommand(ItemDocument *document, const QString &text)
    : QUndoCommand(text)
    , m_document(document)
{}

void DocumentCommand::redo()
{
    if (m_document->consumeSkipRedo())
        return; // QUndoStack::push of a command the document has already run and saved
    m_lastResult = forward();
    if (!m_lastResult)
        m_document->reportFailure(m_lastResult.errorString());
}

void DocumentCommand::undo()
{
    m_lastResult = backward();
    if (!m_lastResult)
        m_document->reportFailure(m_lastResult.errorString());
}

} // namespace fieldmark
