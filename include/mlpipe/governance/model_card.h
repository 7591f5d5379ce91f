// ModelCard: what a model is for, what it was trained on, how well and how
// fairly it performs, what is known to be wrong with its data, and which
// gates and approvals it passed — rendered as Markdown and as one
// self-contained HTML file. Plain data: the pipeline fills it from the run.
//
// Rendering is deterministic: the same card gives the same bytes (numbers
// with 4 decimals, sections and rows in the order given, no dates added).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mlpipe/eval/fairness.h"
#include "mlpipe/governance/gates.h"

namespace mlpipe::governance {

struct CardDataVersion {
  std::string role;     // "train", "test", "reference"
  std::string name;     // dataset name
  std::string version;  // e.g. "3"
  std::string sha256;   // content hash
  int64_t rows = -1;    // -1 when unknown
};

struct CardFeature {
  std::string name;
  std::string type;  // "float64", "categorical", ...
  std::string note;  // e.g. "pseudonymised", "derived: age * duration"
};

// A metric with an optional confidence interval.
struct CardMetric {
  std::string name;
  double value = 0;
  std::optional<double> ci_low, ci_high;
  double confidence = 0.95;  // level of the interval
  std::string split;         // "test", "cv"
};

struct CardGroup {
  std::string group;
  int64_t count = 0;
  double selection_rate = 0;
  double tpr = 0;
  double fpr = 0;
  bool four_fifths_flag = false;
};

// The fairness of the model over one protected column.
struct CardFairness {
  std::string column;
  std::vector<CardGroup> groups;
  std::vector<CardMetric> metrics;  // demographic parity difference, ... with CIs where given
};

// The groups and summary metrics of an evaluated FairnessReport (no CIs;
// the caller may set them on the returned metrics).
CardFairness FairnessFromReport(const eval::FairnessReport& report);

// A limitation found in the data or the model.
struct CardLimitation {
  std::string source;    // "profile", "validation", "proxy", "governance"
  std::string severity;  // "info", "warning", "error"
  std::string text;
};

struct CardApproval {
  std::string role;  // "risk", "owner"
  std::string by;
  std::string at;  // ISO 8601 time as recorded
  std::string note;
};

struct ModelCard {
  std::string model_name;
  std::string model_version;
  std::string objective;     // task, target and positive class
  std::string intended_use;  // who uses it for what
  std::string out_of_scope;  // uses it is not meant for (optional)
  std::vector<CardDataVersion> data_versions;
  std::vector<CardFeature> features;
  std::vector<CardMetric> metrics;
  std::vector<CardFairness> fairness;
  std::vector<CardLimitation> limitations;
  std::vector<GateResult> gates;
  std::vector<CardApproval> approvals;

  std::string RenderMarkdown() const;
  // One self-contained HTML document (report::HtmlDocument).
  std::string RenderHtml() const;
};

}  // namespace mlpipe::governance
