// The stored names of the store's enums and their parsers. Each enum has one
// table; a name that is not in it is kInvalidArgument listing the valid ones.
#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {
namespace {

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

template <typename E, size_t N>
Result<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view what,
                std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  std::string msg = "unknown ";
  msg.append(what).append(" '").append(text).append("'; valid: ");
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) msg.append(", ");
    msg.append(table[i].second);
  }
  return InvalidArgumentError(std::move(msg));
}

constexpr std::array<std::pair<RunStatus, std::string_view>, 4> kRunStatuses = {{
    {RunStatus::kRunning, "RUNNING"},
    {RunStatus::kFinished, "FINISHED"},
    {RunStatus::kFailed, "FAILED"},
    {RunStatus::kKilled, "KILLED"},
}};

constexpr std::array<std::pair<DatasetRole, std::string_view>, 4> kDatasetRoles = {{
    {DatasetRole::kTrain, "train"},
    {DatasetRole::kValidation, "validation"},
    {DatasetRole::kTest, "test"},
    {DatasetRole::kOther, "other"},
}};

constexpr std::array<std::pair<ModelVersionStatus, std::string_view>, 4> kModelVersionStatuses = {{
    {ModelVersionStatus::kPending, "pending"},
    {ModelVersionStatus::kReady, "ready"},
    {ModelVersionStatus::kRejected, "rejected"},
    {ModelVersionStatus::kArchived, "archived"},
}};

}  // namespace

std::string_view RunStatusName(RunStatus s) { return NameOf(kRunStatuses, s); }
Result<RunStatus> ParseRunStatus(std::string_view s) {
  return Parse(kRunStatuses, "run status", s);
}

std::string_view DatasetRoleName(DatasetRole r) { return NameOf(kDatasetRoles, r); }
Result<DatasetRole> ParseDatasetRole(std::string_view s) {
  return Parse(kDatasetRoles, "dataset role", s);
}

std::string_view ModelVersionStatusName(ModelVersionStatus s) {
  return NameOf(kModelVersionStatuses, s);
}
Result<ModelVersionStatus> ParseModelVersionStatus(std::string_view s) {
  return Parse(kModelVersionStatuses, "model version status", s);
}

}  // namespace mlpipe::store
