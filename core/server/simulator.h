#pragma once

#include "core/error.h"
#include "core/server/framer/framer.h"

#include <QObject>
#include <QTimer>

#include <memory>
#include <random>
#include <vector>

namespace sightline::core::server {

struct SimulatorConfig
{
    /// Rate of the fast group (pressures, thrust, accelerations), Hz.
    double fastRate = 1000;
    /// Rate of the slow group (temperatures, valve states), Hz.
    double slowRate = 10;
    /// Number of data channels (the demo stand has 12; more are extra fast sensors).
    int dataChannels = 12;
    /// How often samples are written (one frame per tick).
    TimeSpan tick = TimeSpan::milliseconds(50);
    /// The stand's own samples older than this are deleted (checked every minute); zero
    /// keeps them for ever. Channels other clients write are never touched.
    TimeSpan retention = TimeSpan::hours(24 * 7);
};

/// A demo test stand writing live data through the same writer path as a network client:
/// two index groups (fast and slow), pressures that ramp and step with a firing cycle,
/// thrust following chamber pressure, vibrating accelerometers, drifting temperatures, valve
/// states, sensor noise and occasional spikes. Channels are created on first start (names
/// `stand_*`) and reused afterwards. Cluster thread only.
class Simulator : public QObject
{
    Q_OBJECT

public:
    /// Creates (or finds) the stand's channels and opens its writer.
    [[nodiscard]] static Result<std::unique_ptr<Simulator>> create(Framer& framer,
        SimulatorConfig config);
    ~Simulator() override;

    void start();
    void stop();
    /// Writes everything due up to `now` (the timer calls this with the clock's time).
    [[nodiscard]] Result<void> advanceTo(TimeStamp now);
    [[nodiscard]] const std::vector<Channel>& channels() const { return m_channels; }
    [[nodiscard]] std::uint64_t samplesWritten() const { return m_samplesWritten; }

    /// Whether the stand's frames are being stored (they are streamed either way).
    struct Storage
    {
        bool storing = true;
        /// Frames streamed but not stored since storing last failed (0 while storing).
        std::uint64_t framesNotStored = 0;
        /// When storing last started failing, and why.
        TimeStamp failingSince;
        QString reason;
    };
    [[nodiscard]] const Storage& storage() const { return m_storage; }

Q_SIGNALS:
    /// Storing stopped (`storing` false, with why) or resumed; frames are streamed either way.
    void storageChanged(bool storing, const QString& reason);

public:
    /// Deletes the stand's samples older than the retention before `now`, a bounded batch
    /// at a time so live streams never wait long; returns the chunks deleted (a call with
    /// more to do schedules the next batch itself).
    [[nodiscard]] Result<std::int64_t> enforceRetention(TimeStamp now);

private:
    struct Sensor;
    struct Group;
    Simulator(Framer& framer, SimulatorConfig config);
    [[nodiscard]] Result<void> createChannels();
    [[nodiscard]] Result<void> openWriter(TimeStamp start);
    [[nodiscard]] double sample(const Sensor& sensor, TimeStamp at);
    void onTick();

    Framer& m_framer;
    SimulatorConfig m_config;
    std::vector<Channel> m_channels;
    std::vector<Group> m_groups;
    std::unique_ptr<FrameWriter> m_writer;
    QTimer m_timer;
    QTimer m_retentionTimer;
    std::mt19937_64 m_random { 20261123 };
    std::normal_distribution<double> m_noise { 0.0, 1.0 };
    std::uint64_t m_samplesWritten = 0;
    bool m_warned = false;
    Storage m_storage;
};

} // namespace sightline::core::server
