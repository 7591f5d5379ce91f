// Parsing `mlpipe.yaml` into ProjectSpec: one function per section, each
// recording every problem it meets with the position of the node at fault.
// Checks that span sections (roles, metrics, families) are in spec_check.cc.
#include <algorithm>
#include <regex>

#include <yaml-cpp/yaml.h>

#include "mlpipe/pipeline/spec.h"
#include "spec_check.h"
#include "spec_reader.h"

namespace mlpipe::pipeline {
namespace {

using internal::SpecReader;

class Parser {
 public:
  explicit Parser(std::vector<SpecError>* errors) : r_(errors) {}

  void Root(const YAML::Node& root, ProjectSpec* spec) {
    r_.ForEachKey(
        root, "spec",
        {"name", "objective", "data", "target", "columns", "kpis", "interpretability", "features",
         "models", "search", "split", "seed", "governance", "register"},
        [&](const std::string& k, const YAML::Node& v) {
          if (k == "name") {
            r_.String(v, "name", &spec->name);
            spec->name_mark = SpecReader::MarkOf(v);
          } else if (k == "objective") {
            r_.String(v, "objective", &spec->objective);
          } else if (k == "data") {
            Data(v, spec);
          } else if (k == "target") {
            Target(v, &spec->target);
          } else if (k == "columns") {
            Columns(v, &spec->columns);
          } else if (k == "kpis") {
            KpiSection(v, &spec->kpis);
          } else if (k == "interpretability") {
            r_.ForEachKey(
                v, "interpretability", {"required"}, [&](const std::string&, const YAML::Node& x) {
                  r_.Bool(x, "interpretability.required", &spec->interpretability_required);
                });
          } else if (k == "features") {
            Features(v, spec);
          } else if (k == "models") {
            Models(v, &spec->models);
          } else if (k == "search") {
            Search(v, &spec->search);
          } else if (k == "split") {
            Split(v, &spec->split);
          } else if (k == "seed") {
            int64_t seed = 0;
            if (r_.Int(v, "seed", &seed)) {
              if (seed < 0) r_.Error(v, "seed: must be >= 0");
              spec->seed = static_cast<uint64_t>(seed);
            }
          } else if (k == "governance") {
            GovernanceSection(v, &spec->governance);
          } else if (k == "register") {
            r_.ForEachKey(v, "register", {"model"}, [&](const std::string&, const YAML::Node& x) {
              r_.String(x, "register.model", &spec->register_model);
              spec->register_mark = SpecReader::MarkOf(x);
            });
          }
        });
    for (const char* key : {"name", "data", "target"}) r_.Require(root, "spec", key);
  }

 private:
  void Data(const YAML::Node& n, ProjectSpec* spec) {
    r_.ForEachKey(n, "data", {"sources", "derived"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "sources") {
                      if (!r_.Sequence(v, "data.sources")) return;
                      for (const auto& item : v) spec->sources.push_back(Source(item));
                    } else if (!r_.Sequence(v, "data.derived")) {
                      return;
                    } else {
                      for (const auto& item : v) spec->derived.push_back(Derived(item));
                    }
                  });
    r_.Require(n, "data", "sources");
    if (n.IsMap() && n["sources"] && n["sources"].IsSequence() && n["sources"].size() == 0) {
      r_.Error(n["sources"], "data.sources: at least one data source is needed");
    }
  }

  DataSource Source(const YAML::Node& n) {
    DataSource s;
    s.mark = SpecReader::MarkOf(n);
    r_.ForEachKey(n, "data.sources[]", {"name", "path", "format"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "name") {
                      r_.String(v, "data.sources[].name", &s.name);
                    } else if (k == "path") {
                      r_.String(v, "data.sources[].path", &s.path);
                      s.path_mark = SpecReader::MarkOf(v);
                    } else if (r_.String(v, "data.sources[].format", &s.format) &&
                               s.format != "csv" && s.format != "arff" && s.format != "jsonl") {
                      r_.Error(v, "data.sources[].format: unknown format '" + s.format +
                                      "'; valid formats: csv, arff, jsonl");
                    }
                  });
    r_.Require(n, "data.sources[]", "path");
    if (s.name.empty()) s.name = "data";
    return s;
  }

