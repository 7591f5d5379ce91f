// Scores rows given as JSON Lines (one object {column: value} per line) with a
// model bundle through mlpipe's C API, one row per call, from C++.
//
//   score_cc BUNDLE ROWS.jsonl
//
// Prints the input schema to standard error and the predictions to standard
// output in the format of `mlpipe predict`. The C API is wrapped in a small
// RAII class that turns a failed status into an exception carrying
// mlpipe_last_error().
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "mlpipe/c_api.h"

namespace {

void Check(int status, const char* what) {
  if (status != MLPIPE_OK) throw std::runtime_error(std::string(what) + ": " + mlpipe_last_error());
}

// A loaded bundle. Scoring is const and safe from many threads at once.
class Model {
 public:
  explicit Model(const std::string& path) {
    Check(mlpipe_model_load_file(path.c_str(), &m_), "load");
    Check(mlpipe_model_task(m_, &task_), "task");
    size_t k = 0;
    Check(mlpipe_model_num_classes(m_, &k), "classes");
    for (size_t i = 0; i < k; ++i) {
      const char* name = nullptr;
      Check(mlpipe_model_class_name(m_, i, &name), "class name");
      classes_.emplace_back(name);
    }
  }
  ~Model() { mlpipe_model_free(m_); }
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  bool regression() const { return task_ == MLPIPE_TASK_REGRESSION; }
  bool binary() const { return task_ == MLPIPE_TASK_BINARY; }
  const std::vector<std::string>& classes() const { return classes_; }

  void PrintSchema(std::ostream& os) const {
    size_t n = 0;
    Check(mlpipe_model_num_columns(m_, &n), "columns");
    static const char* kTypes[] = {"bool", "int64", "float64", "categorical", "string"};
    os << "mlpipe " << mlpipe_version() << "; " << n << " input columns\n";
    for (size_t i = 0; i < n; ++i) {
      const char* name = nullptr;
      int type = 0;
      size_t cats = 0;
      Check(mlpipe_model_column(m_, i, &name, &type), "column");
      Check(mlpipe_model_column_num_categories(m_, i, &cats), "categories");
      os << "  " << name << ": " << kTypes[type];
      if (cats > 0) os << " (" << cats << " categories)";
      os << "\n";
    }
  }

  // One row: the class index and the probabilities, or the value.
  struct Score {
    int label = -1;
    std::vector<double> out;
  };
  Score Predict(const std::string& json_row) const {
    Score s;
    if (regression()) {
      s.out.resize(1);
      Check(mlpipe_predict_json(m_, json_row.c_str(), nullptr, nullptr, 0, nullptr, 0, s.out.data(),
                                1),
            "predict");
    } else {
      s.out.resize(classes_.size());
      Check(mlpipe_predict_json(m_, json_row.c_str(), nullptr, &s.label, 1, s.out.data(),
                                s.out.size(), nullptr, 0),
            "predict");
    }
    return s;
  }

 private:
  mlpipe_model* m_ = nullptr;
  int task_ = 0;
  std::vector<std::string> classes_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << argv[0] << " BUNDLE ROWS.jsonl\n";
    return 2;
  }
  try {
    const Model model(argv[1]);
    model.PrintSchema(std::cerr);
    std::ifstream in(argv[2]);
    if (!in) throw std::runtime_error(std::string("cannot read ") + argv[2]);
    std::printf("row");
    if (model.regression()) {
      std::printf(",prediction");
    } else {
      std::printf(",predicted");
      if (model.binary()) std::printf(",score");
      for (const auto& c : model.classes()) std::printf(",prob_%s", c.c_str());
    }
    std::printf("\n");
    std::string line;
    for (size_t row = 0; std::getline(in, line); ++row) {
      const Model::Score s = model.Predict(line);
      std::printf("%zu", row);
      if (!model.regression()) {
        std::printf(",%s", model.classes()[s.label].c_str());
        if (model.binary()) std::printf(",%.17g", s.out[1]);
      }
      for (double v : s.out) std::printf(",%.17g", v);
      std::printf("\n");
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
