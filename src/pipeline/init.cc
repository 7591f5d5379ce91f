// `mlpipe init`: the guessed roles of each column and the spec written from
// them with the defaults of docs/spec.md.
#include "mlpipe/pipeline/init.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <regex>
#include <set>

#include "mlpipe/eval/cv.h"
#include "mlpipe/eval/metric_table.h"
#include "mlpipe/profile/profile.h"
#include "mlpipe/table/read.h"

namespace mlpipe::pipeline {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The words of a column name: "DateOfBirth" / "date_of_birth" -> date, of, birth.
std::vector<std::string> Words(const std::string& name) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper_start = std::isupper(static_cast<unsigned char>(c)) && i > 0 &&
                       std::islower(static_cast<unsigned char>(name[i - 1]));
    if (!std::isalnum(static_cast<unsigned char>(c)) || upper_start) {
      if (!cur.empty()) out.push_back(Lower(cur));
      cur.clear();
      if (!std::isalnum(static_cast<unsigned char>(c))) continue;
    }
    cur += c;
  }
  if (!cur.empty()) out.push_back(Lower(cur));
  return out;
}

bool HasWord(const std::vector<std::string>& words, std::initializer_list<const char*> any) {
  for (const auto& w : words) {
    for (const char* a : any) {
      if (w == a) return true;
    }
  }
  return false;
}

// Share of the first 1000 present text values matching `re`.
double ShareMatching(const table::Column& col, const std::regex& re) {
  if (col.type() != table::DataType::kString && col.type() != table::DataType::kCategorical) {
    return 0;
  }
  size_t seen = 0, hits = 0;
  for (size_t i = 0; i < col.size() && seen < 1000; ++i) {
    if (!col.IsValid(i)) continue;
    ++seen;
    std::string v(col.TextAt(i));
    if (std::regex_match(v, re)) ++hits;
  }
  return seen == 0 ? 0 : static_cast<double>(hits) / static_cast<double>(seen);
}

// Words that name a protected attribute, and the attribute each stands for.
struct AttributeWord {
  const char* word;
  const char* attribute;
};

constexpr AttributeWord kAttributeWords[] = {
    {"sex", "sex"},
    {"gender", "gender"},
    {"age", "age"},
    {"race", "race"},
    {"ethnicity", "ethnicity"},
    {"ethnic", "ethnicity"},
    {"religion", "religion"},
    {"religious", "religion"},
    {"marital", "marital status"},
    {"nationality", "nationality"},
    {"citizenship", "citizenship"},
    {"disability", "disability"},
    {"disabled", "disability"},
    {"pregnant", "pregnancy"},
    {"pregnancy", "pregnancy"},
    {"orientation", "sexual orientation"},
};

// Words that name one group of a protected attribute: a yes/no column named
// with one (`female`, `is_male`, `SeniorCitizen`, `race_white`) says who
// belongs to that group, and so carries the attribute itself. Earlier rows
// win: `senior_citizen` is about age, not citizenship.
constexpr AttributeWord kGroupWords[] = {
    {"female", "sex"},
    {"male", "sex"},
    {"woman", "sex"},
    {"women", "sex"},
    {"senior", "age"},
    {"elderly", "age"},
    {"pensioner", "age"},
    {"young", "age"},
    {"youth", "age"},
    {"juvenile", "age"},
    {"white", "race"},
    {"black", "race"},
    {"asian", "race"},
    {"caucasian", "race"},
    {"african", "race"},
    {"hispanic", "ethnicity"},
    {"latino", "ethnicity"},
    {"latina", "ethnicity"},
    {"indigenous", "ethnicity"},
    {"aboriginal", "ethnicity"},
    {"foreigner", "nationality"},
    {"foreign", "nationality"},
    {"immigrant", "nationality"},
    {"migrant", "nationality"},
    {"citizen", "citizenship"},
    {"noncitizen", "citizenship"},
    {"married", "marital status"},
    {"unmarried", "marital status"},
    {"divorced", "marital status"},
    {"widowed", "marital status"},
    {"widow", "marital status"},
    {"christian", "religion"},
    {"catholic", "religion"},
    {"protestant", "religion"},
    {"muslim", "religion"},
    {"jewish", "religion"},
    {"hindu", "religion"},
    {"buddhist", "religion"},
    {"atheist", "religion"},
    {"handicapped", "disability"},
    {"gay", "sexual orientation"},
    {"lesbian", "sexual orientation"},
    {"bisexual", "sexual orientation"},
    {"homosexual", "sexual orientation"},
    {"heterosexual", "sexual orientation"},
    {"lgbt", "sexual orientation"},
    {"lgbtq", "sexual orientation"},
};

