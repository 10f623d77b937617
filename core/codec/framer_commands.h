#pragma once

// The numbers of Synnax's framer stream requests and responses (protocol §6, §7), shared by
// the client and the embedded cluster so the two cannot drift apart.

namespace sightline::core::codec {

/// Iterator request `command` values. Go also has SetBounds = 9, which the TypeScript
/// client does not know, so it is never sent.
enum IteratorCommand : int {
    IteratorOpen = 0,
    IteratorNext = 1,
    IteratorPrev = 2,
    IteratorSeekFirst = 3,
    IteratorSeekLast = 4,
    IteratorSeekLE = 5,
    IteratorSeekGE = 6,
    IteratorValid = 7,
    IteratorError = 8,
};

/// Iterator response `variant` values.
enum IteratorVariant : int {
    IteratorAckVariant = 1,
    IteratorDataVariant = 2,
};

/// Writer request and response `command` values.
enum WriterCommand : int {
    WriterOpen = 0,
    WriterWrite = 1,
    WriterCommit = 2,
    WriterSetAuthority = 3,
};

/// Writer modes: persist and stream, persist only, stream only.
enum class WriterMode { PersistStream = 1, Persist = 2, Stream = 3 };

} // namespace sightline::core::codec
