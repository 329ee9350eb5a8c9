// Clock: the source of "now", injected so tests can control time instead of sleeping.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace rampart {

// Milliseconds since the Unix epoch, UTC.
using TimestampMs = int64_t;

// Durations in TimestampMs units.
constexpr TimestampMs kHourMs = 60 * 60 * 1000;
constexpr TimestampMs kDayMs = 24 * kHourMs;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimestampMs Now() const = 0;
};

// Wall-clock time. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimestampMs Now() const override;
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimestampMs start) : now_(start) {}
  TimestampMs Now() const override { return now_.load(); }
  void Advance(TimestampMs delta) { now_ += delta; }

 private:
  std::atomic<TimestampMs> now_;
};

// RFC 3339 in UTC with millisecond precision: 2026-11-22T06:10:00.123Z.
std::string FormatTimestamp(TimestampMs ms);

// Parses RFC 3339 ("2026-11-22T06:10:00Z", fractional seconds and "+02:00" offsets
// allowed); false when `text` is not one.
bool ParseTimestamp(const std::string& text, TimestampMs& ms);

}  // namespace rampart
