// Suggestions of PII columns from their names and their values.
#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "mlpipe/governance/pii.h"

namespace mlpipe::governance {
namespace {

struct NameRule {
  const char* token;  // matched against the lower-cased name split at _ - . and space
  const char* kind;
  PiiHandling suggested;
};

// Whole tokens of a column name, e.g. "customer_email" -> customer, email.
constexpr NameRule kNameRules[] = {
    {"email", "email", PiiHandling::kPseudonymise},
    {"mail", "email", PiiHandling::kPseudonymise},
    {"phone", "phone", PiiHandling::kDrop},
    {"telephone", "phone", PiiHandling::kDrop},
    {"mobile", "phone", PiiHandling::kDrop},
    {"name", "name", PiiHandling::kDrop},
    {"firstname", "name", PiiHandling::kDrop},
    {"lastname", "name", PiiHandling::kDrop},
    {"surname", "name", PiiHandling::kDrop},
    {"address", "address", PiiHandling::kDrop},
    {"street", "address", PiiHandling::kDrop},
    {"postcode", "postcode", PiiHandling::kGeneralise},
    {"zip", "postcode", PiiHandling::kGeneralise},
    {"zipcode", "postcode", PiiHandling::kGeneralise},
    {"ssn", "id", PiiHandling::kPseudonymise},
    {"passport", "id", PiiHandling::kPseudonymise},
    {"iban", "iban", PiiHandling::kPseudonymise},
    {"dob", "birth_date", PiiHandling::kGeneralise},
    {"birthdate", "birth_date", PiiHandling::kGeneralise},
    {"birth", "birth_date", PiiHandling::kGeneralise},
    {"ip", "ip_address", PiiHandling::kPseudonymise},
};

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> tokens;
  std::string cur;
  for (char ch : name) {
    if (ch == '_' || ch == '-' || ch == '.' || ch == ' ') {
      if (!cur.empty()) tokens.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
  }
  if (!cur.empty()) tokens.push_back(std::move(cur));
  // "e_mail" and "first_name" as one token too.
  const size_t n = tokens.size();
  for (size_t i = 0; i + 1 < n; ++i) tokens.push_back(tokens[i] + tokens[i + 1]);
  return tokens;
}

struct ValueRule {
  const char* kind;
  const char* pattern;
  const char* what;
  PiiHandling suggested;
};

const ValueRule kValueRules[] = {
    {"email", R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})", "e-mail addresses",
     PiiHandling::kPseudonymise},
    {"iban", R"([A-Z]{2}[0-9]{2} ?([A-Z0-9]{4} ?){2,7}[A-Z0-9]{1,4})", "IBANs",
     PiiHandling::kPseudonymise},
    {"phone", R"(\+?\(?[0-9][0-9 ()./-]{6,18}[0-9])", "phone numbers", PiiHandling::kDrop},
};

constexpr size_t kSampleValues = 1000;
constexpr double kMinShare = 0.8;

}  // namespace

std::vector<PiiCandidate> DetectPiiCandidates(const table::Table& table) {
  std::vector<PiiCandidate> out;
  for (const auto& c : table.columns()) {
    // A text column with at most two values is a flag ("own_telephone":
    // yes/none), not personal data, whatever its name says.
    if (c.type() == table::DataType::kString || c.type() == table::DataType::kCategorical) {
      std::set<std::string_view> distinct;
      for (size_t i = 0; i < c.size() && distinct.size() <= 2; ++i) {
        if (c.IsValid(i)) distinct.insert(c.TextAt(i));
      }
      if (distinct.size() <= 2) continue;
    }
    bool found = false;
    for (const auto& token : NameTokens(c.name())) {
      for (const auto& rule : kNameRules) {
        if (token == rule.token) {
          out.push_back(
              {c.name(), rule.kind, fmt::format("column name '{}'", c.name()), rule.suggested});
          found = true;
          break;
        }
      }
      if (found) break;
    }
    if (found) continue;
    if (c.type() != table::DataType::kString && c.type() != table::DataType::kCategorical) continue;
    std::vector<std::string_view> sample;
    for (size_t i = 0; i < c.size() && sample.size() < kSampleValues; ++i) {
      if (c.IsValid(i)) sample.push_back(c.TextAt(i));
    }
    if (sample.empty()) continue;
    for (const auto& rule : kValueRules) {
      const std::regex re(rule.pattern);
      size_t hits = 0;
      for (auto v : sample) {
        if (std::regex_match(v.begin(), v.end(), re)) ++hits;
      }
      const double share = static_cast<double>(hits) / static_cast<double>(sample.size());
      if (share >= kMinShare) {
        out.push_back({c.name(), rule.kind,
                       fmt::format("{:.0f}% of {} sampled values look like {}", share * 100,
                                   sample.size(), rule.what),
                       rule.suggested});
        break;
      }
    }
  }
  return out;
}

}  // namespace mlpipe::governance
