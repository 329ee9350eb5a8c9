// The instant tests start their fake clocks at, and check fixed-time answers at: a constant,
// so every run sees the same times.
#pragma once

#include "common/clock.h"

namespace rampart::testing {

inline constexpr TimestampMs kTestStart = 1790000000000;  // 2026-09-21T14:13:20Z

}  // namespace rampart::testing
