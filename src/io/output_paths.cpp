#include "io/output_paths.hpp"

#include "core/error.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace pk::io {

namespace fs = std::filesystem;

namespace {

std::string in_quotes(const std::string& path) { return "'" + path + "'"; }

/// The folder a new or replaced file at `path` goes into.
std::string folder_of(const std::string& path, const PathIdentity& id) {
  const fs::path p = id.exists ? fs::path(id.canonical) : fs::path(path);
  const fs::path parent = p.parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

/// Throws pk::SystemError when no file can be written at `out`.
void check_writable(const std::string& command, const NamedPath& out) {
  const std::string where = command + ": cannot write " + out.option + " " + in_quotes(out.path) + ": ";
  const PathIdentity id = identify(out.path);
  struct stat st {};
  if (id.exists && ::stat(out.path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw SystemError(where + "it is a folder (expected a file name)");
    if (S_ISBLK(st.st_mode)) throw SystemError(where + "it is a block device");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return;  // streamed, no temporary
  }
  std::string folder = folder_of(out.path, id);
  if (::stat(folder.c_str(), &st) != 0) {
    const int err = errno;
    if (err == ENOENT && out.creates_folder) {
      // The command creates the missing folders: the nearest existing one must be a folder.
      fs::path p(folder);
      while (!p.empty() && p != p.root_path() && ::stat(p.string().c_str(), &st) != 0 && errno == ENOENT)
        p = p.parent_path();
      folder = p.empty() ? std::string(".") : p.string();
      if (::stat(folder.c_str(), &st) != 0)
        throw SystemError(where + "cannot inspect " + in_quotes(folder) + ": " + std::strerror(errno));
    } else if (err == ENOENT) {
      throw SystemError(where + "the folder " + in_quotes(folder) + " does not exist");
    } else if (err == ENOTDIR) {
      throw SystemError(where + "a part of " + in_quotes(folder) + " is a file, not a folder");
    } else {
      throw SystemError(where + "cannot inspect the folder " + in_quotes(folder) + ": " + std::strerror(err));
    }
  }
  if (!S_ISDIR(st.st_mode)) throw SystemError(where + in_quotes(folder) + " is not a folder");
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw SystemError(where + "the folder " + in_quotes(folder) + " is not writable: " + std::strerror(errno));
}

}  // namespace

PathIdentity identify(const std::string& path) {
  PathIdentity id;
  std::error_code ec;
  struct stat st {};
  if (!path.empty() && ::stat(path.c_str(), &st) == 0) {
    id.exists = true;
    id.device = static_cast<unsigned long long>(st.st_dev);
    id.inode = static_cast<unsigned long long>(st.st_ino);
    const fs::path c = fs::canonical(path, ec);
    id.canonical = ec ? fs::absolute(path, ec).lexically_normal().string() : c.string();
    return id;
  }
  // Missing: resolve the part that exists, then `..` and `.` of the rest.
  const fs::path abs = fs::absolute(path, ec);
  const fs::path c = fs::weakly_canonical(abs, ec);
  id.canonical = ec ? abs.lexically_normal().string() : c.lexically_normal().string();
  return id;
}

bool same_file(const PathIdentity& a, const PathIdentity& b) {
  if (a.exists && b.exists) return a.device == b.device && a.inode == b.inode;
  return a.exists == b.exists && a.canonical == b.canonical;
}

bool same_file(const std::string& a, const std::string& b) { return same_file(identify(a), identify(b)); }

bool inside_folder(const std::string& path, const std::string& folder) {
  std::string f = identify(folder).canonical;
  const std::string p = identify(path).canonical;
  if (f.empty() || p.empty()) return false;
  if (f.back() != '/') f += '/';
  return p.compare(0, f.size(), f) == 0;
}

void check_output_paths(const std::string& command, const std::vector<NamedPath>& inputs,
                        const std::vector<NamedPath>& outputs) {
  std::vector<PathIdentity> in_ids, out_ids;
  for (const auto& i : inputs) in_ids.push_back(identify(i.path));
  for (const auto& o : outputs) out_ids.push_back(identify(o.path));
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    if (outputs[k].path.empty()) continue;
    for (std::size_t i = 0; i < inputs.size(); ++i)
      if (!inputs[i].path.empty() && same_file(out_ids[k], in_ids[i]))
        throw UsageError(command + ": the output " + outputs[k].option + " " + in_quotes(outputs[k].path) +
                         " is the input " + inputs[i].option + " " + in_quotes(inputs[i].path) + " (" +
                         in_ids[i].canonical + "): refusing to overwrite an input; give the output another name");
    for (std::size_t j = 0; j < k; ++j)
      if (!outputs[j].path.empty() && same_file(out_ids[k], out_ids[j]))
        throw UsageError(command + ": the outputs " + outputs[j].option + " " + in_quotes(outputs[j].path) + " and " +
                         outputs[k].option + " " + in_quotes(outputs[k].path) + " are the same file (" +
                         out_ids[k].canonical + "): give each output its own name");
  }
  for (const auto& o : outputs)
    if (!o.path.empty()) check_writable(command, o);
}

void check_inputs_outside(const std::string& command, const std::vector<NamedPath>& inputs, const NamedPath& folder) {
  for (const auto& i : inputs)
    if (!i.path.empty() && inside_folder(i.path, folder.path))
      throw UsageError(command + ": the input " + i.option + " " + in_quotes(i.path) + " lies in " + in_quotes(folder.path) +
                       ", whose files " + folder.option + " replaces: refusing to overwrite an input; move it "
                       "or choose another output folder");
}

}  // namespace pk::io
