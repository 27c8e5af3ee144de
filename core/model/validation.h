#pragma once

#include "core/model/annotation.h"
#include "core/model/item.h"
#include "core/model/labeltask.h"
#include "core/util/result.h"

namespace fieldmark {

// Checks an annotation against its item and task before it is stored: the class belongs to
// the task, the shape fits the task type, the geometry lies inside the image or the text.
// The message says what is wrong in a user's words.
Result<void> validateAnnotation(const Annotation &annotation, const Item &item,
                                const LabelTask &task);

// A span [start, end) in code points of `text`: not empty, inside the text, and not
// separating a character from its combining marks.
Result<void> validateSpan(const Span &span, const QString &text);

// True when the segments p1-p2 and q1-q2 cross, or overlap along a line; for the polygon
// tool, which refuses an edge before the polygon is closed.
bool segmentsCross(const QPointF &p1, const QPointF &p2, const QPointF &q1, const QPointF &q2);

// True when two edges of the closed polygon cross (touching neighbours do not count).
bool polygonSelfIntersects(const QVector<QPointF> &points);

} // namespace fieldmark
