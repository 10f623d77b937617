// Must compile when linked against sightline_core only: the control for the widget probe.
#include "core/telem/frame.h"

#include <QObject>

int probeCore() { return sizeof(QObject) + sizeof(sightline::core::Frame); }
