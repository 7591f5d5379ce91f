// The model bundle (DESIGN.md "Model bundle"): one self-contained file holding
// everything needed to score new rows and to check that scoring is right —
// the input schema, the fitted feature pipeline, the model, labels and
// decision threshold, reference statistics for drift, golden examples,
// metrics and lineage ids — in a verified container (container.h). Loadable
// with no metadata store. docs/bundle.md describes every part.
//
// Parts (all JSON except model.json, which is Model::Save's text):
//   schema.json     profile::Schema of the input columns (types, categories)
//   features.json   FeaturePipeline::ToJson (fitted)
//   model.json      Model::Save
//   reference.json  per input column: histogram and quantiles, or category counts
//   golden.json     input rows with their expected outputs
//   metrics.json    the training summary (metrics.json of `mlpipe train`)
//   lineage.json    ids given by the caller (run id, data version, ...)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlpipe/bundle/container.h"
#include "mlpipe/core/env.h"
#include "mlpipe/core/json_util.h"
#include "mlpipe/core/status.h"
#include "mlpipe/models/estimator.h"
#include "mlpipe/profile/schema.h"

namespace mlpipe::bundle {

// The part names, in file order.
inline constexpr const char* kPartNames[] = {"schema.json",    "features.json", "model.json",
                                             "reference.json", "golden.json",   "metrics.json",
                                             "lineage.json"};

struct ModelBundle {
  // Manifest fields.
  int format_version = kBundleFormatVersion;
  std::string created_by;  // "mlpipe 0.1.0"
  int64_t created_us = 0;  // 0: not recorded (keeps bundles byte-identical)
  models::Task task = models::Task::kBinary;
  std::string target;
  std::string family;                // "gbdt"
  std::vector<std::string> classes;  // by class code; binary: [negative, positive]
  std::string positive;              // binary only
  double threshold = 0.5;            // binary: positive when score > threshold

  // Parts.
  profile::Schema schema;
  core::Json features;
  std::string model;
  core::Json reference;
  core::Json golden;
  core::Json metrics;
  core::Json lineage;

  // Filled when read: the container's part table and the file's SHA-256.
  std::vector<PartInfo> parts;
  std::string sha256;
};

// The bundle's bytes (deterministic).
Result<std::string> EncodeBundle(const ModelBundle& bundle);
// Decodes and verifies every checksum; `source` names the file in errors.
// DataLoss for a damaged file or a part that does not parse (naming it),
// FailedPrecondition for a newer format, InvalidArgument for a part of the
// wrong shape (checksums valid, content not what mlpipe writes), naming the
// part and field.
Result<ModelBundle> DecodeBundle(std::string_view bytes, std::string_view source);
Result<ModelBundle> ReadBundleFile(core::Env* env, const std::string& path);
// EncodeBundle written atomically.
Status WriteBundleFile(core::Env* env, const std::string& path, const ModelBundle& bundle);

}  // namespace mlpipe::bundle
