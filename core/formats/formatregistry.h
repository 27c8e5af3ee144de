#pragma once

#include "core/formats/format.h"

#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace fieldmark {

// The formats the import and export code can offer, looked up by their --format name.
// Passed in where needed rather than being a global, so tests can build their own.
class FormatRegistry
{
public:
    FormatRegistry() = default;
    FormatRegistry(FormatRegistry &&) = default;
    FormatRegistry &operator=(FormatRegistry &&) = default;
    FormatRegistry(const FormatRegistry &) = delete;
    FormatRegistry &operator=(const FormatRegistry &) = delete;

    void add(std::unique_ptr<Format> format);
    const Format *find(const QString &name) const;
    QList<const Format *> formats() const;

    // Every format Fieldmark ships.
    static FormatRegistry builtIn();

private:
    std::vector<std::unique_ptr<Format>> m_formats;
};

} // namespace fieldmark
