#include "mlpipe/models/family_table.h"

#include <algorithm>

#include "families.h"
#include "mlpipe/core/suggest.h"
#include "model_common.h"

namespace mlpipe::models {

bool ModelFamily::Supports(Task task) const {
  return std::find(tasks.begin(), tasks.end(), task) != tasks.end();
}

const std::vector<ModelFamily>& ModelFamilies() {
  static const std::vector<ModelFamily> kFamilies = {
      LogregFamily(), LinearFamily(), RidgeFamily(), GbdtFamily(), RfFamily(), TreeFamily(),
  };
  return kFamilies;
}

Result<const ModelFamily*> FindModelFamily(std::string_view name) {
  std::string valid;
  std::vector<std::string> names;
  for (const ModelFamily& f : ModelFamilies()) {
    if (f.name == name) return &f;
    valid += (valid.empty() ? "" : ", ") + f.name;
    names.push_back(f.name);
  }
  return NotFoundError("unknown model family '" + std::string(name) + "'" +
                       core::DidYouMean(name, names) + "; valid: " + valid);
}

Result<std::unique_ptr<Model>> FitModel(std::string_view family, const Dataset& train,
                                        const FitOptions& options) {
  MLPIPE_ASSIGN_OR_RETURN(const ModelFamily* f, FindModelFamily(family));
  return f->factory()->Fit(train, options);
}

Result<std::unique_ptr<Model>> LoadModel(std::string_view bytes) {
  MLPIPE_ASSIGN_OR_RETURN(core::Json saved, core::ParseJson(bytes, "model"));
  MLPIPE_ASSIGN_OR_RETURN(std::string name, core::GetField<std::string>(saved, "name", "model"));
  auto family = FindModelFamily(name);
  if (!family.ok()) return InvalidArgumentError("model: " + family.status().message());
  return (*family)->factory()->Load(saved);
}

}  // namespace mlpipe::models
