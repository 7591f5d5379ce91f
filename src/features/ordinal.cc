// ordinal: OrdinalEncoder — each category becomes its index among the sorted
// training categories (float64). Missing stays missing.
#include <cmath>

#include <fmt/format.h>

#include "column_util.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

class Ordinal final : public Transform {
 public:
  std::string_view name() const override { return "ordinal"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "handle_unknown", "unknown_value"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(handle_unknown_,
                            Choice(j, "handle_unknown", ctx, "error", {"error", "value"}));
    if (j.contains("unknown_value")) {
      MLPIPE_ASSIGN_OR_RETURN(unknown_value_,
                              NumFromJson(j["unknown_value"], ctx + ".unknown_value"));
    }
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["handle_unknown"] = handle_unknown_;
    j["unknown_value"] = NumJson(unknown_value_);
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(
        auto cats, core::GetField<std::vector<std::vector<std::string>>>(s, "categories", ctx));
    if (cats.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ".categories: expected one list per column");
    }
    vocabs_.clear();
    for (auto& c : cats) vocabs_.emplace_back(std::move(c));
    return Status::OK();
  }

  core::Json StateJson() const override {
    core::Json cats = core::Json::array();
    for (const auto& v : vocabs_) cats.push_back(v.values());
    return {{"columns", columns_}, {"categories", cats}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_,
                            ResolveColumns(frame, name(), requested_, kAnyType, kTextTypes, ""));
    vocabs_.clear();
    for (const auto& col : columns_) {
      std::vector<std::string> cats;
      for (auto& [text, count] : CountValues(frame.column(static_cast<size_t>(frame.Find(col))))) {
        cats.push_back(std::move(text));
      }
      vocabs_.emplace_back(std::move(cats));
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* c,
                              RequireColumn(frame, name(), columns_[k], kAnyType, ""));
      const std::vector<int32_t> codes = MapToVocabulary(*c, vocabs_[k]);
      std::vector<double> out(codes.size(), 0.0);
      std::vector<uint8_t> valid(codes.size(), 1);
      for (size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] >= 0) {
          out[i] = codes[i];
        } else if (codes[i] == kMissingCode) {
          valid[i] = 0;
        } else if (handle_unknown_ == "error") {
          char buf[32];
          return InvalidArgumentError(fmt::format(
              "ordinal: column '{}' row {}: category '{}' was not seen in training (set "
              "handle_unknown to \"value\" to accept it)",
              columns_[k], i, TextOf(*c, i, buf)));
        } else if (std::isnan(unknown_value_)) {
          valid[i] = 0;
        } else {
          out[i] = unknown_value_;
        }
      }
      MLPIPE_RETURN_IF_ERROR(
          frame.Replace(static_cast<size_t>(frame.Find(columns_[k])),
                        Column::Float64(columns_[k], std::move(out), std::move(valid))));
    }
    return Status::OK();
  }

 public:
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto kernel = std::make_unique<RowOrdinal>();
    kernel->error = handle_unknown_ == "error";
    kernel->unknown_value = unknown_value_;
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in,
                              RequireSlot(compiler, name(), columns_[k], kAnyType, ""));
      kernel->steps.push_back({columns_[k], in.index, in.type, &vocabs_[k], 0});
    }
    for (size_t k = 0; k < columns_.size(); ++k) {
      kernel->steps[k].out = compiler.Define(columns_[k], table::DataType::kFloat64).index;
    }
    // The vocabularies are copied: the kernel may outlive this transform.
    for (auto& st : kernel->steps) {
      kernel->vocabs.push_back(std::make_unique<Vocabulary>(*st.vocab));
      st.vocab = kernel->vocabs.back().get();
    }
    return std::unique_ptr<RowKernel>(std::move(kernel));
  }

 private:
  struct RowOrdinal final : RowKernel {
    struct Step {
      std::string column;
      uint32_t in;
      table::DataType type;
      const Vocabulary* vocab;
      uint32_t out;
    };
    std::vector<Step> steps;
    std::vector<std::unique_ptr<Vocabulary>> vocabs;
    bool error = true;
    double unknown_value = -1;
    Status Run(RowCell* cells, size_t row) const override {
      for (const Step& st : steps) {
        const RowCell a = cells[st.in];
        RowCell& b = cells[st.out];
        b.valid = true;
        b.num = 0;
        if (!a.valid) {
          b.valid = false;
          continue;
        }
        char buf[32];
        const std::string_view text = CellText(a, st.type, buf);
        const int32_t code = st.vocab->Find(text);
        if (code >= 0) {
          b.num = code;
        } else if (error) {
          return InvalidArgumentError(fmt::format(
              "ordinal: column '{}' row {}: category '{}' was not seen in training (set "
              "handle_unknown to \"value\" to accept it)",
              st.column, row, text));
        } else if (std::isnan(unknown_value)) {
          b.valid = false;
        } else {
          b.num = unknown_value;
        }
      }
      return Status::OK();
    }
  };

  std::optional<std::vector<std::string>> requested_;
  std::string handle_unknown_ = "error";
  double unknown_value_ = -1;  // NaN (null in JSON): unknown becomes missing
  std::vector<std::string> columns_;
  std::vector<Vocabulary> vocabs_;
};

}  // namespace

std::unique_ptr<Transform> NewOrdinal() { return std::make_unique<Ordinal>(); }

}  // namespace mlpipe::features::internal
