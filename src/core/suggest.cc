#include "mlpipe/core/suggest.h"

#include <algorithm>
#include <cctype>

namespace mlpipe::core {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& valid) {
  if (std::find(valid.begin(), valid.end(), name) != valid.end()) return std::nullopt;
  for (const auto& v : valid) {
    if (EqualsIgnoringCase(name, v)) return v;
  }
  const std::string* best = nullptr;
  size_t best_d = 0;
  for (const auto& v : valid) {
    size_t d = EditDistance(name, v);
    if (best == nullptr || d < best_d) best = &v, best_d = d;
  }
  if (best == nullptr || best_d > std::max<size_t>(2, name.size() / 3)) return std::nullopt;
  return *best;
}

std::string DidYouMean(std::string_view name, const std::vector<std::string>& valid) {
  std::optional<std::string> best = ClosestName(name, valid);
  return best ? " (did you mean '" + *best + "'?)" : "";
}

}  // namespace mlpipe::core
