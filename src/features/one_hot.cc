// one_hot and dummy: one bool column per training category.
//
// Rare categories are pooled as scikit-learn 1.2's OneHotEncoder does with
// min_frequency / max_categories: a category seen fewer than min_frequency
// times (a count, or a fraction of the training rows when < 1) is rare; then,
// if more than max_categories output columns would remain (counting the pool),
// the least frequent categories are pooled too (ties: the earlier in sorted
// order first). Deviations from sklearn: a missing value is not a category (it
// encodes as all zeros; impute first to keep it), the pool column exists
// whenever handle_unknown is "other" even if nothing was rare, and dummy
// (drop-first) drops the first kept category, never the pool.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "column_util.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

constexpr std::string_view kOtherSuffix = "=(other)";

class OneHot final : public Transform {
 public:
  explicit OneHot(bool drop_first) : drop_first_(drop_first) {}
  std::string_view name() const override { return drop_first_ ? "dummy" : "one_hot"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "max_categories", "min_frequency", "handle_unknown"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(max_categories_, core::GetFieldOr<int>(j, "max_categories", ctx, 0));
    MLPIPE_ASSIGN_OR_RETURN(min_frequency_, core::GetFieldOr<double>(j, "min_frequency", ctx, 0.0));
    MLPIPE_ASSIGN_OR_RETURN(
        handle_unknown_, Choice(j, "handle_unknown", ctx, "error", {"error", "ignore", "other"}));
    if (max_categories_ != 0 && max_categories_ < 2) {
      return InvalidArgumentError(ctx + ".max_categories: expected 0 (no cap) or >= 2");
    }
    if (!(min_frequency_ >= 0)) {
      return InvalidArgumentError(
          ctx + ".min_frequency: expected a count >= 1, a fraction in (0, 1), or 0 (off)");
    }
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["max_categories"] = max_categories_;
    j["min_frequency"] = min_frequency_;
    j["handle_unknown"] = handle_unknown_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    auto kept = s.find("categories");
    auto rare = s.find("pooled");
    if (kept == s.end() || rare == s.end() || !kept->is_array() || !rare->is_array() ||
        kept->size() != columns_.size() || rare->size() != columns_.size()) {
      return InvalidArgumentError(ctx + ": expected 'categories' and 'pooled' lists per column");
    }
    kept_.clear();
    pooled_.clear();
    return LoadLists(*kept, *rare, ctx);
  }

  core::Json StateJson() const override {
    return {{"columns", columns_}, {"categories", kept_}, {"pooled", pooled_}};
  }

