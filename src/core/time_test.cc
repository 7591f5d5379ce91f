// ISO 8601 parsing and calendar arithmetic. Expected values come from Python's
// datetime (noted beside each) and, for the calendar over five millennia, from
// the C library's gmtime_r.
#include "mlpipe/core/time.h"

#include <gtest/gtest.h>

#include <ctime>

namespace mlpipe::core {
namespace {

TEST(CivilDays, AgreesWithGmtimeOverFiveMillennia) {
  // -1,000,000 days is year -768; +1,000,000 is year 4707.
  for (int64_t days = -1000000; days <= 1000000; days += 997) {
    const time_t t = static_cast<time_t>(days) * 86400;
    std::tm tm{};
    ASSERT_NE(gmtime_r(&t, &tm), nullptr);
    const CivilDate c = CivilFromDays(days);
    ASSERT_EQ(c.year, tm.tm_year + 1900LL) << days;
    ASSERT_EQ(c.month, tm.tm_mon + 1) << days;
    ASSERT_EQ(c.day, tm.tm_mday) << days;
    ASSERT_EQ(DaysFromCivil(c), days);
  }
}

TEST(CivilDays, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_FALSE(IsLeapYear(2023));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2023, 12), 31);
  EXPECT_EQ(DaysInMonth(2023, 4), 30);
}

TEST(ParseIsoTime, DatesAndDateTimes) {
  // datetime(2024, 2, 29, tzinfo=timezone.utc)
  EXPECT_EQ(ParseIsoTime("2024-02-29"), 1709164800000000);
  // datetime(2000, 2, 29, 23, 59, 59, 999999, tzinfo=timezone.utc)
  EXPECT_EQ(ParseIsoTime("2000-02-29T23:59:59.999999Z"), 951868799999999);
  EXPECT_EQ(ParseIsoTime("2000-02-29 23:59:59,999999"), 951868799999999);
  EXPECT_EQ(ParseIsoTime("2000-02-29t23:59:59.9999999z"), 951868799999999);  // 7th digit cut
  // datetime(1900, 3, 1, tzinfo=timezone.utc)
  EXPECT_EQ(ParseIsoTime("1900-03-01"), -2203891200000000);
  // datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc): seconds are optional
  EXPECT_EQ(ParseIsoTime("2026-11-26T10:00"), 1795687200000000);
  // 1969-12-31T23:59:59.5Z is half a second before the epoch.
  EXPECT_EQ(ParseIsoTime("1969-12-31T23:59:59.5Z"), -500000);
}

TEST(ParseIsoTime, Offsets) {
  // datetime(2024, 5, 1, 14, tzinfo=timezone(timedelta(hours=2)))
  const int64_t noon_utc = 1714564800000000;
  EXPECT_EQ(ParseIsoTime("2024-05-01T14:00:00+02:00"), noon_utc);
  EXPECT_EQ(ParseIsoTime("2024-05-01T14:00:00+0200"), noon_utc);
  EXPECT_EQ(ParseIsoTime("2024-05-01T14:00:00+02"), noon_utc);
  EXPECT_EQ(ParseIsoTime("2024-05-01T12:00:00-00:00"), noon_utc);
  // datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=timezone(timedelta(hours=-5, minutes=-30)))
  EXPECT_EQ(ParseIsoTime("2024-05-01T12:34:56.123456-0530"), 1714586696123456);
  // An offset that crosses midnight into the previous year.
  EXPECT_EQ(ParseIsoTime("2024-01-01T01:00:00+02:00"), *ParseIsoTime("2023-12-31T23:00:00Z"));
}

TEST(ParseIsoTime, RejectsOutOfRangeAndMalformed) {
  for (const char* bad : {"2023-02-29",
                          "1900-02-29",
                          "2024-13-01",
                          "2024-00-10",
                          "2024-04-31",
                          "2024-05-00",
                          "2024-05-01T24:00",
                          "2024-05-01T12:60",
                          "2024-05-01T12:00:61",
                          "2024-05-01T12:00+24:00",
                          "2024-05-01T12:00+02:60",
                          "2024-05-01T12:00+02:",
                          "2024-05-01T12:00:00.",
                          "2024-05-01T12",
                          "2024-5-1",
                          "24-05-01",
                          "",
                          "2024-05-01Z",
                          "2024-05-01T12:00:00 Z",
                          "2024-05-01T12:00:00+2",
                          "2024-05-01T12:00:00Zjunk",
                          "now"}) {
    EXPECT_FALSE(ParseIsoTime(bad).has_value()) << bad;
  }
  // A leap second reads as the next minute's first second (POSIX time).
  EXPECT_EQ(ParseIsoTime("2016-12-31T23:59:60Z"), *ParseIsoTime("2017-01-01T00:00:00Z"));
}

TEST(ParseTimeOrMicros, MicrosOrIsoOrError) {
  EXPECT_EQ(*ParseTimeOrMicros("1714566896000000"), 1714566896000000);
  EXPECT_EQ(*ParseTimeOrMicros("  2024-02-29 "), 1709164800000000);
  auto bad = ParseTimeOrMicros("yesterday");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("'yesterday'"), std::string::npos);
  EXPECT_FALSE(ParseTimeOrMicros("-5").ok());
  EXPECT_FALSE(ParseTimeOrMicros("99999999999999999999999").ok());  // overflows int64
}

TEST(FormatIsoTime, WholeSecondsUtcRoundTrip) {
  EXPECT_EQ(FormatIsoTime(0), "1970-01-01T00:00:00Z");
  // datetime.fromtimestamp(1714566896.9, timezone.utc): the fraction is cut.
  EXPECT_EQ(FormatIsoTime(1714566896900000), "2024-05-01T12:34:56Z");
  // datetime.fromtimestamp(-1.5, timezone.utc) is 23:59:58.5: cut toward the past.
  EXPECT_EQ(FormatIsoTime(-1500000), "1969-12-31T23:59:58Z");
  for (int64_t us : {951868799000000LL, -2203891200000000LL, 1795687200000000LL}) {
    EXPECT_EQ(ParseIsoTime(FormatIsoTime(us)), us) << us;
  }
}

}  // namespace
}  // namespace mlpipe::core
