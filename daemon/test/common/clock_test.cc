#include "common/clock.h"

#include <gtest/gtest.h>

namespace rampart {
namespace {

TEST(Timestamp, FormatsAndParsesRoundTrip) {
  TimestampMs ms = 0;
  ASSERT_TRUE(ParseTimestamp("2026-11-22T06:10:00.123Z", ms));
  EXPECT_EQ(FormatTimestamp(ms), "2026-11-22T06:10:00.123Z");
  ASSERT_TRUE(ParseTimestamp("2027-01-01T00:00:00Z", ms));
  EXPECT_EQ(FormatTimestamp(ms), "2027-01-01T00:00:00.000Z");
}

TEST(Timestamp, OffsetsAreConvertedToUtc) {
  TimestampMs ms = 0;
  ASSERT_TRUE(ParseTimestamp("2026-11-22T08:10:00+02:00", ms));
  EXPECT_EQ(FormatTimestamp(ms), "2026-11-22T06:10:00.000Z");
  ASSERT_TRUE(ParseTimestamp("2026-11-22T01:10:00.5-05:00", ms));
  EXPECT_EQ(FormatTimestamp(ms), "2026-11-22T06:10:00.500Z");
}

TEST(Timestamp, RejectsWhatIsNotRfc3339) {
  TimestampMs ms = 0;
  for (const char* text : {"", "tomorrow", "2026-11-22", "2026-11-22T06:10:00",
                           "2026-11-22 06:10:00Z", "+202-01-01T00:00:00Z", " 2026-11-22T06:10:00Z",
                           "2026-02-31T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z",
                           "2026-11-22T06:10:00.Z", "2026-11-22T06:10:00+2:00",
                           "2026-11-22T06:10:00Zjunk"}) {
    EXPECT_FALSE(ParseTimestamp(text, ms)) << text;
  }
}

}  // namespace
}  // namespace rampart
