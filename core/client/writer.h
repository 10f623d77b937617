#pragma once

#include "core/client/connection.h"
#include "core/client/framer_stream.h"
#include "core/codec/framer_commands.h"
#include "core/error.h"
#include "core/telem/frame.h"

#include <memory>
#include <optional>
#include <vector>

namespace sightline::core::client {

using codec::WriterMode;

struct WriterConfig
{
    /// No sample may be earlier than this.
    TimeStamp start;
    std::vector<ChannelRef> channels {};
    WriterMode mode = WriterMode::PersistStream;
    /// One for all channels or one per channel; 255 is absolute.
    std::vector<std::uint8_t> authorities { 255 };
    bool errOnUnauthorized = false;
    /// Commit after every write, so samples are readable (and durable) at once.
    bool enableAutoCommit = true;
    /// Who writes (shown to other writers); group is what streamers may exclude.
    QString subjectName {};
    std::uint32_t group = 0;
};

/// Writes frames through the cluster's writer (protocol §7) with the binary frame codec.
/// `write()` does not wait for the cluster; a write the cluster rejected is reported by the
/// next write(), commit() or close() (as Synnax's clients do), and the writer is then done.
///
/// Threads: one thread uses it.
class Writer
{
public:
    /// Resolves the channels and opens the writer; a `sy.control.unauthorized` error when
    /// `errOnUnauthorized` is set and another writer holds a channel.
    [[nodiscard]] static Result<std::unique_ptr<Writer>> open(Connection& connection,
        WriterConfig config);
    ~Writer();

    /// Sends one frame (keys must be the writer's channels).
    [[nodiscard]] Result<void> write(const Frame& frame);
    /// Makes everything written so far durable; returns the end of the written region
    /// (last timestamp + 1 ns).
    [[nodiscard]] Result<TimeStamp> commit();
    /// Changes the authority of `keys` (all channels when empty).
    [[nodiscard]] Result<void> setAuthority(std::vector<ChannelKey> keys,
        std::vector<std::uint8_t> authorities);
    /// Closes the writer; returns the error of a rejected write if there was one.
    [[nodiscard]] Result<void> close();

    [[nodiscard]] const std::vector<Channel>& channels() const { return m_channels; }

private:
    Writer(std::unique_ptr<FramerStream> stream, std::vector<Channel> channels);
    /// Sends a command and waits for its response; returns the response's `end`.
    [[nodiscard]] Result<TimeStamp> execute(int command, const QJsonObject& config = {});
    /// Surfaces an error the cluster pushed without being asked.
    [[nodiscard]] Result<void> checkPushedError();
    [[nodiscard]] static std::optional<Error> responseError(const QJsonObject& response);

    std::unique_ptr<FramerStream> m_stream;
    std::vector<Channel> m_channels;
    std::optional<Error> m_error;
    bool m_closed = false;
};

} // namespace sightline::core::client
