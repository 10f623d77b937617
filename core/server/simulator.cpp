#include "core/server/simulator.h"

#include "core/server/channel_registry.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSimulator, "sightline.server.simulator")

namespace sightline::core::server {

namespace {

    enum class Shape { TankPressure, ChamberPressure, Thrust, Vibration, Temperature, Valve };

    /// The stand's data channels, in the order `dataChannels` takes them.
    struct SensorSpec
    {
        const char16_t* name;
        bool fast;
        Shape shape;
        double scale;
    };
    constexpr SensorSpec StandSensors[] = {
        { u"stand_pt_chamber", true, Shape::ChamberPressure, 1.0 },
        { u"stand_tc_nozzle", false, Shape::Temperature, 3.0 },
        { u"stand_thrust", true, Shape::Thrust, 1.0 },
        { u"stand_valve_fuel", false, Shape::Valve, 0.0 },
        { u"stand_pt_fuel_tank", true, Shape::TankPressure, 1.0 },
        { u"stand_pt_ox_tank", true, Shape::TankPressure, 1.1 },
        { u"stand_tc_fuel_line", false, Shape::Temperature, 0.6 },
        { u"stand_accel_x", true, Shape::Vibration, 1.0 },
        { u"stand_accel_y", true, Shape::Vibration, 0.7 },
        { u"stand_accel_z", true, Shape::Vibration, 1.6 },
        { u"stand_tc_ox_line", false, Shape::Temperature, -0.8 },
        { u"stand_valve_ox", false, Shape::Valve, 0.5 },
    };

    /// The firing cycle: 60 s, valves open from 10 s to 40 s.
    constexpr double CycleSeconds = 60;
    constexpr double OpenAt = 10;
    constexpr double CloseAt = 40;
    /// One sample in this many is a spike.
    constexpr double SpikeOdds = 1.0 / 20000;

    double cycleSeconds(TimeStamp at)
    {
        const std::int64_t cycleNs = static_cast<std::int64_t>(CycleSeconds * 1e9);
        return static_cast<double>(at.nanoseconds() % cycleNs) / 1e9;
    }

    /// 0 → 1 as the chamber lights (2 s ramp), 1 → 0 at shutdown (1 s ramp).
    double burn(double t)
    {
        if (t < OpenAt || t >= CloseAt + 1)
            return 0;
        if (t < OpenAt + 2)
            return (t - OpenAt) / 2;
        if (t >= CloseAt)
            return 1 - (t - CloseAt);
        return 1;
    }

