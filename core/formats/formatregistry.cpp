#include "formatregistry.h"

#include "core/formats/cocoformat.h"
#include "core/formats/conllformat.h"
#include "core/formats/csvformat.h"
#include "core/formats/groundtruthformat.h"
#include "core/formats/jsonlformat.h"
#include "core/formats/labelmapformat.h"
#include "core/formats/labelmeformat.h"
#include "core/formats/pascalvocformat.h"
#include "core/formats/yoloformat.h"

namespace fieldmark {

void FormatRegistry::add(std::unique_ptr<Format> format)
{
    if (format)
        m_formats.push_back(std::move(format));
}

const Format *FormatRegistry::find(const QString &name) const
{
    for (const auto &format : m_formats) {
        if (format->name().compare(name, Qt::CaseInsensitive) == 0)
            return format.get();
    }
    return nullptr;
}

QList<const Format *> FormatRegistry::formats() const
{
    QList<const Format *> result;
    result.reserve(qsizetype(m_formats.size()));
    for (const auto &format : m_formats)
        result.append(format.get());
    return result;
}

FormatRegistry FormatRegistry::builtIn()
{
    FormatRegistry registry;
    registry.add(std::make_unique<CocoFormat>());
    registry.add(std::make_unique<YoloFormat>());
    registry.add(std::make_unique<PascalVocFormat>());
    registry.add(std::make_unique<LabelmeFormat>());
    registry.add(std::make_unique<ConllFormat>());
    registry.add(std::make_unique<JsonlFormat>());
    registry.add(std::make_unique<CsvFormat>());
    registry.add(std::make_unique<GroundTruthFormat>());
    registry.add(std::make_unique<LabelMapFormat>());
    return registry;
}

} // namespace fieldmark
