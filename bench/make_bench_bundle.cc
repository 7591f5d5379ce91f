// Writes the bundle the serving benchmark serves: a GBDT of a fixed size
// (default 100 trees of depth 6, min_child_weight 1) with mlpipe's default
// feature pipeline, trained on a CSV file through eval::Train and
// bundle::BuildBundle — the same steps as `mlpipe train --bundle`, with the
// search pinned to one configuration.
//
//   make_bench_bundle DATA.csv TARGET OUT.mlpb [--trees N] [--depth D]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "mlpipe/bundle/build.h"
#include "mlpipe/bundle/bundle.h"
#include "mlpipe/core/env.h"
#include "mlpipe/eval/train.h"
#include "mlpipe/table/csv.h"

namespace {

template <typename T>
T OrDie(mlpipe::Result<T> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "make_bench_bundle: %s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: make_bench_bundle DATA.csv TARGET OUT.mlpb [--trees N] [--depth D]\n");
    return 2;
  }
  double trees = 100, depth = 6;
  for (int i = 4; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--trees") == 0) {
      trees = std::atof(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--depth") == 0) {
      depth = std::atof(argv[i + 1]);
    } else {
      std::fprintf(stderr, "make_bench_bundle: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  auto* env = mlpipe::core::Env::Default();
  const auto table = OrDie(mlpipe::table::ReadCsv(env, argv[1]));
  mlpipe::eval::TrainOptions o;
  o.data = argv[1];
  o.target = argv[2];
  o.families = {"gbdt"};
  o.search = "random:1";
  o.cv = 2;
  o.bootstrap = 1;
  o.seed = 3;
  o.search_overrides["gbdt"] = {{"n_estimators", true, trees, trees, {}},
                                {"max_depth", true, depth, depth, {}},
                                {"min_child_weight", true, 1, 1, {}}};
  const auto result = OrDie(mlpipe::eval::Train(table, o));
  std::fprintf(stderr, "make_bench_bundle: gbdt %s\n", result.best().json["params"].dump().c_str());
  const auto bundle = OrDie(mlpipe::bundle::BuildBundle(result, table, {}));
  const auto s = mlpipe::bundle::WriteBundleFile(env, argv[3], bundle);
  if (!s.ok()) {
    std::fprintf(stderr, "make_bench_bundle: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
