#include "run/stage_record.hpp"

#include "comm/agree.hpp"
#include "io/atomic_file.hpp"
#include "io/ini.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

namespace pk::pipeline {

namespace {
/// Options whose values a stage writes, never reads (and --config, listed by entry).
const std::set<std::string>& output_keys() {
  static const std::set<std::string> keys = {"config", "output", "out", "out_h5", "out_sdf", "json", "summary",
                                             "csv-dir", "dir", "checkpoint", "log"};
  return keys;
}

bool regular_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string hashed(const std::string& key, const std::string& path) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(comm::file_hash(path)));
  return "input " + key + " " + path + " " + hex + "\n";
}
}  // namespace

std::string stage_record(const std::string& name, const std::vector<std::string>& args, const std::string& config) {
  std::ostringstream record;
  record << "stage " << name << "\n";
  for (const auto& a : args) record << "arg " << a << "\n";
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i].rfind("--", 0) == 0 && !output_keys().count(args[i].substr(2)) && regular_file(args[i + 1]))
      record << hashed(args[i], args[i + 1]);
  if (!config.empty())
    for (const auto& e : io::read_ini(config)) {
      if (!(e.section.empty() || e.section == name)) continue;
      record << "config [" << e.section << "] " << e.key << " = " << e.value << "\n";
      if (!output_keys().count(e.key) && regular_file(e.value)) record << hashed(e.key, e.value);
    }
  return record.str();
}

std::string stage_record_path(const std::string& done_file, const std::string& name) {
  const auto slash = done_file.rfind('/');
  const std::string folder = slash == std::string::npos ? "." : done_file.substr(0, slash);
  return folder + "/stages/" + name + ".inputs";
}

bool stage_is_current(const std::string& done_file, const std::string& record_file, const std::string& record,
                      std::string& why) {
  why.clear();
  if (!regular_file(done_file)) return false;
  std::ifstream in(record_file);
  if (!in) {
    why = "recomputed: " + done_file + " exists but not " + record_file + " (what it was made from)";
    return false;
  }
  std::ostringstream old;
  old << in.rdbuf();
  if (old.str() == record) return true;
  std::istringstream a(old.str()), b(record);
  std::string was, now;
  for (;;) {
    const bool more_a = static_cast<bool>(std::getline(a, was)), more_b = static_cast<bool>(std::getline(b, now));
    if (!more_a) was = "(nothing)";
    if (!more_b) now = "(nothing)";
    if (was != now || (!more_a && !more_b)) break;
  }
  why = "recomputed: its inputs or options changed since " + done_file + " was written (" + record_file + ": '" +
        was + "', now '" + now + "')";
  return false;
}

bool write_stage_record(const std::string& record_file, const std::string& record, std::string& error) {
  try {
    const std::string folder = record_file.substr(0, record_file.rfind('/'));
    if (::mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST) {
      error = "cannot create " + folder;
      return false;
    }
    io::PendingFile pending(record_file);
    pending.write(record);
    pending.commit();
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

std::string file_identity(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return "";
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_size);
}

}  // namespace pk::pipeline