  DerivedColumn Derived(const YAML::Node& n) {
    DerivedColumn d;
    d.mark = SpecReader::MarkOf(n);
    r_.ForEachKey(n, "data.derived[]", {"name", "from", "map", "default"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "name") {
                      r_.String(v, "data.derived[].name", &d.name);
                    } else if (k == "from") {
                      if (r_.String(v, "data.derived[].from", &d.from.name)) {
                        d.from.mark = SpecReader::MarkOf(v);
                      }
                    } else if (k == "default") {
                      r_.String(v, "data.derived[].default", &d.default_value);
                    } else if (!v.IsMap() || v.size() == 0) {
                      r_.Error(v, "data.derived[].map: expected a map of value: new value");
                    } else {
                      for (auto it = v.begin(); it != v.end(); ++it) {
                        std::string from, to;
                        if (r_.String(it->first, "data.derived[].map key", &from) &&
                            r_.String(it->second, "data.derived[].map value", &to)) {
                          d.map[from] = to;
                        }
                      }
                    }
                  });
    for (const char* key : {"name", "from", "map"}) r_.Require(n, "data.derived[]", key);
    return d;
  }

  void Target(const YAML::Node& n, TargetSpec* t) {
    // `target: COLUMN` is short for `target: {column: COLUMN}`.
    if (n.IsScalar()) {
      t->column = {n.Scalar(), SpecReader::MarkOf(n)};
      return;
    }
    r_.ForEachKey(
        n, "target", {"column", "positive", "task"},
        [&](const std::string& k, const YAML::Node& v) {
          if (k == "column") {
            if (r_.String(v, "target.column", &t->column.name)) {
              t->column.mark = SpecReader::MarkOf(v);
            }
          } else if (k == "positive") {
            if (r_.String(v, "target.positive", &t->positive)) {
              t->positive_mark = SpecReader::MarkOf(v);
            }
          } else if (r_.String(v, "target.task", &t->task)) {
            t->task_mark = SpecReader::MarkOf(v);
            if (t->task != "binary" && t->task != "multiclass" && t->task != "regression") {
              r_.Error(v, "target.task: unknown task '" + t->task +
                              "'; valid tasks: binary, multiclass, regression");
            }
          }
        });
    r_.Require(n, "target", "column");
  }

  void Columns(const YAML::Node& n, ColumnRoles* c) {
    r_.ForEachKey(n, "columns", {"id", "protected", "pii", "ignore"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "id") {
                      r_.ColumnList(v, "columns.id", &c->id);
                    } else if (k == "protected") {
                      r_.ColumnList(v, "columns.protected", &c->protected_columns);
                    } else if (k == "ignore") {
                      r_.ColumnList(v, "columns.ignore", &c->ignore);
                    } else if (r_.Sequence(v, "columns.pii")) {
                      for (const auto& item : v) Pii(item, &c->pii);
                    }
                  });
  }

  void Pii(const YAML::Node& n, std::vector<PiiColumn>* out) {
    PiiColumn p;
    if (n.IsScalar()) {  // a bare column name: dropped
      p.column = {n.Scalar(), SpecReader::MarkOf(n)};
      out->push_back(p);
      return;
    }
    Mark handling_mark = SpecReader::MarkOf(n);
    r_.ForEachKey(n, "columns.pii[]", {"column", "handling", "bands", "prefix", "key_env"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "column") {
                      if (r_.String(v, "columns.pii[].column", &p.column.name)) {
                        p.column.mark = SpecReader::MarkOf(v);
                      }
                    } else if (k == "handling") {
                      std::string h;
                      if (!r_.String(v, "columns.pii[].handling", &h)) return;
                      handling_mark = SpecReader::MarkOf(v);
                      if (h == "drop") {
                        p.handling = PiiHandling::kDrop;
                      } else if (h == "pseudonymise" || h == "pseudonymize") {
                        p.handling = PiiHandling::kPseudonymise;
                      } else if (h == "generalise" || h == "generalize") {
                        p.handling = PiiHandling::kGeneralise;
                      } else {
                        r_.Error(v, "columns.pii[].handling: unknown handling '" + h +
                                        "'; valid: drop, pseudonymise, generalise");
                      }
                    } else if (k == "bands") {
                      if (!r_.Sequence(v, "columns.pii[].bands")) return;
                      for (const auto& e : v) {
                        double x = 0;
                        if (r_.Double(e, "columns.pii[].bands", &x)) {
                          if (!p.bands.empty() && x <= p.bands.back()) {
                            r_.Error(e, "columns.pii[].bands: band edges must be ascending");
                          }
                          p.bands.push_back(x);
                        }
                      }
                    } else if (k == "prefix") {
                      int64_t x = 0;
                      if (r_.Int(v, "columns.pii[].prefix", &x)) {
                        if (x < 1) r_.Error(v, "columns.pii[].prefix: must be >= 1");
                        p.prefix = static_cast<int>(x);
                      }
                    } else {
                      r_.String(v, "columns.pii[].key_env", &p.key_env);
                    }
                  });
    if (!n.IsMap()) return;
    r_.Require(n, "columns.pii[]", "column");
    if (p.handling != PiiHandling::kGeneralise && (!p.bands.empty() || p.prefix > 0)) {
      r_.Error(handling_mark,
               "columns.pii[]: 'bands' and 'prefix' apply to handling generalise only");
    }
    if (!p.bands.empty() && p.prefix > 0) {
      r_.Error(n,
               "columns.pii[]: give 'bands' (numeric column) or 'prefix' (text column), "
               "not both");
    }
    out->push_back(p);
  }

  void KpiSection(const YAML::Node& n, Kpis* k) {
    r_.ForEachKey(n, "kpis", {"primary", "constraints", "fairness", "latency_budget_ms"},
                  [&](const std::string& key, const YAML::Node& v) {
                    if (key == "primary") {
                      Primary(v, k);
                    } else if (key == "constraints") {
                      if (!r_.Sequence(v, "kpis.constraints")) return;
                      for (const auto& item : v) {
                        if (auto c = ConstraintOf(item, "kpis.constraints[]", false)) {
                          k->constraints.push_back(*c);
                        }
                      }
                    } else if (key == "fairness") {
                      if (!r_.Sequence(v, "kpis.fairness")) return;
                      for (const auto& item : v) {
                        if (auto c = ConstraintOf(item, "kpis.fairness[]", true)) {
                          k->fairness.push_back(*c);
                        }
                      }
                    } else {
                      double ms = 0;
                      if (!r_.Double(v, "kpis.latency_budget_ms", &ms)) return;
                      if (ms <= 0) r_.Error(v, "kpis.latency_budget_ms: must be > 0");
                      k->latency_budget_ms = ms;
                    }
                  });
  }

  void Primary(const YAML::Node& n, Kpis* k) {
    if (n.IsScalar()) {  // `primary: roc_auc`
      k->primary = n.Scalar();
      k->primary_mark = SpecReader::MarkOf(n);
      return;
    }
    r_.ForEachKey(n, "kpis.primary", {"metric", "direction"},
                  [&](const std::string& key, const YAML::Node& v) {
                    if (key == "metric") {
                      if (r_.String(v, "kpis.primary.metric", &k->primary)) {
                        k->primary_mark = SpecReader::MarkOf(v);
                      }
                    } else if (r_.String(v, "kpis.primary.direction", &k->direction) &&
                               k->direction != "maximize" && k->direction != "minimize") {
                      r_.Error(v, "kpis.primary.direction: expected maximize or minimize, found '" +
                                      k->direction + "'");
                    }
                  });
    r_.Require(n, "kpis.primary", "metric");
  }

  // "metric op value" or {metric, op, value[, columns]}.
  std::optional<Constraint> ConstraintOf(const YAML::Node& n, const std::string& what,
                                         bool fairness) {
    Constraint c;
    c.mark = SpecReader::MarkOf(n);
    if (n.IsScalar()) {
      static const std::regex kForm(R"(^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(>=|<=|>|<)\s*(\S+)\s*$)");
      std::smatch m;
      const std::string& s = n.Scalar();
      double v = 0;
      bool number = false;
      if (std::regex_match(s, m, kForm)) {
        const std::string text = m[3].str();  // strtod's end must point into a live string
        char* end = nullptr;
        v = std::strtod(text.c_str(), &end);
        number = end != text.c_str() && *end == '\0';
      }
      if (!number) {
        r_.Error(n,
                 what + ": expected 'METRIC OP VALUE' (OP one of >=, >, <=, <), found '" + s + "'");
        return std::nullopt;
      }
      c.metric = m[1];
      c.op = m[2];
      c.value = v;
      return c;
    }
    std::vector<std::string> keys = {"metric", "op", "value"};
    if (fairness) keys.push_back("columns");
    bool ok = true;
    r_.ForEachKey(n, what, keys, [&](const std::string& k, const YAML::Node& v) {
      if (k == "metric") {
        ok &= r_.String(v, what + ".metric", &c.metric);
      } else if (k == "op") {
        if (r_.String(v, what + ".op", &c.op) && c.op != ">=" && c.op != ">" && c.op != "<=" &&
            c.op != "<") {
          r_.Error(v, what + ".op: expected one of >=, >, <=, <, found '" + c.op + "'");
          ok = false;
        }
      } else if (k == "value") {
        ok &= r_.Double(v, what + ".value", &c.value);
      } else {
        ok &= r_.ColumnList(v, what + ".columns", &c.columns);
      }
    });
    if (!n.IsMap()) return std::nullopt;
    for (const char* key : {"metric", "op", "value"}) {
      if (!n[key]) ok = false;
      r_.Require(n, what, key);
    }
    if (!ok) return std::nullopt;
    return c;
  }

  void Features(const YAML::Node& n, ProjectSpec* spec) {
    if (n.IsScalar()) {
      if (n.Scalar() != "auto") {
        r_.Error(n,
                 "features: expected 'auto' or a feature pipeline (a list of transforms), "
                 "found '" +
                     n.Scalar() + "'");
      }
      return;
    }
    if (!n.IsSequence() && !n.IsMap()) {
      r_.Error(n, "features: expected 'auto' or a feature pipeline (a list of transforms)");
      return;
    }
    spec->features = SpecReader::ToJson(n);
    spec->features_mark = SpecReader::MarkOf(n);
  }

  void Models(const YAML::Node& n, std::vector<ModelSpec>* out) {
    if (!r_.Sequence(n, "models")) return;
    for (const auto& item : n) {
      ModelSpec m;
      m.mark = SpecReader::MarkOf(item);
      if (item.IsScalar()) {
        m.family = item.Scalar();
        out->push_back(m);
        continue;
      }
      r_.ForEachKey(item, "models[]", {"family", "search"},
                    [&](const std::string& k, const YAML::Node& v) {
                      if (k == "family") {
                        if (r_.String(v, "models[].family", &m.family)) {
                          m.mark = SpecReader::MarkOf(v);
                        }
                      } else {
                        Ranges(v, &m.search);
                      }
                    });
      if (!item.IsMap()) continue;
      r_.Require(item, "models[]", "family");
      out->push_back(m);
    }
  }

  void Ranges(const YAML::Node& n, std::vector<ParamRange>* out) {
    if (!n.IsMap()) {
      r_.Error(n, "models[].search: expected a map of hyperparameter: [min, max] or [choices]");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      ParamRange p;
      p.name = it->first.Scalar();
      p.mark = SpecReader::MarkOf(it->first);
      YAML::Node v = it->second;
      std::string what = "models[].search." + p.name;
      if (!r_.Sequence(v, what)) continue;
      if (v.size() == 0) {
        r_.Error(v, what + ": expected [min, max] or a list of choices, found an empty list");
        continue;
      }
      core::Json j = SpecReader::ToJson(v);
      p.numeric = j.size() == 2 && j[0].is_number() && j[1].is_number();
      if (p.numeric) {
        p.min = j[0].get<double>();
        p.max = j[1].get<double>();
      } else {
        bool ok = true;
        for (const auto& e : v) {
          std::string s;
          ok &= r_.String(e, what, &s);
          p.choices.push_back(s);
        }
        if (!ok) continue;
      }
      out->push_back(p);
    }
  }

  void Search(const YAML::Node& n, SearchOptions* s) {
    r_.ForEachKey(
        n, "search", {"strategy", "trials", "cv"}, [&](const std::string& k, const YAML::Node& v) {
          if (k == "strategy") {
            if (r_.String(v, "search.strategy", &s->strategy) && s->strategy != "random" &&
                s->strategy != "grid" && s->strategy != "halving") {
              r_.Error(v, "search.strategy: unknown strategy '" + s->strategy + "'" +
                              internal::DidYouMean(s->strategy, {"random", "grid", "halving"}) +
                              "; valid: random, grid, halving");
            }
          } else {
            int64_t x = 0;
            if (!r_.Int(v, "search." + k, &x)) return;
            int min = k == "cv" ? 2 : 1;
            if (x < min || x > 100000) {
              r_.Error(v, "search." + k + ": must be between " + std::to_string(min) +
                              " and 100000, found " + std::to_string(x));
              return;
            }
            (k == "cv" ? s->cv : s->trials) = static_cast<int>(x);
          }
        });
    if (s->strategy == "halving" && s->trials < 2 && n.IsMap() && n["trials"]) {
      r_.Error(n["trials"], "search.trials: halving needs at least 2 configurations");
    }
  }

  void Split(const YAML::Node& n, SplitOptions* s) {
    r_.ForEachKey(n, "split", {"test_size", "stratify"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "stratify") {
                      r_.Bool(v, "split.stratify", &s->stratify);
                    } else if (r_.Double(v, "split.test_size", &s->test_size) &&
                               !(s->test_size > 0 && s->test_size < 1)) {
                      r_.Error(v, "split.test_size: must be in (0, 1), found " + v.Scalar());
                    }
                  });
  }

  void GovernanceSection(const YAML::Node& n, Governance* g) {
    r_.ForEachKey(n, "governance", {"proxy", "approvals", "gates"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "proxy") {
                      Proxy(v, &g->proxy);
                    } else if (k == "gates") {
                      GatesSection(v, &g->gates);
                    } else if (r_.Sequence(v, "governance.approvals")) {
                      for (const auto& item : v) g->approvals.push_back(ApprovalOf(item));
                    }
                  });
  }

  void Proxy(const YAML::Node& n, ProxyPolicy* p) {
    static const std::vector<std::string> kMethods = {"cramers_v", "correlation_ratio", "pearson",
                                                      "spearman", "mutual_information"};
    r_.ForEachKey(
        n, "governance.proxy", {"threshold", "methods", "refuse"},
        [&](const std::string& k, const YAML::Node& v) {
          if (k == "threshold") {
            if (r_.Double(v, "governance.proxy.threshold", &p->threshold) &&
                !(p->threshold > 0 && p->threshold <= 1)) {
              r_.Error(v, "governance.proxy.threshold: must be in (0, 1], found " + v.Scalar());
            }
          } else if (k == "refuse") {
            r_.Bool(v, "governance.proxy.refuse", &p->refuse);
          } else {
            p->methods.clear();
            if (!r_.Sequence(v, "governance.proxy.methods")) return;
            for (const auto& e : v) {
              std::string m;
              if (!r_.String(e, "governance.proxy.methods", &m)) continue;
              if (std::find(kMethods.begin(), kMethods.end(), m) == kMethods.end()) {
                r_.Error(e, "governance.proxy.methods: unknown method '" + m + "'" +
                                internal::DidYouMean(m, kMethods) +
                                "; valid: " + internal::JoinNames(kMethods));
              }
              p->methods.push_back(m);
            }
          }
        });
  }

  Approval ApprovalOf(const YAML::Node& n) {
    Approval a;
    a.mark = SpecReader::MarkOf(n);
    if (n.IsScalar()) {  // `- risk-officer`
      a.role = n.Scalar();
      return a;
    }
    r_.ForEachKey(n, "governance.approvals[]", {"role", "count"},
                  [&](const std::string& k, const YAML::Node& v) {
                    if (k == "role") {
                      r_.String(v, "governance.approvals[].role", &a.role);
                    } else {
                      int64_t c = 0;
                      if (!r_.Int(v, "governance.approvals[].count", &c)) return;
                      if (c < 1) r_.Error(v, "governance.approvals[].count: must be >= 1");
                      a.count = static_cast<int>(c);
                    }
                  });
    r_.Require(n, "governance.approvals[]", "role");
    return a;
  }

  void GatesSection(const YAML::Node& n, Gates* g) {
    r_.ForEachKey(n, "governance.gates", {"kpis", "fairness", "latency", "champion_margin"},
                  [&](const std::string& k, const YAML::Node& v) {
                    std::string what = "governance.gates." + k;
                    if (k == "kpis") {
                      r_.Bool(v, what, &g->kpis);
                    } else if (k == "fairness") {
                      r_.Bool(v, what, &g->fairness);
                    } else if (k == "latency") {
                      r_.Bool(v, what, &g->latency);
                    } else if (r_.Double(v, what, &g->champion_margin) && g->champion_margin < 0) {
                      r_.Error(v, what + ": must be >= 0");
                    }
                  });
  }

  SpecReader r_;
};

}  // namespace

