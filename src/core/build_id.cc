// BuildId: the GNU build-ID note of the loaded object holding this code, found
// through dl_iterate_phdr (no file is read), else a hash of that file.
#include "mlpipe/core/build_id.h"

#include <elf.h>
#include <link.h>

#include <cstdint>
#include <cstring>

#include "mlpipe/core/env.h"
#include "mlpipe/core/sha256.h"

namespace mlpipe::core {
namespace {

struct Search {
  uintptr_t address = 0;  // of code in this object
  bool found = false;
  std::string path;  // the object's file ("" for the main program)
  std::string id;    // hex build ID, "" when the object has none
};

std::string Hex(const unsigned char* p, size_t n) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// The build ID in one PT_NOTE segment, or "".
std::string BuildIdNote(const char* p, size_t size, size_t align) {
  const char* end = p + size;
  auto pad = [align](size_t n) { return (n + align - 1) & ~(align - 1); };
  while (p + sizeof(ElfW(Nhdr)) <= end) {
    const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
    const char* name = p + sizeof(ElfW(Nhdr));
    const char* desc = name + pad(note->n_namesz);
    if (desc + note->n_descsz > end) break;
    if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 &&
        std::memcmp(name, "GNU", 4) == 0) {
      return Hex(reinterpret_cast<const unsigned char*>(desc), note->n_descsz);
    }
    p = desc + pad(note->n_descsz);
  }
  return "";
}

int Visit(struct dl_phdr_info* info, size_t, void* data) {
  auto* s = static_cast<Search*>(data);
  bool holds = false;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + ph.p_vaddr;
    if (ph.p_type == PT_LOAD && s->address >= start && s->address < start + ph.p_memsz) {
      holds = true;
    }
  }
  if (!holds) return 0;
  s->found = true;
  s->path = info->dlpi_name != nullptr ? info->dlpi_name : "";
  for (int i = 0; i < info->dlpi_phnum && s->id.empty(); ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    s->id = BuildIdNote(reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr), ph.p_memsz,
                        ph.p_align == 8 ? 8 : 4);
  }
  return 1;
}

std::string Compute() {
  Search s;
  s.address = reinterpret_cast<uintptr_t>(&Compute);
  dl_iterate_phdr(Visit, &s);
  if (!s.id.empty()) return s.id;
  const std::string path = s.path.empty() ? "/proc/self/exe" : s.path;
  auto hash = Sha256File(Env::Default(), path);
  return hash.ok() ? "sha256:" + *hash : "";
}

}  // namespace

const std::string& BuildId() {
  static const std::string id = Compute();
  return id;
}

}  // namespace mlpipe::core