// Whether a column's values can be human ages in years: text (age bands
// such as "25-40" are kept), or numbers that are all whole or half years
// within 0-120. Days of concrete curing (1-365) or an age in months are not.
bool LooksLikeHumanAges(const table::Column& col) {
  if (!table::IsNumeric(col.type()) || col.type() == table::DataType::kBool) return true;
  for (size_t i = 0; i < col.size(); ++i) {
    if (!col.IsValid(i)) continue;
    const double v = col.NumericAt(i);
    if (std::isnan(v)) continue;
    if (v < 0 || v > 120 || 2 * v != std::trunc(2 * v)) return false;
  }
  return true;
}

// Whether a text column holds answers: 2-3 distinct short tokens, each a
// yes/no/unknown answer (y, n, ?, yes, no, true, false, abstain, ...), as a
// vote on "religious-groups-in-schools" does.
bool IsAnswer(const table::Column& col, size_t distinct) {
  if (col.type() != table::DataType::kString && col.type() != table::DataType::kCategorical) {
    return false;
  }
  if (distinct < 2 || distinct > 3) return false;
  static const std::set<std::string> kAnswers = {"y",       "n",  "yes", "no",     "true",
                                                 "false",   "t",  "f",   "?",      "u",
                                                 "unknown", "na", "n/a", "abstain"};
  for (size_t i = 0; i < col.size(); ++i) {
    if (col.IsValid(i) && !kAnswers.count(Lower(std::string(col.TextAt(i))))) return false;
  }
  return true;
}

// The attribute a column's name names (`ApplicantAge` -> age); nullptr when
// none. Names and values together: a numeric `age` whose values are not
// human ages is something else's age, and a yes/no answer to a phrase that
// mentions an attribute (a vote on `religious-groups-in-schools`) is an
// opinion, not the attribute (a name of at most two words, `is_religious`,
// still is).
const char* NamedAttribute(const table::Column& col, const std::string& lower,
                           const std::vector<std::string>& words, size_t distinct) {
  if (lower == "personal_status") return "sex and marital status";
  if (lower == "foreign_worker") return "nationality";
  for (const AttributeWord& a : kAttributeWords) {
    if (!HasWord(words, {a.word})) continue;
    if (std::string_view(a.attribute) == "age" && !LooksLikeHumanAges(col)) continue;
    if (words.size() > 2 && IsAnswer(col, distinct)) continue;
    return a.attribute;
  }
  return nullptr;
}

// Whether every present value is one side of a yes/no pair: a bool column,
// numbers 0 and 1, or text yes/no, y/n, true/false, t/f, 0/1 in any case.
bool IsYesNo(const table::Column& col, size_t distinct) {
  if (distinct == 0 || distinct > 2) return false;
  if (col.type() == table::DataType::kBool) return true;
  const bool numeric =
      col.type() == table::DataType::kInt64 || col.type() == table::DataType::kFloat64;
  static const std::set<std::string> kPairs[] = {
      {"yes", "no"}, {"y", "n"}, {"true", "false"}, {"t", "f"}, {"0", "1"}};
  std::vector<const std::set<std::string>*> fits;
  for (const auto& p : kPairs) fits.push_back(&p);
  for (size_t i = 0; i < col.size(); ++i) {
    if (!col.IsValid(i)) continue;
    if (numeric) {
      const double v = col.NumericAt(i);
      if (v != 0.0 && v != 1.0) return false;
      continue;
    }
    const std::string v = Lower(std::string(col.TextAt(i)));
    std::erase_if(fits, [&v](const std::set<std::string>* p) { return !p->count(v); });
    if (fits.empty()) return false;
  }
  return true;
}

struct Group {
  std::string word;       // the group, as the name has it ("female")
  const char* attribute;  // the attribute it is a group of ("sex")
};

// The group a yes/no column named after one group of a protected attribute
// stands for. A column with more values (`female_count`) counts something
// and is no indicator.
std::optional<Group> GroupIndicator(const table::Column& col, const std::vector<std::string>& words,
                                    size_t distinct) {
  for (const AttributeWord& g : kGroupWords) {
    if (!HasWord(words, {g.word})) continue;
    if (!IsYesNo(col, distinct)) return std::nullopt;
    return Group{g.word, g.attribute};
  }
  return std::nullopt;
}

