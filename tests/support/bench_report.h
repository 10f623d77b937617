#pragma once

// Helpers for benchmarks: timing loops and the project's output convention, one line per
// figure: `bench <name>: <value> <unit>` (ratios use the unit `x`).

#include <chrono>
#include <cstdio>
#include <string>

namespace sightline::bench {

/// Prints one figure in the project's benchmark format.
inline void report(const std::string& name, double value, const char* unit)
{
    std::printf("bench %s: %.4g %s\n", name.c_str(), value, unit);
    std::fflush(stdout);
}

/// Runs `body` repeatedly for at least `minSeconds` (and at least once); returns seconds per run.
template <typename Body> double secondsPerRun(Body&& body, double minSeconds)
{
    using Clock = std::chrono::steady_clock;
    body(); // warm-up: first-touch page faults and caches
    long runs = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        body();
        ++runs;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < minSeconds);
    return elapsed / static_cast<double>(runs);
}

/// Stops the optimiser from discarding a computed value.
template <typename T> inline void keep(const T& value)
{
    asm volatile("" : : "g"(&value) : "memory");
}

} // namespace sightline::bench