    TimeSpan periodOf(double rate)
    {
        return TimeSpan(std::max<std::int64_t>(1, std::llround(1e9 / std::max(rate, 1e-3))));
    }

} // namespace

struct Simulator::Sensor
{
    Channel channel;
    Shape shape = Shape::Vibration;
    double scale = 1;
};

struct Simulator::Group
{
    Channel index;
    TimeSpan period;
    TimeStamp next;
    std::vector<Sensor> sensors;
};

Result<std::unique_ptr<Simulator>> Simulator::create(Framer& framer, SimulatorConfig config)
{
    if (config.dataChannels < 1 || config.fastRate <= 0 || config.slowRate <= 0)
        return fail(errors::Validation,
            u"the simulator needs at least one channel and positive rates"_s);
    std::unique_ptr<Simulator> simulator(new Simulator(framer, config));
    if (auto created = simulator->createChannels(); !created)
        return tl::unexpected(created.error());
    if (auto opened = simulator->openWriter(TimeStamp::now()); !opened)
        return tl::unexpected(opened.error());
    return simulator;
}

Simulator::Simulator(Framer& framer, SimulatorConfig config)
    : m_framer(framer)
    , m_config(config)
{
    m_timer.setInterval(
        static_cast<int>(std::max<std::int64_t>(1, m_config.tick.nanoseconds() / 1'000'000)));
    connect(&m_timer, &QTimer::timeout, this, &Simulator::onTick);
    connect(&m_retentionTimer, &QTimer::timeout, this, [this] {
        (void)enforceRetention(TimeStamp::now());
    });
}

Simulator::~Simulator() = default;

Result<void> Simulator::createChannels()
{
    Channel fast;
    fast.name = u"stand_time_fast"_s;
    fast.dataType = DataType::Timestamp;
    fast.isIndex = true;
    Channel slow = fast;
    slow.name = u"stand_time_slow"_s;
    auto indexes = m_framer.channels().create({ fast, slow }, true);
    if (!indexes)
        return tl::unexpected(indexes.error());
    m_groups.resize(2);
    m_groups[0].index = (*indexes)[0];
    m_groups[0].period = periodOf(m_config.fastRate);
    m_groups[1].index = (*indexes)[1];
    m_groups[1].period = periodOf(m_config.slowRate);

    std::vector<Channel> requested;
    std::vector<Sensor> sensors;
    const int standCount = static_cast<int>(std::size(StandSensors));
    for (int i = 0; i < m_config.dataChannels; ++i) {
        const SensorSpec spec = i < standCount
            ? StandSensors[i]
            : SensorSpec { nullptr, true, Shape::Vibration, 0.2 + 0.01 * (i % 50) };
        Channel channel;
        channel.name = spec.name != nullptr
            ? QString::fromUtf16(spec.name)
            : u"stand_aux_%1"_s.arg(i - standCount + 1, 3, 10, QChar(u'0'));
        channel.dataType = spec.shape == Shape::Valve ? DataType::Uint8 : DataType::Float64;
        channel.index = spec.fast ? m_groups[0].index.key : m_groups[1].index.key;
        requested.push_back(channel);
        sensors.push_back({ channel, spec.shape, spec.scale });
    }
    auto created = m_framer.channels().create(requested, true);
    if (!created)
        return tl::unexpected(created.error());
    m_channels = *indexes;
    for (std::size_t i = 0; i < created->size(); ++i) {
        sensors[i].channel = (*created)[i];
        const bool inFastGroup = sensors[i].channel.index == m_groups[0].index.key;
        m_groups[inFastGroup ? 0 : 1].sensors.push_back(sensors[i]);
        m_channels.push_back(sensors[i].channel);
    }
    return {};
}

Result<void> Simulator::openWriter(TimeStamp start)
{
    WriterConfig config;
    config.start = start;
    for (const Channel& channel : m_channels)
        config.keys.push_back(channel.key);
    config.mode = WriterMode::PersistStream;
    config.enableAutoCommit = true;
    config.subject = { u"sightline-simulator"_s, u"Simulated test stand"_s, 0 };
    m_writer.reset();
    auto writer = FrameWriter::open(m_framer, config);
    if (!writer)
        return tl::unexpected(writer.error());
    m_writer = std::move(*writer);
    for (Group& group : m_groups) {
        const std::int64_t period = group.period.nanoseconds();
        group.next = TimeStamp((start.nanoseconds() + period - 1) / period * period);
    }
    return {};
}

void Simulator::start()
{
    m_timer.start();
    if (m_config.retention.nanoseconds() > 0) {
        m_retentionTimer.start(std::chrono::minutes(1));
        QTimer::singleShot(0, this, [this] { (void)enforceRetention(TimeStamp::now()); });
    }
}

void Simulator::stop()
{
    m_timer.stop();
    m_retentionTimer.stop();
}

Result<std::int64_t> Simulator::enforceRetention(TimeStamp now)
{
    // Chunks per statement: small enough that a batch takes milliseconds.
    constexpr std::int64_t Batch = 2000;
    if (m_config.retention.nanoseconds() <= 0)
        return 0;
    const TimeStamp before = now - m_config.retention;
    std::int64_t removed = 0;
    bool more = false;
    for (const Group& group : m_groups) {
        std::vector<ChannelKey> keys { group.index.key };
        for (const Sensor& sensor : group.sensors)
            keys.push_back(sensor.channel.key);
        // Data first, then its index, so no data chunk outlives its timestamps.
        std::reverse(keys.begin(), keys.end());
        for (const ChannelKey key : keys) {
            auto gone = m_framer.store().removeChunksBefore(key, before, Batch);
            if (!gone) {
                qCWarning(lcSimulator).noquote()
                    << "cannot delete old simulated data:" << gone.error().message;
                return gone;
            }
            removed += *gone;
            more = more || *gone == Batch;
        }
    }
    if (more)
        QTimer::singleShot(10, this, [this, now] { (void)enforceRetention(now); });
    return removed;
}

void Simulator::onTick()
{
    if (auto advanced = advanceTo(TimeStamp::now()); !advanced && !m_warned) {
        qCWarning(lcSimulator) << "simulated stand stopped writing:" << advanced.error().toString();
        m_warned = true;
    }
}

double Simulator::sample(const Sensor& sensor, TimeStamp at)
{
    const double t = cycleSeconds(at);
    const double seconds = static_cast<double>(at.nanoseconds() % 3'600'000'000'000) / 1e9;
    const double level = burn(t);
    const double noise = m_noise(m_random);
    double value = 0;
    switch (sensor.shape) {
    case Shape::TankPressure:
        value = sensor.scale * (820 - 140 * level - 0.4 * std::max(0.0, t - OpenAt) * (level > 0))
            + 1.5 * noise;
        break;
    case Shape::ChamberPressure:
        value
            = 510 * level * (1 + 0.02 * std::sin(2 * std::numbers::pi * 7 * seconds)) + 2.0 * noise;
        break;
    case Shape::Thrust:
        value = 4.2 * 510 * level + 12 * noise;
        break;
    case Shape::Vibration:
        value = sensor.scale * (0.05 + 2.5 * level)
                * std::sin(2 * std::numbers::pi * 120 * seconds + sensor.scale)
            + 0.08 * noise;
        break;
    case Shape::Temperature: {
        const double heated = t < OpenAt ? 0
            : t < CloseAt                ? 1 - std::exp(-(t - OpenAt) / 8)
                          : (1 - std::exp(-(CloseAt - OpenAt) / 8)) * std::exp(-(t - CloseAt) / 6);
        value = 21 + sensor.scale * 180 * heated + 0.3 * noise;
        break;
    }
    case Shape::Valve:
        return t >= OpenAt - sensor.scale && t < CloseAt - sensor.scale ? 1 : 0;
    }
    if (std::uniform_real_distribution<double>(0, 1)(m_random) < SpikeOdds)
        value += (noise >= 0 ? 1 : -1) * (8 + 0.15 * std::abs(value)); // a glitch, not a blow-up
    return value;
}

Result<void> Simulator::advanceTo(TimeStamp now)
{
    Frame frame;
    for (Group& group : m_groups) {
        // After a stall (suspend, debugger) skip ahead instead of writing a flood.
        const TimeSpan maxCatchUp = TimeSpan::seconds(5);
        if (now - group.next > maxCatchUp)
            group.next = now - maxCatchUp;
        std::vector<TimeStamp> stamps;
        for (TimeStamp at = group.next; at <= now; at = at + group.period)
            stamps.push_back(at);
        if (stamps.empty())
            continue;
        group.next = stamps.back() + group.period;
        frame.add(group.index.key, Series::fromTimeStamps(stamps));
        for (const Sensor& sensor : group.sensors) {
            if (sensor.channel.dataType == DataType::Uint8) {
                std::vector<std::uint8_t> values;
                values.reserve(stamps.size());
                for (const TimeStamp at : stamps)
                    values.push_back(static_cast<std::uint8_t>(sample(sensor, at)));
                frame.add(sensor.channel.key, Series::fromValues<std::uint8_t>(values));
            } else {
                std::vector<double> values;
                values.reserve(stamps.size());
                for (const TimeStamp at : stamps)
                    values.push_back(sample(sensor, at));
                frame.add(sensor.channel.key, Series::fromValues<double>(values));
            }
        }
        m_samplesWritten += stamps.size() * (group.sensors.size() + 1);
    }
    if (frame.empty())
        return {};
    auto written = m_writer->write(frame);
    if (!written && written.error().matches(errors::Storage)) {
        // Streamed but not stored (a full disk): say so once, and again when it recovers.
        if (m_storage.storing)
            qCWarning(lcSimulator).noquote()
                << "cannot store the simulated stand's data:" << written.error().message
                << "- it is still streamed live; storing resumes when the disk has room";
        if (m_storage.storing) {
            m_storage = { false, 0, now, written.error().message };
            Q_EMIT storageChanged(false, m_storage.reason);
        }
        ++m_storage.framesNotStored;
        return {};
    }
    if (!written) {
        // Most likely the clock went backwards into stored data: start over from now.
        (void)openWriter(now + TimeSpan(1));
        return written;
    }
    if (!m_storage.storing) {
        qCInfo(lcSimulator).noquote()
            << "storing the simulated stand's data again;" << m_storage.framesNotStored
            << "frames written since" << m_storage.failingSince.toIsoString()
            << "were streamed but not stored";
        m_storage = {};
        Q_EMIT storageChanged(true, QString());
    }
    m_warned = false;
    return {};
}

} // namespace sightline::core::server
