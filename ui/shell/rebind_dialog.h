#pragma once

#include "core/telem/channel.h"

#include <QDialog>
#include <QMap>
#include <QStringList>

#include <vector>

class QComboBox;

namespace sightline::ui {

/// Asks what to do with the channels a layout names that this cluster lacks: each can be
/// rebound to an existing channel (chosen from a list that filters as one types) or left out.
/// A channel with the same name in other letter case is proposed.
class RebindDialog : public QDialog
{
    Q_OBJECT

public:
    RebindDialog(const QStringList& missing,
        const std::vector<core::Channel>& channels,
        QWidget* parent = nullptr);

    /// Missing name → the channel chosen for it; names left out are absent.
    [[nodiscard]] QMap<QString, QString> choices() const;
    /// Chooses `channel` for `missing` (an empty `channel` leaves it out); false when either
    /// is unknown.
    bool choose(const QString& missing, const QString& channel);

private:
    QStringList m_missing;
    QStringList m_channels;
    std::vector<QComboBox*> m_choices; ///< parallel to m_missing
};

} // namespace sightline::ui
