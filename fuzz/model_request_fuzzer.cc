// Model-request parsing on raw bytes: the first byte picks the format (OIP v2
// infer, instances, dataframe_split, an MLflow body as JSON or as CSV), the
// rest is the body. Each body is parsed against a schema of every feature
// type, and against the seed bundle's schema (iris, numeric), whose
// Predictor then scores what parsed, as the server would. A refusal must be
// InvalidArgument (a 400 naming the field); anything else that fails, or a
// sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/bundle/predictor.h"
#include "mlpipe/core/env.h"
#include "model_request.h"

namespace {

using mlpipe::StatusCode;
using mlpipe::profile::ColumnSchema;
using mlpipe::profile::Schema;
using mlpipe::table::DataType;

Schema MixedSchema() {
  Schema s;
  auto col = [](const char* name, DataType type) {
    ColumnSchema c;
    c.name = name;
    c.type = type;
    return c;
  };
  s.columns = {col("age", DataType::kInt64), col("income", DataType::kFloat64),
               col("city", DataType::kCategorical), col("owner", DataType::kBool),
               col("note", DataType::kString)};
  s.columns[2].categories = std::vector<std::string>{"a", "b"};
  return s;
}

const mlpipe::bundle::Predictor* Iris() {
  static std::unique_ptr<mlpipe::bundle::Predictor> p = [] {
    auto r = mlpipe::bundle::Predictor::FromFile(
        mlpipe::core::Env::Default(), MLPIPE_SOURCE_DIR "/fuzz/corpus/bundle/iris-logreg.mlpb");
    if (!r.ok()) std::abort();  // the seed bundle must load
    return std::move(*r);
  }();
  return p.get();
}

// A refusal must be bad input, never an internal error.
template <typename T>
void Expect(const mlpipe::Result<T>& r) {
  if (!r.ok() && r.status().code() != StatusCode::kInvalidArgument) std::abort();
}

void ParseAll(const Schema& schema, uint8_t format, std::string_view body,
              const mlpipe::bundle::Predictor* predictor) {
  const std::vector<std::string> outputs = {"label", "probabilities"};
  mlpipe::Result<mlpipe::table::Table> rows = mlpipe::InvalidArgumentError("no rows");
  if (format % 5 == 4) {
    rows = mlpipe::serve::RowsFromMlflowBody(schema, "text/csv", body);
  } else {
    auto json = mlpipe::serve::ParseJsonBody(body);
    Expect(json);
    if (!json.ok()) return;
    switch (format % 5) {
      case 0: {
        auto v2 = mlpipe::serve::ParseV2Infer(schema, *json, outputs);
        Expect(v2);
        if (v2.ok()) rows = std::move(v2->rows);
        break;
      }
      case 1:
        rows = mlpipe::serve::RowsFromRecords(schema, *json, "instances");
        break;
      case 2:
        rows = mlpipe::serve::RowsFromDataframeSplit(schema, *json);
        break;
      default:
        rows = mlpipe::serve::RowsFromMlflowBody(schema, "application/json", body);
        break;
    }
  }
  Expect(rows);
  if (rows.ok() && predictor) {
    auto scores = predictor->Predict(*rows);
    Expect(scores);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const Schema mixed = MixedSchema();
  ParseAll(mixed, data[0], body, nullptr);
  const auto* iris = Iris();
  ParseAll(iris->bundle().schema, data[0], body, iris);
  return 0;
}
