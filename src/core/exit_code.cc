#include "mlpipe/core/exit_code.h"

namespace mlpipe::core {

int ExitCodeFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kOutOfRange:
      return kExitBadInput;
    case StatusCode::kDataLoss:
    case StatusCode::kIoError:
    case StatusCode::kUnavailable:
    case StatusCode::kInternal:
      return kExitInternal;
  }
  return kExitInternal;  // a code added without a decision here
}

}  // namespace mlpipe::core
