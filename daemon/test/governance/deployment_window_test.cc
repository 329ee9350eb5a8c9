// Deployment windows against the system's time zone database: local days and hours, daylight
// saving time, windows that wrap past midnight, and zones that cannot be found.
#include "governance/deployment_window.h"

#include <gtest/gtest.h>

namespace rampart::governance {
namespace {

TimestampMs At(const std::string& rfc3339) {
  TimestampMs ms = 0;
  EXPECT_TRUE(ParseTimestamp(rfc3339, ms)) << rfc3339;
  return ms;
}

// 0 = Monday .. 6 = Sunday.
BlockedWindow Window(std::vector<int> days, int start_hour, int end_hour, std::string zone) {
  return BlockedWindow{std::move(days), start_hour * 60, end_hour * 60, std::move(zone)};
}

bool Blocked(const BlockedWindow& window, const std::string& instant) {
  return BlockingWindow({window}, At(instant)).has_value();
}

TEST(DeploymentWindow, KnowsTheZonesOfTheSystemDatabase) {
  EXPECT_TRUE(IsKnownTimeZone("UTC"));
  EXPECT_TRUE(IsKnownTimeZone("Europe/Berlin"));
  EXPECT_TRUE(IsKnownTimeZone("America/New_York"));
  EXPECT_FALSE(IsKnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(IsKnownTimeZone(""));
}

TEST(DeploymentWindow, AWeekendInBerlinFollowsBerlinsClockNotUtcs) {
  BlockedWindow weekend = Window({5, 6}, 0, 24, "Europe/Berlin");
  // Friday 23:30 UTC is already Saturday 00:30 in Berlin (CET, UTC+1, in January).
  EXPECT_TRUE(Blocked(weekend, "2027-01-15T23:30:00Z"));
  EXPECT_FALSE(Blocked(weekend, "2027-01-15T22:30:00Z"));  // Friday 23:30 in Berlin
  // Sunday 23:30 UTC is Monday 00:30 in Berlin: open again.
  EXPECT_FALSE(Blocked(weekend, "2027-01-17T23:30:00Z"));
  EXPECT_TRUE(Blocked(weekend, "2027-01-17T22:30:00Z"));
  // In July Berlin is UTC+2 (CEST): the window moves with the clocks.
  EXPECT_TRUE(Blocked(weekend, "2027-07-16T22:30:00Z"));   // Saturday 00:30 CEST
  EXPECT_FALSE(Blocked(weekend, "2027-07-16T21:30:00Z"));  // Friday 23:30 CEST
}

TEST(DeploymentWindow, HoursOfADayInNewYorkAcrossDaylightSavingTime) {
  BlockedWindow close = Window({0, 1, 2, 3, 4}, 16, 18, "America/New_York");  // weekdays 16-18
  // 2027-03-12 (Friday) is before the switch (EST, UTC-5); 2027-03-15 (Monday) after (EDT, UTC-4).
  EXPECT_TRUE(Blocked(close, "2027-03-12T21:00:00Z"));   // 16:00 EST
  EXPECT_FALSE(Blocked(close, "2027-03-12T20:59:00Z"));  // 15:59 EST
  EXPECT_FALSE(Blocked(close, "2027-03-12T23:00:00Z"));  // 18:00 EST: the end is open
  EXPECT_TRUE(Blocked(close, "2027-03-15T20:00:00Z"));   // 16:00 EDT
  EXPECT_FALSE(Blocked(close, "2027-03-15T22:00:00Z"));  // 18:00 EDT
  EXPECT_FALSE(Blocked(close, "2027-03-13T21:00:00Z"));  // Saturday
}

TEST(DeploymentWindow, AWindowEndingBeforeItStartsWrapsIntoTheNextDay) {
  // Friday 22:00 to Saturday 06:00, UTC.
  BlockedWindow night = Window({4}, 22, 6, "UTC");
  EXPECT_TRUE(Blocked(night, "2027-01-15T22:00:00Z"));   // Friday 22:00
  EXPECT_TRUE(Blocked(night, "2027-01-16T05:59:00Z"));   // Saturday 05:59
  EXPECT_FALSE(Blocked(night, "2027-01-16T06:00:00Z"));  // Saturday 06:00
  EXPECT_FALSE(Blocked(night, "2027-01-15T05:00:00Z"));  // Friday morning: Thursday is not listed
  EXPECT_FALSE(Blocked(night, "2027-01-16T22:30:00Z"));  // Saturday night: not listed
}

TEST(DeploymentWindow, TheFirstBlockingWindowIsNamed) {
  std::vector<BlockedWindow> windows = {Window({0}, 9, 10, "UTC"), Window({5, 6}, 0, 24, "UTC")};
  EXPECT_EQ(BlockingWindow(windows, At("2027-01-16T12:00:00Z")), std::optional<size_t>(1));
  EXPECT_EQ(BlockingWindow(windows, At("2027-01-18T09:30:00Z")), std::optional<size_t>(0));
  EXPECT_EQ(BlockingWindow(windows, At("2027-01-19T09:30:00Z")), std::nullopt);
  EXPECT_EQ(BlockingWindow({}, At("2027-01-16T12:00:00Z")), std::nullopt);
  EXPECT_EQ(DescribeWindow(windows[1]), "sat, sun 00:00-24:00 UTC");
  EXPECT_EQ(DescribeWindow(Window({0, 1, 2, 3, 4, 5, 6}, 22, 6, "Europe/Berlin")),
            "every day 22:00-06:00 Europe/Berlin");
}

TEST(DeploymentWindow, AZoneThatCannotBeFoundBlocksRatherThanLettingEverythingThrough) {
  EXPECT_TRUE(Blocked(Window({0}, 9, 10, "Gone/Zone"), "2027-01-16T12:00:00Z"));
}

}  // namespace
}  // namespace rampart::governance
