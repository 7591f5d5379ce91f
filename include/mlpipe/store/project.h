// The project a command works in, and the stores it records into.
//
// A project is a folder holding `mlpipe.yaml` or `.mlpipe/`. Its embedded
// stores live in `.mlpipe/`: `meta.db` (SQLite metadata) and `objects/` (the
// content-addressed object store). `--store URI` points the metadata at
// another SQLite file or at PostgreSQL, whose objects stay in the project;
// with a tracking server (`--store http://HOST:PORT`) the objects are the
// server's too, and the project's folder is their local cache.
#pragma once

#include <memory>
#include <string>

#include "mlpipe/core/env.h"
#include "mlpipe/core/status.h"
#include "mlpipe/store/metadata_store.h"
#include "mlpipe/store/object_store.h"

namespace mlpipe::store {

struct ProjectLocation {
  std::string root;         // absolute project folder
  std::string meta_uri;     // SQLite path or postgresql:// URI
  std::string objects_dir;  // <root>/.mlpipe/objects
  bool exists = false;      // the folder already holds mlpipe.yaml or .mlpipe/
};

// Resolves the project: `project_flag` when given, else the nearest folder
// from `cwd` upwards holding mlpipe.yaml or .mlpipe/, else `cwd` itself (a new
// project, created on first write). `store_flag` overrides the metadata URI.
Result<ProjectLocation> LocateProject(const std::string& cwd, const std::string& project_flag,
                                      const std::string& store_flag);

// Both stores of a project, opened.
struct ProjectStores {
  ProjectLocation location;
  std::unique_ptr<MetadataStore> meta;
  std::unique_ptr<ObjectStore> objects;
};

// Opens (creating `.mlpipe/` when needed) the stores of `location`.
Result<ProjectStores> OpenProjectStores(core::Env* env, const ProjectLocation& location);

// The person or service acting: $MLPIPE_ACTOR, else the login name, else the uid.
std::string CurrentActor();

}  // namespace mlpipe::store
