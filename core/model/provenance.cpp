#include "provenance.h"

#include <array>

namespace fieldmark {

namespace {

constexpr std::array<const char *, 5> kStateNames{"human", "machine", "machine-accepted",
                                                  "machine-edited", "rejected"};

} // namespace

QString labelStateName(LabelState state)
{
    const auto index = size_t(state);
    return index < kStateNames.size() ? QString::fromLatin1(kStateNames[index])
                                      : QStringLiteral("unknown");
}

Result<LabelState> labelStateFromName(const QString &name)
{
    for (size_t i = 0; i < kStateNames.size(); ++i) {
        if (name == QLatin1String(kStateNames[i]))
            return LabelState(i);
    }
    return makeError(QStringLiteral("unknown label state '%1'").arg(name));
}

} // namespace fieldmark