ProjectSpec ParseSpec(const std::string& text, const std::string& path,
                      std::vector<SpecError>* errors) {
  return ParseSpec(text, path, {}, errors, nullptr);
}

ProjectSpec ParseSpec(const std::string& text, const std::string& path,
                      const std::vector<std::string>& settings, std::vector<SpecError>* errors,
                      std::string* effective) {
  ProjectSpec spec;
  spec.path = path;
  if (effective != nullptr) *effective = text;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    Mark m;
    if (!e.mark.is_null()) m = {e.mark.line + 1, e.mark.column + 1};
    errors->push_back({m, "YAML syntax error: " + e.msg});
    return spec;
  }
  if (root.IsNull()) {
    errors->push_back({{1, 1},
                       "spec: the file is empty; expected a map with keys name, data, "
                       "target"});
    return spec;
  }
  if (!settings.empty()) {
    Status s = internal::ApplySettings(root, settings);
    if (!s.ok()) {
      errors->push_back({{}, s.message()});
      return spec;
    }
    if (effective != nullptr) {
      YAML::Emitter out;
      out << root;
      *effective = std::string(out.c_str()) + "\n";
    }
  }
  try {
    Parser(errors).Root(root, &spec);
    internal::CheckSpec(&spec, errors);
  } catch (const YAML::Exception& e) {  // not expected: every read is checked first
    errors->push_back({{e.mark.line + 1, e.mark.column + 1}, e.msg});
  }
  std::stable_sort(errors->begin(), errors->end(), [](const SpecError& a, const SpecError& b) {
    return std::tie(a.mark.line, a.mark.column) < std::tie(b.mark.line, b.mark.column);
  });
  return spec;
}

std::string FormatSpecErrors(const std::string& path, const std::vector<SpecError>& errors) {
  std::string out;
  for (const auto& e : errors) {
    if (!out.empty()) out += "\n";
    out += path;
    if (e.mark.line > 0) {
      out.append(":").append(std::to_string(e.mark.line));
      out.append(":").append(std::to_string(e.mark.column));
    }
    out.append(": ").append(e.message);
  }
  return out;
}

Result<ProjectSpec> LoadSpec(core::Env* env, const std::string& path) {
  MLPIPE_ASSIGN_OR_RETURN(std::string text, env->ReadFile(path));
  std::vector<SpecError> errors;
  ProjectSpec spec = ParseSpec(text, path, &errors);
  if (!errors.empty()) return InvalidArgumentError(FormatSpecErrors(path, errors));
  return spec;
}

}  // namespace mlpipe::pipeline