  Status Fit(const Frame& frame, const FitContext&) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_,
                            ResolveColumns(frame, name(), requested_, kAnyType, kTextTypes, ""));
    kept_.clear();
    pooled_.clear();
    const double n = static_cast<double>(frame.num_rows());
    const double min_count = min_frequency_ < 1 ? min_frequency_ * n : min_frequency_;
    for (const auto& col : columns_) {
      auto counts = CountValues(frame.column(static_cast<size_t>(frame.Find(col))));
      std::vector<uint8_t> rare(counts.size(), 0);
      size_t n_rare = 0;
      for (size_t i = 0; i < counts.size(); ++i) {
        rare[i] = static_cast<double>(counts[i].second) < min_count;
        n_rare += rare[i];
      }
      const size_t n_out = counts.size() - n_rare + 1;  // sklearn counts the pool column always
      if (max_categories_ > 0 && static_cast<size_t>(max_categories_) < n_out) {
        std::vector<size_t> order(counts.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return counts[a].second < counts[b].second; });
        const size_t n_pool = counts.size() - static_cast<size_t>(max_categories_) + 1;
        for (size_t i = 0; i < n_pool && i < order.size(); ++i) rare[order[i]] = 1;
      }
      std::vector<std::string> kept, pooled;
      for (size_t i = 0; i < counts.size(); ++i) {
        (rare[i] ? pooled : kept).push_back(std::move(counts[i].first));
      }
      kept_.push_back(std::move(kept));
      pooled_.push_back(std::move(pooled));
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* c,
                              RequireColumn(frame, name(), columns_[k], kAnyType, ""));
      const auto& kept = kept_[k];
      const auto& pooled = pooled_[k];
      const bool has_other = !pooled.empty() || handle_unknown_ == "other";
      // Vocabulary: kept categories, then pooled ones (all map to the pool slot).
      std::vector<std::string> all = kept;
      all.insert(all.end(), pooled.begin(), pooled.end());
      const Vocabulary vocab(std::move(all));
      const std::vector<int32_t> codes = MapToVocabulary(*c, vocab);
      const size_t n_kept = kept.size();
      const size_t n_slots = n_kept + (has_other ? 1 : 0);
      const size_t first = drop_first_ && n_kept > 0 ? 1 : 0;
      std::vector<std::vector<uint8_t>> out(n_slots);
      for (size_t s = first; s < n_slots; ++s) out[s].assign(codes.size(), 0);
      for (size_t i = 0; i < codes.size(); ++i) {
        int32_t code = codes[i];
        if (code == kMissingCode) continue;
        size_t slot;
        if (code == kUnknownCode) {
          if (handle_unknown_ == "ignore") continue;
          if (handle_unknown_ == "error") {
            char buf[32];
            return InvalidArgumentError(
                fmt::format("{}: column '{}' row {}: category '{}' was not seen in training (set "
                            "handle_unknown to \"ignore\" or \"other\" to accept it)",
                            name(), columns_[k], i, TextOf(*c, i, buf)));
          }
          slot = n_kept;
        } else {
          slot = static_cast<size_t>(code) < n_kept ? static_cast<size_t>(code) : n_kept;
        }
        if (slot >= first) out[slot][i] = 1;
      }
      const size_t at = static_cast<size_t>(frame.Find(columns_[k]));
      frame.Remove({columns_[k]});
      size_t pos = at;
      for (size_t s = first; s < n_slots; ++s) {
        std::string out_name =
            s < n_kept ? columns_[k] + "=" + kept[s] : columns_[k] + std::string(kOtherSuffix);
        MLPIPE_RETURN_IF_ERROR(
            frame.Insert(pos++, Column::Bool(std::move(out_name), std::move(out[s]))));
      }
    }
    return Status::OK();
  }

 public:
  // Per column: the vocabulary (kept then pooled) resolved once; a row sets
  // the bool slots of its category.
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto kernel = std::make_unique<RowOneHot>();
    kernel->transform = std::string(name());
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in,
                              RequireSlot(compiler, name(), columns_[k], kAnyType, ""));
      RowOneHot::Step st;
      st.column = columns_[k];
      st.in = in.index;
      st.type = in.type;
      const auto& kept = kept_[k];
      std::vector<std::string> all = kept;
      all.insert(all.end(), pooled_[k].begin(), pooled_[k].end());
      st.vocab = Vocabulary(std::move(all));
      st.n_kept = kept.size();
      const bool has_other = !pooled_[k].empty() || handle_unknown_ == "other";
      const size_t n_slots = st.n_kept + (has_other ? 1 : 0);
      st.first = drop_first_ && st.n_kept > 0 ? 1 : 0;
      compiler.Remove({columns_[k]});
      st.out.assign(n_slots, 0);
      for (size_t s = st.first; s < n_slots; ++s) {
        std::string out_name =
            s < st.n_kept ? columns_[k] + "=" + kept[s] : columns_[k] + std::string(kOtherSuffix);
        st.out[s] = compiler.Define(out_name, table::DataType::kBool).index;
      }
      kernel->steps.push_back(std::move(st));
    }
    kernel->unknown = handle_unknown_ == "ignore" ? 1 : handle_unknown_ == "error" ? 0 : 2;
    return std::unique_ptr<RowKernel>(std::move(kernel));
  }

 private:
  struct RowOneHot final : RowKernel {
    struct Step {
      std::string column;
      uint32_t in = 0;
      table::DataType type = table::DataType::kString;
      Vocabulary vocab;
      size_t n_kept = 0, first = 0;
      std::vector<uint32_t> out;  // per slot; slots before `first` unused
    };
    std::string transform;
    std::vector<Step> steps;
    int unknown = 0;  // 0 error, 1 ignore, 2 other
    Status Run(RowCell* cells, size_t row) const override {
      for (const Step& st : steps) {
        for (size_t s = st.first; s < st.out.size(); ++s) {
          cells[st.out[s]].valid = true;
          cells[st.out[s]].num = 0;
        }
        const RowCell& a = cells[st.in];
        if (!a.valid) continue;
        char buf[32];
        const std::string_view text = CellText(a, st.type, buf);
        const int32_t code = st.vocab.Find(text);
        size_t slot;
        if (code < 0) {
          if (unknown == 1) continue;
          if (unknown == 0) {
            return InvalidArgumentError(
                fmt::format("{}: column '{}' row {}: category '{}' was not seen in training (set "
                            "handle_unknown to \"ignore\" or \"other\" to accept it)",
                            transform, st.column, row, text));
          }
          slot = st.n_kept;
        } else {
          slot = static_cast<size_t>(code) < st.n_kept ? static_cast<size_t>(code) : st.n_kept;
        }
        if (slot >= st.first) cells[st.out[slot]].num = 1;
      }
      return Status::OK();
    }
  };

  Status LoadLists(const core::Json& kept, const core::Json& rare, const std::string& ctx) {
    for (size_t k = 0; k < columns_.size(); ++k) {
      std::vector<std::string> a, b;
      for (const auto& v : kept[k]) {
        if (!v.is_string()) return InvalidArgumentError(ctx + ".categories: expected strings");
        a.push_back(v.get<std::string>());
      }
      for (const auto& v : rare[k]) {
        if (!v.is_string()) return InvalidArgumentError(ctx + ".pooled: expected strings");
        b.push_back(v.get<std::string>());
      }
      kept_.push_back(std::move(a));
      pooled_.push_back(std::move(b));
    }
    return Status::OK();
  }

  bool drop_first_;
  std::optional<std::vector<std::string>> requested_;
  int max_categories_ = 0;
  double min_frequency_ = 0;
  std::string handle_unknown_ = "error";
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> kept_;    // per column, sorted
  std::vector<std::vector<std::string>> pooled_;  // per column, sorted
};

}  // namespace

std::unique_ptr<Transform> NewOneHot() { return std::make_unique<OneHot>(false); }
std::unique_ptr<Transform> NewDummy() { return std::make_unique<OneHot>(true); }

}  // namespace mlpipe::features::internal