std::optional<RoleGuess> Guess(const table::Column& col, size_t distinct, size_t rows) {
  const std::string& name = col.name();
  std::vector<std::string> w = Words(name);
  std::string lower = Lower(name);
  bool text = col.type() == table::DataType::kString || col.type() == table::DataType::kCategorical;
  bool unique = rows > 1 && distinct == rows;

  // Personal data by value.
  static const std::regex kEmail(R"([^@\s]+@[^@\s]+\.[A-Za-z]{2,})");
  static const std::regex kPhone(R"(\+?[0-9][0-9 ()./-]{6,}[0-9])");
  if (ShareMatching(col, kEmail) >= 0.8) {
    return RoleGuess{name, "pii", "check: values look like e-mail addresses (personal data)", ""};
  }
  if (ShareMatching(col, kPhone) >= 0.8) {
    return RoleGuess{name, "pii", "check: values look like phone numbers (personal data)", ""};
  }
  // Personal data by name. Direct identifiers only when they vary enough to
  // identify someone (a yes/no `own_telephone` column is not a phone number).
  bool varied = distinct > std::max<size_t>(20, rows / 10);
  if (HasWord(w, {"birth", "dob", "birthdate", "birthday"}) ||
      (varied && HasWord(w, {"name", "firstname", "lastname", "surname", "email", "mail", "phone",
                             "telephone", "mobile", "address", "street", "ssn", "passport"}))) {
    return RoleGuess{name, "pii", "check: the name looks like personal data", ""};
  }
  // A postal code is a location, not a person: it stays a feature (often a
  // useful one), noted as a quasi-identifier that can be coarsened.
  if (HasWord(w, {"zip", "zipcode", "postcode", "postal"})) {
    return RoleGuess{name, "feature",
                     "check: a postal code (a location, kept as a feature; a quasi-identifier: "
                     "list it under columns.pii with generalise to coarsen it)",
                     ""};
  }
  // Identifiers.
  bool id_name = HasWord(w, {"id", "uuid", "guid", "key"}) || lower == "id";
  if (unique && (id_name || text)) {
    return RoleGuess{name, "id", "check: unique per row, looks like an identifier", ""};
  }
  // Protected attributes: a column that is one group of an attribute (a 0/1
  // `female`), then a column that names the attribute (`sex`).
  if (auto group = GroupIndicator(col, w, distinct)) {
    return RoleGuess{name, "protected",
                     "check: indicates one group of a protected attribute: " +
                         std::string(group->attribute) + " (" + group->word + ")",
                     group->attribute};
  }
  if (const char* attribute = NamedAttribute(col, lower, w, distinct)) {
    return RoleGuess{name, "protected",
                     "check: looks like a protected attribute (" + std::string(attribute) + ")",
                     attribute};
  }
  if (distinct <= 1) return RoleGuess{name, "ignore", "check: constant (one value)", ""};
  return std::nullopt;
}

// A name that the spec accepts: letters, digits, '.', '_', '-'.
std::string SafeName(std::string s, const std::string& fallback) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '-';
  }
  if (s.empty() || !std::isalnum(static_cast<unsigned char>(s[0]))) s = fallback;
  return s;
}

std::string Stem(const std::string& path) {
  std::string stem = core::BaseName(path);
  if (auto dot = stem.rfind('.'); dot != std::string::npos && dot > 0) stem.resize(dot);
  return stem;
}

// `data` as a path relative to `dir` (absolute when there is none).
std::string RelativeTo(const std::string& data, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path d = fs::absolute(data, ec).lexically_normal();
  if (ec) return data;
  fs::path base = fs::absolute(dir, ec).lexically_normal();
  if (ec) return d.string();
  fs::path rel = d.lexically_relative(base);
  return rel.empty() ? d.string() : rel.string();
}

}  // namespace

Result<std::vector<RoleGuess>> GuessRoles(const table::Table& data, const std::string& target) {
  profile::ProfileOptions options;  // distinct counts only matter here; no target needed
  MLPIPE_ASSIGN_OR_RETURN(profile::TableProfile prof, profile::ProfileTable(data, options));
  std::vector<RoleGuess> out;
  for (size_t i = 0; i < data.num_columns(); ++i) {
    const table::Column& col = data.column(i);
    if (col.name() == target) continue;
    if (auto g = Guess(col, prof.columns[i].distinct, data.num_rows())) out.push_back(*g);
  }
  return out;
}

