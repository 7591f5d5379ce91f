// The Status -> exit status mapping of the command line (exit_code.h).
#include "mlpipe/core/exit_code.h"

#include <gtest/gtest.h>

namespace mlpipe::core {
namespace {

TEST(ExitCodeFor, CallerFixableIsTwoEnvironmentAndBugsAreThree) {
  EXPECT_EQ(ExitCodeFor(StatusCode::kOk), 0);
  for (StatusCode c :
       {StatusCode::kInvalidArgument, StatusCode::kNotFound, StatusCode::kAlreadyExists,
        StatusCode::kFailedPrecondition, StatusCode::kOutOfRange}) {
    EXPECT_EQ(ExitCodeFor(c), 2) << StatusCodeName(c);
  }
  for (StatusCode c : {StatusCode::kDataLoss, StatusCode::kIoError, StatusCode::kUnavailable,
                       StatusCode::kInternal}) {
    EXPECT_EQ(ExitCodeFor(c), 3) << StatusCodeName(c);
  }
}

TEST(ExitCodeFor, EveryCodeMapsToTwoOrThree) {
  // Walks the enum from its first error code to kInternal, its last, so that a
  // code added in between without a decision in ExitCodeFor still gets 2 or 3
  // (never 0 or 1, which a failure must not report).
  for (int c = static_cast<int>(StatusCode::kInvalidArgument);
       c <= static_cast<int>(StatusCode::kInternal); ++c) {
    const int e = ExitCodeFor(static_cast<StatusCode>(c));
    EXPECT_TRUE(e == 2 || e == 3) << StatusCodeName(static_cast<StatusCode>(c));
  }
}

}  // namespace
}  // namespace mlpipe::core
