#include "governance/deployment_window.h"

#include <algorithm>
#include <chrono>

#include <date/tz.h>

#include "model/governance_json.h"

namespace rampart::governance {
namespace {

const date::time_zone* FindZone(const std::string& zone) {
  try {
    return date::locate_zone(zone);
  } catch (const std::exception&) {
    return nullptr;  // unknown name, or no database: callers decide what that means
  }
}

bool OnDay(const BlockedWindow& window, int day) {
  return std::find(window.days.begin(), window.days.end(), day) != window.days.end();
}

}  // namespace

bool IsKnownTimeZone(const std::string& zone) { return FindZone(zone) != nullptr; }

std::optional<size_t> BlockingWindow(const std::vector<BlockedWindow>& windows, TimestampMs now) {
  using namespace std::chrono;
  const sys_time<milliseconds> instant{milliseconds(now)};
  for (size_t i = 0; i < windows.size(); ++i) {
    const BlockedWindow& window = windows[i];
    const date::time_zone* zone = FindZone(window.time_zone);
    if (zone == nullptr) return i;
    const auto local = zone->to_local(instant);
    const auto local_day = date::floor<date::days>(local);
    // 0 = Monday .. 6 = Sunday, as BlockedWindow counts them.
    const int day = static_cast<int>(date::weekday(local_day).iso_encoding()) - 1;
    const int minute = static_cast<int>(duration_cast<minutes>(local - local_day).count());
    bool blocked;
    if (window.start < window.end) {
      blocked = OnDay(window, day) && minute >= window.start && minute < window.end;
    } else {
      // Wraps past midnight: the evening of a listed day, or the morning after one.
      blocked = (OnDay(window, day) && minute >= window.start) ||
                (OnDay(window, (day + 6) % 7) && minute < window.end);
    }
    if (blocked) return i;
  }
  return std::nullopt;
}

std::string DescribeWindow(const BlockedWindow& window) {
  std::string days;
  for (int day : window.days) days += (days.empty() ? "" : ", ") + WeekdayNames()[day];
  if (window.days.size() == 7) days = "every day";
  return days + " " + FormatMinutes(window.start) + "-" + FormatMinutes(window.end) + " " +
         window.time_zone;
}

}  // namespace rampart::governance
