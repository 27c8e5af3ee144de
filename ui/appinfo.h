#pragma once

#include <QIcon>
#include <QString>

namespace fieldmark {

// What the application says about itself: its version and its icon.
QString applicationVersionString();

// The Fieldmark icon: the SVG from the resources where an SVG image plugin is installed,
// otherwise the same drawing painted at the usual icon sizes.
QIcon applicationIcon();

// A theme icon with a fallback from the current style, so that menus look native on desktops
// with an icon theme and still have an icon elsewhere.
QIcon themeIcon(const QString &name, int fallbackStandardPixmap);

} // namespace fieldmark
