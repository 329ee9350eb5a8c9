// Deployment windows: when a promotion policy blocks promotion (SPEC section 4). Windows are
// in local time of an IANA time zone, read from the system's time zone database
// (/usr/share/zoneinfo), so daylight saving time moves them as it moves the clocks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "model/governance.h"

namespace rampart::governance {

// True when `zone` names a zone of the system's time zone database ("UTC", "Europe/Berlin").
bool IsKnownTimeZone(const std::string& zone);

// The index of the first of `windows` that blocks promotion at `now`, if any. A window whose
// zone is unknown (the database changed since it was stored) blocks: failing closed.
std::optional<size_t> BlockingWindow(const std::vector<BlockedWindow>& windows, TimestampMs now);

// "sat, sun 00:00-24:00 Europe/Berlin", for messages.
std::string DescribeWindow(const BlockedWindow& window);

}  // namespace rampart::governance
