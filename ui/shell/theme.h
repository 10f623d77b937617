#pragma once

#include <QPalette>

namespace sightline::ui {

/// Which palette the application uses: the desktop's, or our own light or dark one.
enum class PaletteChoice { System, Light, Dark };

/// Remembers the desktop's palette and style, once, before the app changes them.
void rememberSystemTheme();
/// Whether the desktop's palette (as remembered) is dark.
[[nodiscard]] bool systemThemeIsDark();
/// The dark palette: every role and the disabled group set, so placeholder text, unticked
/// check boxes and disabled buttons stay readable.
[[nodiscard]] QPalette darkPalette();
/// Applies a palette (and the style that draws it faithfully) to the whole application.
void applyApplicationPalette(PaletteChoice choice);

} // namespace sightline::ui
