// Calendar arithmetic and ISO 8601 times, the one implementation that the
// command line (--since, --at, printed times), the run query language
// (start_time / end_time literals) and the JSON of records share.
//
// Times are microseconds since the Unix epoch (1970-01-01T00:00:00Z) on the
// proleptic Gregorian calendar; leap seconds are not counted (a ":60" second
// reads as the first second of the next minute, as POSIX time does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/core/status.h"

namespace mlpipe::core {

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..DaysInMonth(year, month)
};

bool IsLeapYear(int64_t year);
// REQUIRES: 1 <= month <= 12.
int DaysInMonth(int64_t year, int month);
// Days since 1970-01-01 (negative before it); any year, no range check.
int64_t DaysFromCivil(const CivilDate& date);
// The inverse of DaysFromCivil.
CivilDate CivilFromDays(int64_t days);

// Parses an ISO 8601 date or date-time:
//   "2024-05-01"                              midnight UTC
//   "2024-05-01T12:34" / "...T12:34:56[.ffffff]"  ('t' or a space may stand for 'T';
//                                                   ',' for '.'; digits past 6 are cut)
// followed, for a date-time, by "Z", "+02:00", "-0530", "+02" or nothing (UTC).
// nullopt for anything else, including fields out of range (month 13,
// 2023-02-29, hour 24, minute 60, offset hour 24).
std::optional<int64_t> ParseIsoTime(std::string_view text);

// ParseIsoTime, or a whole number of microseconds since the epoch ("1714566896000000");
// blanks around the text are ignored. kInvalidArgument naming the text otherwise.
Result<int64_t> ParseTimeOrMicros(std::string_view text);

// "2024-05-01T12:34:56Z": UTC with whole seconds (a fraction is cut toward the past).
std::string FormatIsoTime(int64_t micros);

}  // namespace mlpipe::core
