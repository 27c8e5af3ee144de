#pragma once

#include <QIcon>

namespace fieldmark {

// The canvas tools' icons, painted at every common size (crisp on High-DPI screens, and the
// same with or without Qt's SVG plugin, which not every system has).
enum class ToolIcon { Select, Box, Polygon, Brush, Eraser, AssistedMask };

QIcon toolIcon(ToolIcon which);

} // namespace fieldmark
