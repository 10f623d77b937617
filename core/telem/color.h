#pragma once

namespace sightline::core {

/// A colour as Synnax keeps a range's or a label's: red, green and blue 0–255, alpha 0–1.
struct Color
{
    int r = 0;
    int g = 0;
    int b = 0;
    double a = 0;

    friend bool operator==(const Color&, const Color&) = default;
};

} // namespace sightline::core
