#pragma once

#include <QString>

namespace sightline::ui {

/// The folder a file dialog starts in: the one saved under settings `key` while it still
/// exists, else the user's documents (their home when there is no documents folder).
[[nodiscard]] QString rememberedFolder(const QString& key);
/// Saves the folder of `file` under settings `key`, for the next dialog.
void rememberFolderOf(const QString& key, const QString& file);

} // namespace sightline::ui
