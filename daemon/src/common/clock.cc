#include "common/clock.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace rampart {

TimestampMs SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatTimestamp(TimestampMs ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return buffer;
}

bool ParseTimestamp(const std::string& text, TimestampMs& ms) {
  // Fixed shape first ("YYYY-MM-DDTHH:MM:SS"), so sscanf cannot accept signs or spaces.
  static constexpr char kShape[] = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < 20) return false;
  for (size_t i = 0; i < 19; ++i) {
    bool digit = std::isdigit(static_cast<unsigned char>(text[i])) != 0;
    if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
  }
  std::tm parts{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &parts.tm_year, &parts.tm_mon,
                  &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6 ||
      consumed != 19) {
    return false;
  }
  if (parts.tm_mon < 1 || parts.tm_mon > 12 || parts.tm_mday < 1 || parts.tm_mday > 31 ||
      parts.tm_hour > 23 || parts.tm_min > 59 || parts.tm_sec > 60) {
    return false;
  }
  size_t position = 19;
  int64_t millis = 0;
  if (position < text.size() && text[position] == '.') {
    size_t digits = 0;
    for (++position; position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]));
         ++position, ++digits) {
      if (digits < 3) millis = millis * 10 + (text[position] - '0');
    }
    if (digits == 0) return false;
    for (; digits < 3; ++digits) millis *= 10;
  }
  int64_t offset_seconds = 0;
  std::string zone = text.substr(position);
  if (zone == "Z" || zone == "z") {
    offset_seconds = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':' &&
             std::isdigit(static_cast<unsigned char>(zone[1])) &&
             std::isdigit(static_cast<unsigned char>(zone[2])) &&
             std::isdigit(static_cast<unsigned char>(zone[4])) &&
             std::isdigit(static_cast<unsigned char>(zone[5]))) {
    int hours = (zone[1] - '0') * 10 + (zone[2] - '0');
    int minutes = (zone[4] - '0') * 10 + (zone[5] - '0');
    if (hours > 23 || minutes > 59) return false;
    offset_seconds = (zone[0] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
  } else {
    return false;
  }
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  std::tm normalized = parts;
  int64_t seconds = static_cast<int64_t>(timegm(&normalized)) - offset_seconds;
  // timegm rolls 31 February over into March: such a date does not exist.
  if (normalized.tm_mday != parts.tm_mday || normalized.tm_mon != parts.tm_mon) return false;
  ms = seconds * 1000 + millis;
  return true;
}

}  // namespace rampart
