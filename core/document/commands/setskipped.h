#pragma once

#include "core/document/commands/documentcommand.h"

#include <QString>

namespace fieldmark {

// Marks the item "nothing to label" with a reason, or clears the mark (an empty reason).
class SetSkipped : public DocumentCommand
{
public:
    SetSkipped(ItemDocument *document, const QString &reason);

protected:
    Result<void> forward() override { return apply(m_after); }
    Result<void> backward() override { return apply(m_before); }

private:
    Result<void> apply(const QString &reason);

    QString m_before;
    QString m_after;
};

} // namespace fieldmark
