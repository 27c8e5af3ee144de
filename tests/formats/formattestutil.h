#pragma once

#include "core/model/annotation.h"
#include "core/model/labeltask.h"

#include <optional>

namespace fieldmark::test {

// Builders for the values formats take, shared by the format tests.

inline LabelClass labelClass(qint64 id, const QString &name, int position)
{
    LabelClass c;
    c.id = id;
    c.name = name;
    c.position = position;
    return c;
}

inline Annotation annotation(qint64 classId, Shape shape, std::optional<double> confidence = {})
{
    Annotation a;
    a.classId = classId;
    a.shape = std::move(shape);
    a.provenance.confidence = confidence;
    if (confidence)
        a.provenance.state = LabelState::Machine;
    return a;
}

} // namespace fieldmark::test
