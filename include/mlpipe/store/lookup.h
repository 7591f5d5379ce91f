// Finding records by the references people type: a run by its id or a unique
// prefix of it, and a lineage node by MODEL@V, MODEL@ALIAS or DATASET@V. The
// command line and the tracking server resolve references the same way.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {

// The run `id`: a full run id, or a prefix of 4 to 31 characters that exactly
// one run id starts with. The prefix is matched literally ('%', '_' and '\'
// are not wildcards): it reaches SQL as a bound parameter of the run query,
// escaped for LIKE. A prefix two or more runs share is kInvalidArgument
// listing them (up to 10); no match is GetRun's kNotFound for `id`.
Result<Run> ResolveRun(MetadataStore& meta, const std::string& id);

// Escapes `text` as a run-query string literal for LIKE: quoted, with `'`
// doubled and `%`, `_`, `\` made literal by a backslash (run_query.h).
std::string LikeLiteral(std::string_view text);

enum class LineageKind { kAuto, kModel, kDataset };

// A node of the lineage graph: kind ("model" or "dataset") and "NAME@V".
struct LineageNode {
  std::string kind;
  std::string name;
};

// Resolves `ref` to a lineage node: a model version first (MODEL@V,
// MODEL@ALIAS, MODEL meaning its latest version), then a data version
// (DATASET@V, DATASET meaning its latest), unless `kind` says which. kNotFound
// naming both attempts when it is neither; a malformed ref is kInvalidArgument.
Result<LineageNode> ResolveLineageNode(MetadataStore& meta, const std::string& ref,
                                       LineageKind kind);

// The registered model `name`; kNotFound listing the models there are.
Result<RegisteredModel> FindModel(MetadataStore& meta, const std::string& name);

// The version each alias holds after `moves` (in time order, as AliasHistory
// returns them): with AliasHistory(model, at), the aliases as they were at
// `at`. An alias whose last move removed it is absent.
std::map<std::string, int64_t> AliasesAfter(const std::vector<AliasMove>& moves);

// The lineage walk from `node` (MetadataStore::Lineage), where a version that
// exists but has nothing recorded about it is a graph of that one node.
Result<LineageGraph> LineageOf(MetadataStore& meta, const LineageNode& node, bool downstream);

}  // namespace mlpipe::store
