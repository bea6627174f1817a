#include "prep/ligand_source.hpp"

#include "core/error.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

namespace pk::prep {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

LigandFormat format_of(const std::string& path) {
  std::string name = lower(path);
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  for (const char* ext : {".smi", ".smiles", ".ism", ".can"})
    if (ends_with(name, ext)) return LigandFormat::kSmiles;
  for (const char* ext : {".sdf", ".sd", ".mol"})
    if (ends_with(name, ext)) return LigandFormat::kSdf;
  if (ends_with(name, ".mol2")) return LigandFormat::kMol2;
  throw UsageError("pandakinetics prepare: " + path +
                   ": unknown ligand format: expected .smi/.smiles, .sdf/.sd/.mol or .mol2 (optionally .gz)");
}

const char* format_name(LigandFormat format) {
  switch (format) {
    case LigandFormat::kSmiles: return "SMILES";
    case LigandFormat::kSdf: return "SDF";
    case LigandFormat::kMol2: return "MOL2";
  }
  return "?";
}

// zlib reads plain files through the same calls (gzopen is transparent).
struct LigandSource::Gz {
  gzFile file = nullptr;
  std::vector<char> buffer = std::vector<char>(1 << 16);
  ~Gz() {
    if (file) gzclose(file);
  }
};

LigandSource::LigandSource(const std::string& path) : path_(path), format_(format_of(path)), gz_(new Gz) {
  gz_->file = gzopen(path.c_str(), "rb");
  if (!gz_->file)
    throw InputError(path, 0, std::string("cannot open ligand file: ") + (errno ? std::strerror(errno) : "out of memory"));
  gzbuffer(gz_->file, 1 << 17);
}

LigandSource::~LigandSource() = default;

bool LigandSource::next_line(std::string& line) {
  line.clear();
  for (;;) {
    char* got = gzgets(gz_->file, gz_->buffer.data(), static_cast<int>(gz_->buffer.size()));
    if (!got) {
      int err = 0;
      const char* msg = gzerror(gz_->file, &err);
      if (err != Z_OK && err != Z_BUF_ERROR) throw InputError(path_, line_ + 1, std::string("read error: ") + msg);
      if (line.empty()) return false;
      break;  // a last line without a newline
    }
    line.append(got);
    if (!line.empty() && line.back() == '\n') break;
  }
  ++line_;
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return true;
}

bool LigandSource::next(LigandRecord& record) {
  record = LigandRecord{};
  record.format = format_;
  bool got = false;
  switch (format_) {
    case LigandFormat::kSmiles: got = next_smiles(record); break;
    case LigandFormat::kSdf: got = next_sdf(record); break;
    case LigandFormat::kMol2: got = next_mol2(record); break;
  }
  if (got) record.number = ++records_;
  return got;
}

// One molecule per line: "SMILES [name ...]"; blank lines and lines starting
// with '#' are skipped, and so is a first line whose first word is "smiles"
// (a column header).
bool LigandSource::next_smiles(LigandRecord& record) {
  std::string line;
  while (next_line(line)) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const auto space = t.find_first_of(" \t");
    const std::string smiles = t.substr(0, space);
    if (line_ == 1 && lower(smiles) == "smiles") continue;
    record.line = line_;
    record.text = smiles;
    if (space != std::string::npos) record.name = trim(t.substr(space));
    return true;
  }
  return false;
}

// Molfile blocks ended by "$$$$" (the last one may lack it: a .mol file).
bool LigandSource::next_sdf(LigandRecord& record) {
  std::string line;
  bool any = false;
  while (next_line(line)) {
    if (line.compare(0, 4, "$$$$") == 0) {
      if (any) return true;
      record = LigandRecord{};  // an empty record ("$$$$" twice): counted as a record with no text
      record.format = format_;
      record.line = line_;
      return true;
    }
    if (!any) {
      record.line = line_;
      record.name = trim(line);
      any = true;
    }
    record.text += line;
    record.text += '\n';
  }
  return any && !trim(record.text).empty();
}

// Records start at "@<TRIPOS>MOLECULE"; the line after it is the name.
bool LigandSource::next_mol2(LigandRecord& record) {
  std::string line;
  if (have_pending_) {
    line = pending_;
    have_pending_ = false;
  } else {
    for (;;) {
      if (!next_line(line)) return false;
      if (line.compare(0, 17, "@<TRIPOS>MOLECULE") == 0) break;
    }
  }
  record.line = line_;
  record.text = line + '\n';
  bool name_next = true;
  while (next_line(line)) {
    if (line.compare(0, 17, "@<TRIPOS>MOLECULE") == 0) {
      pending_ = line;
      have_pending_ = true;
      break;
    }
    if (name_next) {
      record.name = trim(line);
      name_next = false;
    }
    record.text += line;
    record.text += '\n';
  }
  return true;
}

}  // namespace pk::prep
