#pragma once

#include "core/util/result.h"

#include <QUndoCommand>

namespace fieldmark {

class ItemDocument;

// The base of every ItemDocument edit. Each redo and undo saves to the store before the
// document changes; its outcome is kept, so the document pushes only a command whose first
// redo was saved, and reports a later undo or redo the store refused.
class DocumentCommand : public QUndoCommand
{
public:
    DocumentCommand(ItemDocument *document, const QString &text);

    void redo() final;
    void undo() final;

    const Result<void> &lastResult() const { return m_lastResult; }

protected:
    virtual Result<void> forward() = 0;
    virtual Result<void> backward() = 0;

    ItemDocument *m_document;

private:
    Result<void> m_lastResult;
};

} // namespace fieldmark
