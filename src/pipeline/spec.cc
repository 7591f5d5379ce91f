// The small methods of the spec structs (mlpipe/pipeline/spec.h).
#include "mlpipe/pipeline/spec.h"

namespace mlpipe::pipeline {

std::string_view PiiHandlingName(PiiHandling h) {
  switch (h) {
    case PiiHandling::kDrop:
      return "drop";
    case PiiHandling::kPseudonymise:
      return "pseudonymise";
    case PiiHandling::kGeneralise:
      return "generalise";
  }
  return "drop";
}

bool Constraint::Holds(double x) const {
  if (op == ">=") return x >= value;
  if (op == ">") return x > value;
  if (op == "<=") return x <= value;
  return x < value;
}

std::string SearchOptions::ToSearchSpec() const {
  if (strategy == "grid") return "grid";
  return strategy + ":" + std::to_string(trials);
}

std::string ProjectSpec::TrainingDataPath() const {
  if (sources.empty()) return "";
  const std::string& p = sources.front().path;
  if (!p.empty() && p[0] == '/') return p;
  std::string dir = core::DirName(path);
  return dir.empty() ? p : core::JoinPath(dir, p);
}

}  // namespace mlpipe::pipeline
