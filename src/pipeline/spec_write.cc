// SpecToYaml: a spec written as block-style YAML with every default spelled
// out, which ParseSpec reads back to an equal spec. The feature pipeline is
// written as JSON, which is valid YAML flow style.
#include <charconv>
#include <regex>
#include <set>

#include "mlpipe/pipeline/spec.h"
#include "spec_reader.h"

namespace mlpipe::pipeline {
namespace {

// A plain scalar when that reads back as the same string, else double-quoted.
std::string Scalar(const std::string& s) {
  static const std::regex kPlain("[A-Za-z0-9_./][A-Za-z0-9_./-]*");
  static const std::set<std::string> kReserved = {"true", "false", "yes", "no", "on",
                                                  "off",  "null",  "y",   "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (std::regex_match(s, kPlain) && !kReserved.count(lower)) return s;
  return core::Json(s).dump();
}

std::string Number(double x) { return internal::FormatNumber(x); }

std::string Bool(bool b) { return b ? "true" : "false"; }

class Writer {
 public:
  Writer(const SpecComments* comments) : comments_(comments) {}

  void Line(int indent, const std::string& text) {
    out_.append(static_cast<size_t>(indent) * 2, ' ').append(text).append("\n");
  }

  // `key:` then one `- name` line per column (with its comment), or `key: []`.
  void Columns(int indent, const std::string& key, const std::vector<ColumnRef>& refs) {
    if (refs.empty()) {
      Line(indent, key + ": []");
      return;
    }
    Line(indent, key + ":");
    for (const auto& r : refs) Line(indent + 1, "- " + Scalar(r.name) + Comment(r.name));
  }

  std::string Comment(const std::string& column) {
    written_.insert(column);
    if (comments_ == nullptr) return "";
    auto it = comments_->find(column);
    return it == comments_->end() ? "" : "  # " + it->second;
  }

  // Comments on columns that have no role entry (features), as comment lines.
  void RemainingComments(int indent) {
    if (comments_ == nullptr) return;
    for (const auto& [column, text] : *comments_) {
      if (!written_.count(column)) Line(indent, "# " + column + " (a feature): " + text);
    }
  }

  std::string& out() { return out_; }

 private:
  const SpecComments* comments_;
  std::set<std::string> written_;
  std::string out_;
};

void WriteConstraint(Writer& w, const Constraint& c) {
  if (c.columns.empty()) {
    w.Line(2, "- " + Scalar(c.metric + " " + c.op + " " + Number(c.value)));
    return;
  }
  w.Line(2, "- metric: " + c.metric);
  w.Line(3, "op: " + Scalar(c.op));
  w.Line(3, "value: " + Number(c.value));
  std::string cols;
  for (const auto& r : c.columns) cols += (cols.empty() ? "" : ", ") + Scalar(r.name);
  w.Line(3, "columns: [" + cols + "]");
}

}  // namespace

std::string SpecToYaml(const ProjectSpec& s, const SpecComments* comments,
                       const std::string& header) {
  Writer w(comments);
  if (!header.empty()) {
    size_t start = 0;
    while (start <= header.size()) {
      size_t end = header.find('\n', start);
      if (end == std::string::npos) end = header.size();
      std::string line = header.substr(start, end - start);
      w.Line(0, line.empty() ? "#" : "# " + line);
      start = end + 1;
    }
    w.Line(0, "");
  }
  w.Line(0, "name: " + Scalar(s.name));
  if (!s.objective.empty()) w.Line(0, "objective: " + Scalar(s.objective));

  w.Line(0, "data:");
  w.Line(1, "sources:");
  for (const auto& src : s.sources) {
    w.Line(2, "- name: " + Scalar(src.name));
    w.Line(3, "path: " + Scalar(src.path));
    if (!src.format.empty()) w.Line(3, "format: " + src.format);
  }
  if (!s.derived.empty()) {
    w.Line(1, "derived:");
    for (const auto& d : s.derived) {
      w.Line(2, "- name: " + Scalar(d.name));
      w.Line(3, "from: " + Scalar(d.from.name));
      w.Line(3, "map:");
      for (const auto& [from, to] : d.map) w.Line(4, Scalar(from) + ": " + Scalar(to));
      if (!d.default_value.empty()) w.Line(3, "default: " + Scalar(d.default_value));
    }
  }

  w.Line(0, "target:");
  w.Line(1, "column: " + Scalar(s.target.column.name));
  if (!s.target.positive.empty()) w.Line(1, "positive: " + Scalar(s.target.positive));
  if (!s.target.task.empty()) w.Line(1, "task: " + s.target.task);

  w.Line(0, "columns:");
  w.Columns(1, "id", s.columns.id);
  w.Columns(1, "protected", s.columns.protected_columns);
  if (s.columns.pii.empty()) {
    w.Line(1, "pii: []");
  } else {
    w.Line(1, "pii:");
    for (const auto& p : s.columns.pii) {
      w.Line(2, "- column: " + Scalar(p.column.name) + w.Comment(p.column.name));
      w.Line(3, "handling: " + std::string(PiiHandlingName(p.handling)));
      if (!p.bands.empty()) {
        std::string b;
        for (double x : p.bands) b += (b.empty() ? "" : ", ") + Number(x);
        w.Line(3, "bands: [" + b + "]");
      }
      if (p.prefix > 0) w.Line(3, "prefix: " + std::to_string(p.prefix));
      if (p.handling == PiiHandling::kPseudonymise) w.Line(3, "key_env: " + Scalar(p.key_env));
    }
  }
  w.Columns(1, "ignore", s.columns.ignore);
  w.RemainingComments(1);

  w.Line(0, "kpis:");
  if (!s.kpis.primary.empty()) {
    w.Line(1, "primary:");
    w.Line(2, "metric: " + s.kpis.primary);
    if (!s.kpis.direction.empty()) w.Line(2, "direction: " + s.kpis.direction);
  }
  w.Line(1, s.kpis.constraints.empty() ? "constraints: []" : "constraints:");
  for (const auto& c : s.kpis.constraints) WriteConstraint(w, c);
  w.Line(1, s.kpis.fairness.empty() ? "fairness: []" : "fairness:");
  for (const auto& c : s.kpis.fairness) WriteConstraint(w, c);
  if (s.kpis.latency_budget_ms) {
    w.Line(1, "latency_budget_ms: " + Number(*s.kpis.latency_budget_ms));
  }

  w.Line(0, "interpretability:");
  w.Line(1, "required: " + Bool(s.interpretability_required));
  w.Line(0, "features: " + (s.features.is_null() ? std::string("auto") : s.features.dump()));

  w.Line(0, s.models.empty() ? "models: []" : "models:");
  for (const auto& m : s.models) {
    if (m.search.empty()) {
      w.Line(1, "- " + Scalar(m.family));
      continue;
    }
    w.Line(1, "- family: " + Scalar(m.family));
    w.Line(2, "search:");
    for (const auto& p : m.search) {
      std::string v;
      if (p.numeric) {
        v = Number(p.min) + ", " + Number(p.max);
      } else {
        for (const auto& c : p.choices) v += (v.empty() ? "" : ", ") + Scalar(c);
      }
      w.Line(3, Scalar(p.name) + ": [" + v + "]");
    }
  }

  w.Line(0, "search:");
  w.Line(1, "strategy: " + s.search.strategy);
  w.Line(1, "trials: " + std::to_string(s.search.trials));
  w.Line(1, "cv: " + std::to_string(s.search.cv));
  w.Line(0, "split:");
  w.Line(1, "test_size: " + Number(s.split.test_size));
  w.Line(1, "stratify: " + Bool(s.split.stratify));
  w.Line(0, "seed: " + std::to_string(s.seed));

  const Governance& g = s.governance;
  w.Line(0, "governance:");
  w.Line(1, "proxy:");
  w.Line(2, "threshold: " + Number(g.proxy.threshold));
  std::string methods;
  for (const auto& m : g.proxy.methods) methods += (methods.empty() ? "" : ", ") + m;
  w.Line(2, "methods: [" + methods + "]");
  w.Line(2, "refuse: " + Bool(g.proxy.refuse));
  w.Line(1, g.approvals.empty() ? "approvals: []" : "approvals:");
  for (const auto& a : g.approvals) {
    w.Line(2, "- role: " + Scalar(a.role));
    w.Line(3, "count: " + std::to_string(a.count));
  }
  w.Line(1, "gates:");
  w.Line(2, "kpis: " + Bool(g.gates.kpis));
  w.Line(2, "fairness: " + Bool(g.gates.fairness));
  w.Line(2, "latency: " + Bool(g.gates.latency));
  w.Line(2, "champion_margin: " + Number(g.gates.champion_margin));
  if (!s.register_model.empty()) {
    w.Line(0, "register:");
    w.Line(1, "model: " + Scalar(s.register_model));
  }
  return std::move(w.out());
}

}  // namespace mlpipe::pipeline
