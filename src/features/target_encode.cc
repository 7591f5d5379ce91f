// target_encode: each category becomes the smoothed mean of the target
//   enc(c) = (sum_c + smoothing * prior) / (n_c + smoothing),
// prior = the mean target of the rows used. The target is numeric
// (regression), bool, or text with two classes (binary: 1 for `positive`, by
// default the second class in sorted order). A category unseen in training,
// or missing, encodes as the prior.
//
// No leakage: FitTransform gives each training row the encoding computed
// from the other folds only (n_folds folds, rows assigned by a seeded
// shuffle), with the prior of those folds too; Apply() on new data uses the
// encoding fitted on all training rows.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "column_util.h"
#include "mlpipe/core/random.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

class TargetEncode final : public Transform {
 public:
  std::string_view name() const override { return "target_encode"; }

 protected:
  std::vector<std::string_view> ParamKeys() const override {
    return {"columns", "smoothing", "n_folds", "positive"};
  }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(requested_, OptionalStrings(j, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(smoothing_, core::GetFieldOr<double>(j, "smoothing", ctx, 10.0));
    MLPIPE_ASSIGN_OR_RETURN(n_folds_, core::GetFieldOr<int>(j, "n_folds", ctx, 5));
    MLPIPE_ASSIGN_OR_RETURN(positive_,
                            core::GetFieldOr<std::string>(j, "positive", ctx, std::string()));
    if (!(smoothing_ >= 0)) return InvalidArgumentError(ctx + ".smoothing: expected >= 0");
    if (n_folds_ < 2) return InvalidArgumentError(ctx + ".n_folds: expected an integer >= 2");
    return Status::OK();
  }

  core::Json ParamsJson() const override {
    core::Json j;
    if (requested_) j["columns"] = *requested_;
    j["smoothing"] = smoothing_;
    j["n_folds"] = n_folds_;
    if (!positive_.empty()) j["positive"] = positive_;
    return j;
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(columns_, RequiredStrings(s, "columns", ctx));
    MLPIPE_ASSIGN_OR_RETURN(prior_, core::GetField<double>(s, "prior", ctx));
    MLPIPE_ASSIGN_OR_RETURN(
        auto cats, core::GetField<std::vector<std::vector<std::string>>>(s, "categories", ctx));
    MLPIPE_ASSIGN_OR_RETURN(encodings_,
                            core::GetField<std::vector<std::vector<double>>>(s, "encodings", ctx));
    if (cats.size() != columns_.size() || encodings_.size() != columns_.size()) {
      return InvalidArgumentError(ctx + ": expected categories and encodings per column");
    }
    vocabs_.clear();
    for (size_t k = 0; k < cats.size(); ++k) {
      if (cats[k].size() != encodings_[k].size()) {
        return InvalidArgumentError(ctx + ": expected one encoding per category");
      }
      vocabs_.emplace_back(std::move(cats[k]));
    }
    return Status::OK();
  }

  core::Json StateJson() const override {
    core::Json cats = core::Json::array();
    for (const auto& v : vocabs_) cats.push_back(v.values());
    return {
        {"columns", columns_}, {"prior", prior_}, {"categories", cats}, {"encodings", encodings_}};
  }

  Status Fit(const Frame& frame, const FitContext& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(y_, TargetValues(ctx.target, frame.num_rows()));
    MLPIPE_ASSIGN_OR_RETURN(columns_,
                            ResolveColumns(frame, name(), requested_, kAnyType, kTextTypes, ""));
    prior_ = std::accumulate(y_.begin(), y_.end(), 0.0) / static_cast<double>(y_.size());
    vocabs_.clear();
    encodings_.clear();
    codes_.clear();
    for (const auto& col : columns_) {
      const Column& c = frame.column(static_cast<size_t>(frame.Find(col)));
      std::vector<std::string> cats;
      for (auto& [text, count] : CountValues(c)) cats.push_back(std::move(text));
      Vocabulary vocab(std::move(cats));
      std::vector<int32_t> codes = MapToVocabulary(c, vocab);
      std::vector<double> sum(vocab.size(), 0.0), cnt(vocab.size(), 0.0);
      for (size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] < 0) continue;
        sum[static_cast<size_t>(codes[i])] += y_[i];
        cnt[static_cast<size_t>(codes[i])] += 1;
      }
      std::vector<double> enc(vocab.size());
      for (size_t v = 0; v < enc.size(); ++v) {
        enc[v] = (sum[v] + smoothing_ * prior_) / (cnt[v] + smoothing_);
      }
      vocabs_.push_back(std::move(vocab));
      encodings_.push_back(std::move(enc));
      codes_.push_back(std::move(codes));
    }
    return Status::OK();
  }

  // Out-of-fold encodings for the training rows.
  Status DoFitApply(Frame& frame, const FitContext& ctx) override {
    MLPIPE_RETURN_IF_ERROR(Fit(frame, ctx));
    const size_t n = frame.num_rows();
    const size_t k_folds = static_cast<size_t>(n_folds_);
    std::vector<size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    core::Rng rng(core::Rng::Derive(ctx.seed, 0x7e));
    rng.Shuffle(perm);
    std::vector<uint32_t> fold(n);
    for (size_t i = 0; i < n; ++i) fold[perm[i]] = static_cast<uint32_t>(i % k_folds);
    std::vector<double> fold_sum(k_folds, 0.0), fold_cnt(k_folds, 0.0);
    for (size_t i = 0; i < n; ++i) {
      fold_sum[fold[i]] += y_[i];
      fold_cnt[fold[i]] += 1;
    }
    const double total = std::accumulate(y_.begin(), y_.end(), 0.0);
    std::vector<double> fold_prior(k_folds, prior_);
    for (size_t f = 0; f < k_folds; ++f) {
      const double rest = static_cast<double>(n) - fold_cnt[f];
      if (rest > 0) fold_prior[f] = (total - fold_sum[f]) / rest;
    }
    for (size_t k = 0; k < columns_.size(); ++k) {
      const auto& codes = codes_[k];
      const size_t nv = vocabs_[k].size();
      // sums[v], cnts[v] over all rows; per fold [f * nv + v].
      std::vector<double> sum(nv, 0.0), cnt(nv, 0.0), fsum(k_folds * nv, 0.0),
          fcnt(k_folds * nv, 0.0);
      for (size_t i = 0; i < n; ++i) {
        if (codes[i] < 0) continue;
        const size_t v = static_cast<size_t>(codes[i]);
        sum[v] += y_[i];
        cnt[v] += 1;
        fsum[fold[i] * nv + v] += y_[i];
        fcnt[fold[i] * nv + v] += 1;
      }
      std::vector<double> out(n);
      for (size_t i = 0; i < n; ++i) {
        const size_t f = fold[i];
        if (codes[i] < 0) {
          out[i] = fold_prior[f];
          continue;
        }
        const size_t v = static_cast<size_t>(codes[i]);
        const double s = sum[v] - fsum[f * nv + v];
        const double c = cnt[v] - fcnt[f * nv + v];
        out[i] = c + smoothing_ > 0 ? (s + smoothing_ * fold_prior[f]) / (c + smoothing_)
                                    : fold_prior[f];
      }
      MLPIPE_RETURN_IF_ERROR(frame.Replace(static_cast<size_t>(frame.Find(columns_[k])),
                                           Column::Float64(columns_[k], std::move(out))));
    }
    codes_.clear();
    y_.clear();
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    for (size_t k = 0; k < columns_.size(); ++k) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* c,
                              RequireColumn(frame, name(), columns_[k], kAnyType, ""));
      const std::vector<int32_t> codes = MapToVocabulary(*c, vocabs_[k]);
      std::vector<double> out(codes.size());
      for (size_t i = 0; i < codes.size(); ++i) {
        out[i] = codes[i] >= 0 ? encodings_[k][static_cast<size_t>(codes[i])] : prior_;
      }
      MLPIPE_RETURN_IF_ERROR(frame.Replace(static_cast<size_t>(frame.Find(columns_[k])),
                                           Column::Float64(columns_[k], std::move(out))));
    }
    return Status::OK();
  }

 private:
  Result<std::vector<double>> TargetValues(const Column* target, size_t rows) const {
    if (target == nullptr) {
      return InvalidArgumentError(
          "target_encode: needs a target (pass the target column to FitTransform)");
    }
    if (target->size() != rows) {
      return InvalidArgumentError(
          fmt::format("target_encode: the target '{}' has {} rows, the "
                      "training data {}",
                      target->name(), target->size(), rows));
    }
    if (target->null_count() > 0) {
      return InvalidArgumentError(fmt::format(
          "target_encode: the target '{}' has {} missing values (drop those rows first)",
          target->name(), target->null_count()));
    }
    if (rows == 0) return InvalidArgumentError("target_encode: no training rows");
    if (table::IsNumeric(target->type())) return ValuesOrZero(*target);
    auto classes = CountValues(*target);
    std::string positive = positive_;
    if (positive.empty()) {
      if (classes.size() != 2) {
        return InvalidArgumentError(fmt::format(
            "target_encode: the target '{}' has {} classes; a text target needs exactly 2, or "
            "set 'positive' to encode one class against the rest",
            target->name(), classes.size()));
      }
      positive = classes[1].first;
    }
    std::vector<double> y(rows);
    for (size_t i = 0; i < rows; ++i) y[i] = target->TextAt(i) == positive ? 1.0 : 0.0;
    return y;
  }

  std::optional<std::vector<std::string>> requested_;
  double smoothing_ = 10;
  int n_folds_ = 5;
  std::string positive_;
  std::vector<std::string> columns_;
  double prior_ = 0;
  std::vector<Vocabulary> vocabs_;
  std::vector<std::vector<double>> encodings_;
  // Fit scratch, used by DoFitApply only.
  std::vector<double> y_;
  std::vector<std::vector<int32_t>> codes_;
};

}  // namespace

std::unique_ptr<Transform> NewTargetEncode() { return std::make_unique<TargetEncode>(); }

}  // namespace mlpipe::features::internal
