// The entries of the family table, one function per family, each defined in
// the family's own file. Internal to src/models; family_table.cc lists them.
#pragma once

#include "mlpipe/models/family_table.h"

namespace mlpipe::models {

ModelFamily LogregFamily();  // logreg.cc
ModelFamily LinearFamily();  // linear.cc
ModelFamily RidgeFamily();   // linear.cc
ModelFamily GbdtFamily();    // gbdt.cc
ModelFamily RfFamily();      // forest.cc
ModelFamily TreeFamily();    // single_tree.cc

}  // namespace mlpipe::models
