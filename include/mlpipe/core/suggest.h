// "Did you mean" for names a user typed: subcommands, options, model
// families, metrics, spec keys and column names all share this one rule.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mlpipe::core {

// Levenshtein distance (insertions, deletions, substitutions; bytes).
size_t EditDistance(std::string_view a, std::string_view b);

// The entry of `valid` closest to `name`, when it is close enough to be a
// typo: a case-insensitive match first, else the smallest edit distance if it
// is at most max(2, |name| / 3). None when nothing is that close, or when
// `name` itself is in `valid`.
std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string>& valid);

// " (did you mean 'x'?)" for ClosestName, else "".
std::string DidYouMean(std::string_view name, const std::vector<std::string>& valid);

}  // namespace mlpipe::core
