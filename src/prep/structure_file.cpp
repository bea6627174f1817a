#include "prep/structure_file.hpp"

#include "core/error.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>

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

std::string capitalised(std::string s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<char>(i == 0 ? std::toupper(static_cast<unsigned char>(s[i]))
                                    : std::tolower(static_cast<unsigned char>(s[i])));
  return s;
}

std::vector<std::string> read_lines(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw InputError(path, 0, std::string("cannot open structure file: ") + std::strerror(errno));
  std::string text;
  std::vector<char> buf(1 << 16);
  for (;;) {
    const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
    if (n < 0) {
      int err = 0;
      const std::string msg = gzerror(f, &err);
      gzclose(f);
      throw InputError(path, 0, "read error: " + msg);
    }
    if (n == 0) break;
    text.append(buf.data(), static_cast<std::size_t>(n));
  }
  gzclose(f);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string l = text.substr(start, end - start);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    lines.push_back(std::move(l));
    start = end + 1;
  }
  return lines;
}

double number(const std::string& field, const char* what, const std::string& path, long line) {
  const std::string t = trim(field);
  char* end = nullptr;
  errno = 0;
  const double v = t.empty() ? NAN : std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v))
    throw InputError(path, line, std::string("malformed ") + what + " '" + t + "': expected a finite number");
  return v;
}

// Two-letter element symbols that a HETATM name may start with (ions).
bool two_letter_element(const std::string& s) {
  static const char* known[] = {"ZN", "MG", "CA", "FE", "MN", "CU", "NI", "CO", "CD", "NA", "HG", "CL", "BR", "SE", "LI", "SR", "BA", "CS", "RB", "AL", "GA", "PT", "AU", "AG", "PB", "YB", "SM", "GD", "TB", "EU", "IR", "OS", "RU", "RH", "PD", "MO", "TL", "AS", "SI", "CR", "V"};
  for (const char* k : known)
    if (s == k) return true;
  return false;
}

std::string element_from_name(const std::string& field, bool hetatm, const std::string& residue) {
  std::string f = field;
  f.resize(4, ' ');
  if (f[0] == ' ' || std::isdigit(static_cast<unsigned char>(f[0]))) return capitalised(std::string(1, f[1]));
  const std::string two = f.substr(0, 2);
  if (hetatm && (two_letter_element(two) || trim(residue) == trim(two))) return capitalised(two);
  return capitalised(std::string(1, f[0]));
}

void read_pdb(const std::vector<std::string>& lines, Structure& s) {
  bool in_later_model = false;
  int models = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    const long ln = static_cast<long>(i) + 1;
    if (l.compare(0, 5, "MODEL") == 0) {
      in_later_model = ++models > 1;
      continue;
    }
    if (l.compare(0, 6, "ENDMDL") == 0) continue;
    const bool atom = l.compare(0, 6, "ATOM  ") == 0 || l.compare(0, 4, "ATOM") == 0;
    const bool het = l.compare(0, 6, "HETATM") == 0;
    if ((!atom && !het) || in_later_model) continue;
    if (l.size() < 54)
      throw InputError(s.path, ln, "short " + std::string(het ? "HETATM" : "ATOM") + " record (" +
                                       std::to_string(l.size()) + " characters): expected coordinates in columns 31-54");
    StructureAtom a;
    a.hetatm = het;
    a.line = ln;
    a.name_field = l.substr(12, 4);
    a.name = trim(a.name_field);
    a.altloc = l[16];
    a.residue = trim(l.substr(17, 3));
    a.chain = std::string(1, l[21]);
    a.resseq = static_cast<int>(number(l.substr(22, 4), "residue number (columns 23-26)", s.path, ln));
    a.icode = l[26];
    a.xyz = {number(l.substr(30, 8), "x coordinate (columns 31-38)", s.path, ln),
             number(l.substr(38, 8), "y coordinate (columns 39-46)", s.path, ln),
             number(l.substr(46, 8), "z coordinate (columns 47-54)", s.path, ln)};
    if (l.size() >= 60 && !trim(l.substr(54, 6)).empty())
      a.occupancy = number(l.substr(54, 6), "occupancy (columns 55-60)", s.path, ln);
    a.element = l.size() >= 78 ? capitalised(trim(l.substr(76, 2))) : std::string();
    if (a.element.empty()) a.element = element_from_name(a.name_field, het, a.residue);
    if (a.name.empty()) throw InputError(s.path, ln, "empty atom name (columns 13-16)");
    s.atoms.push_back(std::move(a));
  }
  s.models = std::max(models, 1);
}

