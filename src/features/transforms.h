// Internal: the factory of every transform, defined in its family's file and
// listed in TransformTable() (transform.cc).
#pragma once

#include <memory>

#include "mlpipe/features/transform.h"

namespace mlpipe::features::internal {

std::unique_ptr<Transform> NewImpute();             // impute.cc
std::unique_ptr<Transform> NewScale();              // scale.cc
std::unique_ptr<Transform> NewClip();               // clip.cc
std::unique_ptr<Transform> NewLog1p();              // clip.cc
std::unique_ptr<Transform> NewBin();                // bin.cc
std::unique_ptr<Transform> NewOneHot();             // one_hot.cc
std::unique_ptr<Transform> NewDummy();              // one_hot.cc
std::unique_ptr<Transform> NewOrdinal();            // ordinal.cc
std::unique_ptr<Transform> NewHash();               // hash_encode.cc
std::unique_ptr<Transform> NewTargetEncode();       // target_encode.cc
std::unique_ptr<Transform> NewExpression();         // expression.cc
std::unique_ptr<Transform> NewSelect();             // select.cc
std::unique_ptr<Transform> NewDrop();               // select.cc
std::unique_ptr<Transform> NewVarianceThreshold();  // select.cc
std::unique_ptr<Transform> NewCorrelationFilter();  // correlation_filter.cc
std::unique_ptr<Transform> NewPca();                // pca.cc

}  // namespace mlpipe::features::internal
