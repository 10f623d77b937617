#include "ui/shell/layout_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace sightline::ui {

namespace {

    const QString Format = u"sightline.layout"_s;
    const QString ErrorType = u"sightline.layout"_s;

    core::Result<void> failed(const QString& message) { return core::fail(ErrorType, message); }

    /// Removes plot channel `at` with its axis and hidden flag.
    void removeChannelAt(PlotLayout& plot, qsizetype at)
    {
        plot.hidden.removeAll(plot.channels[at]);
        plot.channels.removeAt(at);
        if (at < static_cast<qsizetype>(plot.channelAxes.size()))
            plot.channelAxes.erase(plot.channelAxes.begin() + at);
    }

    std::optional<std::int64_t> nanoseconds(const QJsonValue& value)
    {
        bool ok = false;
        const qlonglong ns = value.toString().toLongLong(&ok);
        return ok ? std::optional<std::int64_t>(ns) : std::nullopt;
    }

} // namespace

QStringList LayoutFile::channelNames() const
{
    QStringList names;
    for (const PlotLayout& plot : plots)
        for (const QString& name : plot.channels)
            if (!names.contains(name))
                names << name;
    for (auto it = colors.begin(); it != colors.end(); ++it)
        if (!names.contains(it.key()))
            names << it.key();
    return names;
}

void LayoutFile::rename(const QString& from, const QString& to)
{
    if (from == to)
        return;
    for (PlotLayout& plot : plots) {
        const qsizetype at = plot.channels.indexOf(from);
        if (at < 0)
            continue;
        if (plot.channels.contains(to)) { // already there: one trace, not two
            removeChannelAt(plot, at);
            continue;
        }
        plot.channels[at] = to;
        if (plot.hidden.removeAll(from) > 0)
            plot.hidden << to;
    }
    if (colors.contains(from)) {
        const QColor color = colors.take(from);
        if (!colors.contains(to))
            colors.insert(to, color);
    }
}

void LayoutFile::leaveOut(const QString& name)
{
    for (PlotLayout& plot : plots)
        if (const qsizetype at = plot.channels.indexOf(name); at >= 0)
            removeChannelAt(plot, at);
    colors.remove(name);
}

QJsonObject LayoutFile::toJson() const
{
    QJsonArray plotArray;
    for (const PlotLayout& plot : plots)
        plotArray.append(plot.toJson());
    QJsonObject colorObject;
    for (auto it = colors.begin(); it != colors.end(); ++it)
        colorObject.insert(it.key(), it.value().name(QColor::HexRgb));
    QJsonObject history { { u"shown"_s, historyShown } };
    if (historyWindow)
        history.insert(u"window"_s,
            QJsonObject { { u"start"_s, QString::number(historyWindow->start.nanoseconds()) },
                { u"end"_s, QString::number(historyWindow->end.nanoseconds()) } });
    QJsonObject json { { u"format"_s, Format },
        { u"version"_s, Version },
        { u"plots"_s, plotArray },
        { u"colors"_s, colorObject },
        { u"history"_s, history } };
    if (!theme.isEmpty())
        json.insert(u"theme"_s, theme);
    return json;
}

core::Result<LayoutFile> LayoutFile::fromJson(const QByteArray& json)
{
    QJsonParseError parse;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parse);
    if (parse.error != QJsonParseError::NoError)
        return core::fail(ErrorType,
            QObject::tr("Not a layout: the JSON is malformed at byte %1 (%2)")
                .arg(parse.offset)
                .arg(parse.errorString()));
    const QJsonObject root = document.object();
    if (!document.isObject() || root.value(u"format"_s).toString() != Format)
        return core::fail(ErrorType,
            QObject::tr("Not a Sightline layout (no \"format\": \"%1\")").arg(Format));
    const int version = root.value(u"version"_s).toInt(0);
    if (version < 1)
        return core::fail(ErrorType, QObject::tr("The layout has no valid \"version\""));
    if (version > Version)
        return core::fail(ErrorType,
            QObject::tr("The layout is version %1; this Sightline reads up to version %2: "
                        "update Sightline to open it")
                .arg(version)
                .arg(Version));
    if (!root.value(u"plots"_s).isArray())
        return core::fail(ErrorType, QObject::tr("The layout has no \"plots\" list"));
    LayoutFile layout;
    for (const QJsonValue& value : root.value(u"plots"_s).toArray()) {
        if (!value.isObject())
            return core::fail(ErrorType, QObject::tr("A plot of the layout is not an object"));
        layout.plots.push_back(PlotLayout::fromJson(value.toObject()));
    }
    const QJsonObject colors = root.value(u"colors"_s).toObject();
    for (auto it = colors.begin(); it != colors.end(); ++it) {
        const QColor color = QColor::fromString(it.value().toString());
        if (!color.isValid())
            return core::fail(ErrorType,
                QObject::tr("The colour of %1 is not a colour: \"%2\"")
                    .arg(it.key(), it.value().toString()));
        layout.colors.insert(it.key(), color);
    }
    layout.theme = root.value(u"theme"_s).toString();
    if (!layout.theme.isEmpty() && layout.theme != u"system"_s && layout.theme != u"light"_s
        && layout.theme != u"dark"_s)
        return core::fail(ErrorType, QObject::tr("Unknown theme \"%1\"").arg(layout.theme));
    const QJsonObject history = root.value(u"history"_s).toObject();
    layout.historyShown = history.value(u"shown"_s).toBool();
    if (history.contains(u"window"_s)) {
        const QJsonObject window = history.value(u"window"_s).toObject();
        const auto start = nanoseconds(window.value(u"start"_s));
        const auto end = nanoseconds(window.value(u"end"_s));
        if (!start || !end || *end <= *start)
            return core::fail(ErrorType,
                QObject::tr("The history window needs \"start\" before \"end\" (ns as text)"));
        layout.historyWindow = core::TimeRange { core::TimeStamp(*start), core::TimeStamp(*end) };
    }
    return layout;
}

core::Result<LayoutFile> LayoutFile::read(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return core::fail(ErrorType,
            QObject::tr("Cannot open %1: %2").arg(path, file.errorString()));
    auto layout = fromJson(file.readAll());
    if (!layout)
        return core::fail(ErrorType, u"%1: %2"_s.arg(path, layout.error().message));
    return layout;
}

core::Result<void> LayoutFile::write(const QString& path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return failed(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    file.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return failed(QObject::tr("Cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace sightline::ui