// mmCIF: the _atom_site loop. Values are whitespace-separated tokens, quoted
// with ' or " where they hold spaces; a row may span lines.
std::vector<std::string> cif_tokens(const std::string& l) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < l.size()) {
    if (std::isspace(static_cast<unsigned char>(l[i]))) {
      ++i;
      continue;
    }
    if (l[i] == '\'' || l[i] == '"') {
      const char q = l[i];
      std::size_t j = i + 1;
      while (j < l.size() && !(l[j] == q && (j + 1 == l.size() || std::isspace(static_cast<unsigned char>(l[j + 1])))))
        ++j;
      out.push_back(l.substr(i + 1, j - i - 1));
      i = j + 1;
    } else {
      std::size_t j = i;
      while (j < l.size() && !std::isspace(static_cast<unsigned char>(l[j]))) ++j;
      out.push_back(l.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

void read_cif(const std::vector<std::string>& lines, Structure& s) {
  std::size_t i = 0;
  std::vector<std::string> items;
  for (; i < lines.size(); ++i) {
    if (trim(lines[i]) != "loop_") continue;
    std::size_t j = i + 1;
    items.clear();
    while (j < lines.size() && lines[j].compare(0, 11, "_atom_site.") == 0) items.push_back(trim(lines[j++].substr(11)));
    if (!items.empty()) {
      i = j;
      break;
    }
  }
  if (items.empty()) throw InputError(s.path, 0, "no _atom_site loop: expected an mmCIF coordinate file");
  std::map<std::string, int> col;
  for (std::size_t k = 0; k < items.size(); ++k) col[items[k]] = static_cast<int>(k);
  const auto need = [&](std::initializer_list<const char*> names) {
    for (const char* n : names)
      if (col.count(n)) return col[n];
    return -1;
  };
  const int group = need({"group_PDB"}), symbol = need({"type_symbol"}), atom = need({"auth_atom_id", "label_atom_id"}),
            alt = need({"label_alt_id"}), comp = need({"auth_comp_id", "label_comp_id"}),
            chain = need({"auth_asym_id", "label_asym_id"}), seq = need({"auth_seq_id", "label_seq_id"}),
            ins = need({"pdbx_PDB_ins_code"}), x = need({"Cartn_x"}), y = need({"Cartn_y"}), z = need({"Cartn_z"}),
            occ = need({"occupancy"}), model = need({"pdbx_PDB_model_num"});
  s.groups_given = group >= 0;
  if (atom < 0 || comp < 0 || x < 0 || y < 0 || z < 0)
    throw InputError(s.path, static_cast<long>(i), "the _atom_site loop lacks atom_id, comp_id or Cartn_x/y/z");
  std::vector<std::string> row;
  long row_line = 0;
  std::string first_model;
  std::map<std::string, bool> models_seen;
  const auto value = [&](int c) -> std::string {
    if (c < 0) return {};
    const std::string& v = row[static_cast<std::size_t>(c)];
    return v == "." || v == "?" ? std::string() : v;
  };
  for (; i < lines.size(); ++i) {
    const std::string t = trim(lines[i]);
    if (t.empty()) continue;
    if (t[0] == '#' || t[0] == '_' || t.compare(0, 5, "loop_") == 0 || t.compare(0, 5, "data_") == 0) break;
    if (row.empty()) row_line = static_cast<long>(i) + 1;
    for (auto& tok : cif_tokens(lines[i])) row.push_back(std::move(tok));
    if (row.size() < items.size()) continue;
    if (row.size() > items.size())
      throw InputError(s.path, row_line, "an _atom_site row of " + std::to_string(row.size()) + " values: expected " +
                                             std::to_string(items.size()));
    const std::string m = value(model);
    models_seen[m] = true;
    if (first_model.empty()) first_model = m;
    if (m == first_model) {
      StructureAtom a;
      a.line = row_line;
      a.hetatm = value(group) == "HETATM";
      a.name = value(atom);
      const std::string a_alt = value(alt);
      a.altloc = a_alt.empty() ? ' ' : a_alt[0];
      a.residue = value(comp);
      a.chain = value(chain);
      const std::string sq = value(seq);
      a.resseq = sq.empty() ? 0 : static_cast<int>(number(sq, "residue number (auth_seq_id)", s.path, row_line));
      const std::string ic = value(ins);
      a.icode = ic.empty() ? ' ' : ic[0];
      a.xyz = {number(value(x), "Cartn_x", s.path, row_line), number(value(y), "Cartn_y", s.path, row_line),
               number(value(z), "Cartn_z", s.path, row_line)};
      if (!value(occ).empty()) a.occupancy = number(value(occ), "occupancy", s.path, row_line);
      a.element = capitalised(value(symbol));
      if (a.name.empty()) throw InputError(s.path, row_line, "empty atom_id");
      if (a.element.empty()) a.element = capitalised(a.name.substr(0, 1));
      a.name_field = (a.name.size() < 4 && a.element.size() == 1 ? " " : "") + a.name;
      a.name_field.resize(4, ' ');
      s.atoms.push_back(std::move(a));
    }
    row.clear();
  }
  if (!row.empty()) throw InputError(s.path, row_line, "the last _atom_site row is incomplete");
  s.models = std::max<int>(1, static_cast<int>(models_seen.size()));
}

}  // namespace

bool is_mmcif_name(const std::string& path) {
  std::string name = lower(path);
  if (ends_with(name, ".gz")) name.resize(name.size() - 3);
  const bool cif = ends_with(name, ".cif") || ends_with(name, ".mmcif");
  if (!cif && !ends_with(name, ".pdb") && !ends_with(name, ".ent"))
    throw UsageError("pandakinetics prepare: " + path + ": unknown receptor format: expected .pdb/.ent or .cif/.mmcif (optionally .gz)");
  return cif;
}

Structure read_structure(const std::string& path) {
  const bool cif = is_mmcif_name(path);
  Structure s;
  s.path = path;
  const std::vector<std::string> lines = read_lines(path);
  if (cif) read_cif(lines, s); else read_pdb(lines, s);
  if (s.atoms.empty()) throw InputError(path, 0, cif ? "no atoms in the _atom_site loop" : "no ATOM/HETATM records: expected a PDB file");
  return s;
}

}  // namespace pk::prep
