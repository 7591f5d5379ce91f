// PII handling: drop, keyed pseudonyms (HMAC-SHA256 via OpenSSL) and
// generalisation into bands or coarser categories.
#include "mlpipe/governance/pii.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "mlpipe/stats/quantile.h"

namespace mlpipe::governance {
namespace {

using table::Column;
using table::DataType;

std::string BandLabel(const std::vector<double>& edges, size_t band) {
  if (band == 0) return fmt::format("(-inf, {})", edges[0]);
  if (band == edges.size()) return fmt::format("[{}, inf)", edges.back());
  return fmt::format("[{}, {})", edges[band - 1], edges[band]);
}

Result<Column> GeneraliseNumeric(const Column& c, const PiiRule& rule) {
  std::vector<double> edges = rule.edges;
  if (edges.empty()) {
    if (rule.quantile_bands < 2) {
      return InvalidArgumentError(
          fmt::format("pii rule for '{}': quantile_bands must be at least 2, got {}", c.name(),
                      rule.quantile_bands));
    }
    std::vector<double> present;
    for (size_t i = 0; i < c.size(); ++i) {
      if (c.IsValid(i)) present.push_back(c.NumericAt(i));
    }
    if (present.empty()) {
      return InvalidArgumentError(
          fmt::format("pii rule for '{}': no present values to compute quantile bands", c.name()));
    }
    std::sort(present.begin(), present.end());
    for (int k = 1; k < rule.quantile_bands; ++k) {
      edges.push_back(stats::QuantileSorted(present, static_cast<double>(k) / rule.quantile_bands));
    }
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  }
  for (size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
      return InvalidArgumentError(fmt::format(
          "pii rule for '{}': edges must be finite and strictly increasing (edge {} is {})",
          c.name(), i, edges[i]));
    }
  }
  std::vector<std::string> labels;
  for (size_t b = 0; b <= edges.size(); ++b) labels.push_back(BandLabel(edges, b));
  std::vector<int32_t> codes(c.size(), -1);
  for (size_t i = 0; i < c.size(); ++i) {
    if (!c.IsValid(i)) continue;
    codes[i] = static_cast<int32_t>(std::upper_bound(edges.begin(), edges.end(), c.NumericAt(i)) -
                                    edges.begin());
  }
  return Column::Categorical(c.name(), std::move(codes), std::move(labels), c.validity());
}

Column GeneraliseText(const Column& c, const PiiRule& rule) {
  std::map<std::string, int64_t> counts;
  if (rule.prefix_length <= 0) {
    for (size_t i = 0; i < c.size(); ++i) {
      if (c.IsValid(i)) ++counts[std::string(c.TextAt(i))];
    }
  }
  std::vector<std::string> out(c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    if (!c.IsValid(i)) continue;
    const std::string_view v = c.TextAt(i);
    if (rule.prefix_length > 0) {
      out[i] = std::string(v.substr(0, static_cast<size_t>(rule.prefix_length)));
    } else {
      out[i] = counts[std::string(v)] < rule.min_count ? "other" : std::string(v);
    }
  }
  return Column::CategoricalFromStrings(c.name(), out, c.validity());
}

}  // namespace

std::string_view PiiHandlingName(PiiHandling handling) {
  switch (handling) {
    case PiiHandling::kDrop:
      return "drop";
    case PiiHandling::kPseudonymise:
      return "pseudonymise";
    case PiiHandling::kGeneralise:
      return "generalise";
  }
  return "unknown";
}

Result<PiiHandling> ParsePiiHandling(std::string_view name) {
  if (name == "drop") return PiiHandling::kDrop;
  if (name == "pseudonymise" || name == "pseudonymize") return PiiHandling::kPseudonymise;
  if (name == "generalise" || name == "generalize") return PiiHandling::kGeneralise;
  return InvalidArgumentError(
      fmt::format("unknown PII handling '{}' (valid: drop, pseudonymise, generalise)", name));
}

std::string Pseudonym(std::string_view key, std::string_view value) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(value.data()), value.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(16);
  for (unsigned int i = 0; i < 8 && i < len; ++i) {
    out.push_back(kHex[mac[i] >> 4]);
    out.push_back(kHex[mac[i] & 15]);
  }
  return out;
}

Result<table::Table> ProtectPii(const table::Table& table, const std::vector<PiiRule>& rules,
                                std::string_view key) {
  std::map<std::string, const PiiRule*> by_column;
  for (const auto& r : rules) {
    MLPIPE_RETURN_IF_ERROR(table.GetColumn(r.column).status());
    if (!by_column.emplace(r.column, &r).second) {
      return InvalidArgumentError(
          fmt::format("pii rules: column '{}' has more than one rule", r.column));
    }
    if (r.handling == PiiHandling::kPseudonymise && key.empty()) {
      return InvalidArgumentError(fmt::format(
          "pii rule for '{}': pseudonymise needs a key (from the environment or a key file)",
          r.column));
    }
  }
  table::Table out;
  for (const Column& c : table.columns()) {
    auto it = by_column.find(c.name());
    if (it == by_column.end()) {
      MLPIPE_RETURN_IF_ERROR(out.AddColumn(c));
      continue;
    }
    const PiiRule& rule = *it->second;
    switch (rule.handling) {
      case PiiHandling::kDrop:
        break;
      case PiiHandling::kPseudonymise: {
        std::vector<std::string> values(c.size());
        for (size_t i = 0; i < c.size(); ++i) {
          if (c.IsValid(i)) values[i] = Pseudonym(key, c.ToStringAt(i));
        }
        MLPIPE_RETURN_IF_ERROR(
            out.AddColumn(Column::String(c.name(), std::move(values), c.validity())));
        break;
      }
      case PiiHandling::kGeneralise: {
        if (c.type() == DataType::kInt64 || c.type() == DataType::kFloat64) {
          MLPIPE_ASSIGN_OR_RETURN(Column g, GeneraliseNumeric(c, rule));
          MLPIPE_RETURN_IF_ERROR(out.AddColumn(std::move(g)));
        } else if (c.type() == DataType::kCategorical || c.type() == DataType::kString) {
          MLPIPE_RETURN_IF_ERROR(out.AddColumn(GeneraliseText(c, rule)));
        } else {
          return InvalidArgumentError(fmt::format(
              "pii rule for '{}': cannot generalise a {} column (drop or pseudonymise it)",
              c.name(), table::DataTypeName(c.type())));
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace mlpipe::governance
