// Finding the project folder and opening its stores.
#include "mlpipe/store/project.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace mlpipe::store {
namespace {

namespace fs = std::filesystem;

bool IsProjectDir(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "mlpipe.yaml", ec) || fs::is_directory(dir / ".mlpipe", ec);
}

// A URI that is not a local path: PostgreSQL or a tracking server.
bool IsRemoteUri(const std::string& uri) {
  return uri.rfind("postgresql://", 0) == 0 || uri.rfind("postgres://", 0) == 0 ||
         uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

}  // namespace

Result<ProjectLocation> LocateProject(const std::string& cwd, const std::string& project_flag,
                                      const std::string& store_flag) {
  std::error_code ec;
  ProjectLocation loc;
  if (!project_flag.empty()) {
    fs::path p = fs::absolute(project_flag, ec);
    if (ec) return InvalidArgumentError("--project " + project_flag + ": " + ec.message());
    if (fs::exists(p, ec) && !fs::is_directory(p, ec)) {
      return InvalidArgumentError("--project " + project_flag + ": not a folder");
    }
    loc.root = p.lexically_normal().string();
    loc.exists = IsProjectDir(p);
  } else {
    fs::path start = fs::absolute(cwd, ec);
    if (ec) return InvalidArgumentError("cannot resolve the current folder: " + ec.message());
    loc.root = start.lexically_normal().string();
    for (fs::path d = start; !d.empty(); d = d.parent_path()) {
      if (IsProjectDir(d)) {
        loc.root = d.lexically_normal().string();
        loc.exists = true;
        break;
      }
      if (d == d.root_path()) break;
    }
  }
  while (loc.root.size() > 1 && loc.root.back() == '/') loc.root.pop_back();
  loc.objects_dir = loc.root + "/.mlpipe/objects";
  if (store_flag.empty()) {
    loc.meta_uri = loc.root + "/.mlpipe/meta.db";
  } else if (IsRemoteUri(store_flag)) {
    loc.meta_uri = store_flag;
  } else {
    loc.meta_uri = fs::absolute(store_flag, ec).string();
    if (ec) return InvalidArgumentError("--store " + store_flag + ": " + ec.message());
  }
  return loc;
}

Result<ProjectStores> OpenProjectStores(core::Env* env, const ProjectLocation& location) {
  MLPIPE_RETURN_IF_ERROR(env->CreateDirs(location.root + "/.mlpipe"));
  ProjectStores s;
  s.location = location;
  auto meta = OpenMetadataStore(location.meta_uri, env);
  if (!meta.ok()) return meta.status().WithContext("store " + location.meta_uri);
  s.meta = std::move(meta).value();
  s.objects = std::make_unique<ObjectStore>(env, location.objects_dir);
  // Behind a tracking server the objects live there too, so that every
  // machine logging into it can read them; the project's folder caches them.
  if (location.meta_uri.rfind("http://", 0) == 0) {
    auto remote = OpenHttpObjectRemote(location.meta_uri);
    if (!remote.ok()) return remote.status().WithContext("store " + location.meta_uri);
    s.objects->SetRemote(*std::move(remote));
  }
  return s;
}

std::string CurrentActor() {
  if (const char* a = std::getenv("MLPIPE_ACTOR"); a != nullptr && *a != '\0') return a;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid:" + std::to_string(geteuid());
}

}  // namespace mlpipe::store