Result<ProjectSpec> InferSpec(const table::Table& data, const InitOptions& options,
                              std::vector<RoleGuess>* guesses) {
  MLPIPE_ASSIGN_OR_RETURN(const table::Column* target_col, data.GetColumn(options.target));
  MLPIPE_ASSIGN_OR_RETURN(eval::Target target,
                          eval::EncodeTarget(*target_col, options.positive, options.task));
  MLPIPE_ASSIGN_OR_RETURN(*guesses, GuessRoles(data, options.target));

  ProjectSpec s;
  std::string dir_name = std::filesystem::absolute(options.dir).lexically_normal().filename();
  if (dir_name.empty()) dir_name = core::BaseName(options.dir);
  s.name = SafeName(dir_name, "project");
  s.register_model = s.name;
  std::string task(models::TaskName(target.task));
  bool binary = target.task == models::Task::kBinary;
  s.objective = "Predict '" + options.target + "'" +
                (binary ? " (positive class '" + target.classes[1] + "')" : std::string()) +
                ". Describe the business goal here.";
  DataSource src;
  src.name = SafeName(Stem(options.data), "data");
  src.path = RelativeTo(options.data, options.dir);
  s.sources.push_back(src);
  s.target.column.name = options.target;
  if (binary) s.target.positive = target.classes[1];
  s.target.task = task;

  for (const auto& g : *guesses) {
    ColumnRef ref{g.column, {}};
    if (g.role == "id") s.columns.id.push_back(ref);
    if (g.role == "protected") s.columns.protected_columns.push_back(ref);
    if (g.role == "ignore") s.columns.ignore.push_back(ref);
    if (g.role == "pii") {
      PiiColumn p;
      p.column = ref;
      s.columns.pii.push_back(p);
    }
  }

  s.kpis.primary = eval::DefaultMetric(target.task);
  MLPIPE_ASSIGN_OR_RETURN(const eval::MetricDef* def, eval::FindMetric(s.kpis.primary));
  s.kpis.direction = def->higher_is_better ? "maximize" : "minimize";
  if (binary && !s.columns.protected_columns.empty()) {
    Constraint c;
    c.metric = "demographic_parity_ratio";
    c.op = ">=";
    c.value = 0.8;
    s.kpis.fairness.push_back(c);
  }
  std::vector<std::string> families = {"logreg", "gbdt", "rf"};
  if (target.task == models::Task::kRegression) families[0] = "ridge";
  for (const auto& f : families) {
    ModelSpec m;
    m.family = f;
    s.models.push_back(m);
  }
  s.split.stratify = target.task != models::Task::kRegression;
  return s;
}

Result<InitResult> InitProject(core::Env* env, const InitOptions& options) {
  if (options.dir.empty()) return InvalidArgumentError("init: the project folder is empty");
  InitResult r;
  r.spec_path = core::JoinPath(options.dir, "mlpipe.yaml");
  if (env->FileExists(r.spec_path) && !options.force) {
    return AlreadyExistsError(r.spec_path + " exists; use --force to overwrite it");
  }
  MLPIPE_ASSIGN_OR_RETURN(table::Table data, table::ReadTableFile(env, options.data));
  MLPIPE_ASSIGN_OR_RETURN(r.spec, InferSpec(data, options, &r.guesses));

  SpecComments comments;
  for (const auto& g : r.guesses) comments[g.column] = g.reason;
  std::string header = "The mlpipe project spec (docs/spec.md), written by `mlpipe init` from " +
                       core::BaseName(options.data) + " (" + std::to_string(data.num_rows()) +
                       " rows, " + std::to_string(data.num_columns()) +
                       " columns).\nRoles marked 'check:' were guessed from column names and "
                       "values: confirm them,\nmove them, or delete the line. Every column "
                       "without a role is a feature.";
  r.yaml = SpecToYaml(r.spec, &comments, header);

  // What we write must load: a failure here is a bug of the writer.
  std::vector<SpecError> errors;
  ProjectSpec back = ParseSpec(r.yaml, r.spec_path, &errors);
  if (!errors.empty()) {
    return InternalError("init wrote a spec that does not load:\n" +
                         FormatSpecErrors(r.spec_path, errors));
  }
  if (Status st = ValidateSpecAgainstData(back, data); !st.ok()) {
    return InternalError("init wrote a spec that does not fit its data:\n" + st.message());
  }
  r.spec = std::move(back);
  MLPIPE_RETURN_IF_ERROR(env->CreateDirs(options.dir));
  MLPIPE_RETURN_IF_ERROR(env->WriteFileAtomic(r.spec_path, r.yaml));
  return r;
}

}  // namespace mlpipe::pipeline
