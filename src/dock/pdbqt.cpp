// PDBQT reading: fixed-column ATOM/HETATM records (the columns Vina reads),
// the ligand torsion tree (ROOT/ENDROOT/BRANCH/ENDBRANCH/TORSDOF), MODEL /
// ENDMDL for multi-model ligand files, and the rigid receptor. Every error
// names the file and line and says what was expected.
#include "dock/molecule.hpp"

#include "core/error.hpp"
#include "dock/ligand_files.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace pk::dock {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

/// Columns [first, last] (1-based, inclusive) of `s`, "" past the end.
std::string columns(const std::string& s, std::size_t first, std::size_t last) {
  if (s.size() < first) return "";
  return s.substr(first - 1, last - first + 1);
}

bool starts_with(const std::string& s, const char* tag) { return s.rfind(tag, 0) == 0; }

/// The record name: the first whitespace-delimited word.
std::string record_of(const std::string& s) {
  std::istringstream in(s);
  std::string w;
  in >> w;
  return w;
}

double parse_number(const std::string& field, const std::string& what, const std::string& file, long line) {
  const std::string t = trim(field);
  char* end = nullptr;
  const double v = t.empty() ? 0.0 : std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size())
    throw InputError(file, line, "expected a number for " + what + ", got '" + t + "'");
  if (!std::isfinite(v)) throw InputError(file, line, "expected a finite number for " + what + ", got '" + t + "'");
  return v;
}

/// A coordinate: finite and within the ±1e5 Å the fixed columns can write
/// (a larger one would size the grids and neighbour cells from nonsense).
double parse_coordinate(const std::string& field, const std::string& what, const std::string& file, long line) {
  const double v = parse_number(field, what, file, line);
  if (std::abs(v) > 1e5)
    throw InputError(file, line, "coordinate " + what + " = '" + trim(field) + "' is beyond ±1e5 Å");
  return v;
}

long parse_integer(const std::string& field, const std::string& what, const std::string& file, long line) {
  const std::string t = trim(field);
  char* end = nullptr;
  const long v = t.empty() ? 0 : std::strtol(t.c_str(), &end, 10);
  if (t.empty() || end != t.c_str() + t.size())
    throw InputError(file, line, "expected an integer for " + what + ", got '" + t + "'");
  return v;
}

/// An ATOM/HETATM record in Vina's columns: serial 7-11, name 13-16,
/// x 31-38, y 39-46, z 47-54, charge 69-76, AutoDock type 78-79.
Atom parse_atom(const std::string& s, const std::string& file, long line) {
  if (s.size() < 54)
    throw InputError(file, line, "ATOM/HETATM record too short: expected coordinates in columns 31-54");
  Atom a;
  a.line = line;
  a.serial = static_cast<int>(parse_integer(columns(s, 7, 11), "the atom serial number (columns 7-11)", file, line));
  a.name = trim(columns(s, 13, 16));
  a.xyz[0] = parse_coordinate(columns(s, 31, 38), "x (columns 31-38, Å)", file, line);
  a.xyz[1] = parse_coordinate(columns(s, 39, 46), "y (columns 39-46, Å)", file, line);
  a.xyz[2] = parse_coordinate(columns(s, 47, 54), "z (columns 47-54, Å)", file, line);
  const std::string q = trim(columns(s, 69, 76));
  // Every PDBQT writer fills the charge; a blank one is a PDB record, whose
  // element symbol in columns 77-78 would be read as the AutoDock type
  // (no donor hydrogens, wrong XS types: a wrong score, not an error).
  if (q.empty())
    throw InputError(file, line,
                     "no partial charge in columns 69-76: this is a PDB record, not PDBQT (expected the charge in "
                     "columns 69-76 and the AutoDock type in 78-79; prepare a receptor with prepare_receptor (ADFR) "
                     "or Meeko, a ligand with `pandakinetics prepare`)");
  a.charge = parse_number(q, "the partial charge (columns 69-76)", file, line);
  a.ad_type = trim(columns(s, 78, 79));
  if (a.ad_type.empty())
    throw InputError(file, line, "missing AutoDock atom type: expected it in columns 78-79 (C, A, N, NA, OA, HD, ...)");
  double cov = 0;
  if (!detail::ad_type_info(a.ad_type, a.element, a.hydrogen, cov))
    throw InputError(file, line,
                     "unknown AutoDock atom type '" + a.ad_type +
                         "' (expected one of C A N NA O OA S SA Se P H HD F Cl Br I Si At Mg Mn Zn Ca Fe, or a metal "
                         "Cu Na K Hg Co U Cd Ni; types are case-sensitive)");
  return a;
}

bool ignored_record(const std::string& rec) {
  return rec.empty() || rec == "REMARK" || rec == "WARNING" || rec == "USER" || rec == "TER" || rec == "END" ||
         rec == "COMPND" || rec == "AUTHOR";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string s;
  while (std::getline(in, s)) {
    if (!s.empty() && s.back() == '\r') s.pop_back();
    lines.push_back(s);
  }
  return lines;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open file (expected a readable PDBQT file)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Builds one ligand from the lines [first, last) of a file.
class LigandBuilder {
 public:
  LigandBuilder(const std::vector<std::string>& lines, std::size_t first, std::size_t last, const std::string& file,
                int model)
      : lines_(lines), first_(first), last_(last), file_(file) {
    lig_.file = file;
    lig_.model = model;
  }

  Ligand build() {
    for (std::size_t i = first_; i < last_; ++i) line(i);
    const long end_line = static_cast<long>(last_);
    if (lig_.atoms.empty())
      throw InputError(file_, lig_.model > 0 || first_ > 0 ? static_cast<long>(first_) : 0,
                       "no ATOM/HETATM records: expected a PDBQT ligand (ROOT, atoms, ENDROOT, TORSDOF)");
    if (lig_.nodes.empty()) throw InputError(file_, lig_.atoms[0].line, "atom before ROOT: expected ROOT first");
    if (in_root_) throw InputError(file_, end_line, "ROOT is never closed: expected ENDROOT");
    if (!stack_.empty())
      throw InputError(file_, lig_.nodes[stack_.back()].line,
                       "BRANCH is never closed: expected a matching ENDBRANCH before the end of the ligand");
    if (!have_torsdof_) throw InputError(file_, end_line, "missing TORSDOF record at the end of the ligand");
    detail::finish_ligand(lig_);
    return std::move(lig_);
  }

 private:
  void line(std::size_t i) {
    const std::string& s = lines_[i];
    const long ln = static_cast<long>(i) + 1;
    lig_.text += s + "\n";
    const int text_line = text_lines_++;
    const std::string rec = record_of(s);
    if (ignored_record(rec)) return;
    if (have_torsdof_) throw InputError(file_, ln, "record '" + rec + "' after TORSDOF: expected the end of the ligand");
    if (starts_with(s, "ATOM") || starts_with(s, "HETATM")) {
      Atom a = parse_atom(s, file_, ln);
      if (!in_root_ && stack_.empty())
        throw InputError(file_, ln, "atom outside ROOT/ENDROOT and BRANCH/ENDBRANCH: expected it inside the torsion tree");
      if (serial_.count(a.serial))
        throw InputError(file_, ln, "atom serial " + std::to_string(a.serial) + " used twice (first on line " +
                                        std::to_string(lig_.atoms[serial_[a.serial]].line) + ")");
      const int idx = lig_.n_atoms();
      serial_[a.serial] = idx;
      const int node = in_root_ ? 0 : stack_.back();
      lig_.atoms.push_back(std::move(a));
      lig_.atom_text_line.push_back(text_line);
      lig_.atom_node.push_back(node);
      lig_.nodes[node].atoms.push_back(idx);
      if (node > 0 && lig_.atoms[idx].serial == branch_to_[node]) lig_.nodes[node].axis_to = idx;
    } else if (rec == "ROOT") {
      if (!lig_.nodes.empty()) throw InputError(file_, ln, "second ROOT: expected one ROOT per ligand");
      lig_.nodes.push_back(TreeNode{-1, -1, -1, {}, ln});
      branch_to_.push_back(-1);
      in_root_ = true;
    } else if (rec == "ENDROOT") {
      if (!in_root_) throw InputError(file_, ln, "ENDROOT without ROOT");
      if (lig_.nodes[0].atoms.empty()) throw InputError(file_, ln, "empty ROOT: expected at least one atom");
      in_root_ = false;
    } else if (rec == "BRANCH") {
      branch(s, ln);
    } else if (rec == "ENDBRANCH") {
      end_branch(s, ln);
    } else if (rec == "TORSDOF") {
      if (!stack_.empty()) {
        const int k = stack_.back();
        throw InputError(file_, lig_.nodes[k].line,
                         "BRANCH is never closed: expected ENDBRANCH " + std::to_string(branch_from_[k]) + " " +
                             std::to_string(branch_to_[k]) + " before TORSDOF (line " + std::to_string(ln) + ")");
      }
      if (in_root_ || lig_.nodes.empty())
        throw InputError(file_, ln, "TORSDOF inside ROOT: expected ENDROOT first");
      std::istringstream in(s.substr(7));
      std::string n;
      in >> n;
      lig_.torsdof = static_cast<int>(parse_integer(n, "TORSDOF", file_, ln));
      have_torsdof_ = true;
    } else {
      throw InputError(file_, ln,
                       "unknown record '" + rec +
                           "': expected ATOM, HETATM, ROOT, ENDROOT, BRANCH, ENDBRANCH, TORSDOF, MODEL, ENDMDL or REMARK");
    }
  }

  void two_serials(const std::string& s, long ln, const char* tag, long& a, long& b) {
    std::istringstream in(s.substr(std::string(tag).size()));
    std::string x, y, extra;
    in >> x >> y >> extra;
    if (x.empty() || y.empty() || !extra.empty())
      throw InputError(file_, ln, std::string("malformed ") + tag + ": expected '" + tag + " <atom serial> <atom serial>'");
    a = parse_integer(x, std::string(tag) + "'s first atom serial", file_, ln);
    b = parse_integer(y, std::string(tag) + "'s second atom serial", file_, ln);
  }

  void branch(const std::string& s, long ln) {
    if (in_root_ || lig_.nodes.empty()) throw InputError(file_, ln, "BRANCH before ENDROOT: expected ROOT ... ENDROOT first");
    long from = 0, to = 0;
    two_serials(s, ln, "BRANCH", from, to);
    const int parent = stack_.empty() ? 0 : stack_.back();
    // As Vina: the parent-side atom must already be listed in the enclosing node.
    int from_idx = -1;
    for (int a : lig_.nodes[parent].atoms)
      if (lig_.atoms[a].serial == from) from_idx = a;
    if (from_idx < 0)
      throw InputError(file_, ln, "BRANCH " + std::to_string(from) + " " + std::to_string(to) + ": no atom " +
                                      std::to_string(from) + " in the enclosing ROOT/BRANCH before this line");
    const int k = static_cast<int>(lig_.nodes.size());
    lig_.nodes.push_back(TreeNode{parent, from_idx, -1, {}, ln});
    branch_to_.push_back(static_cast<int>(to));
    branch_from_.resize(k + 1, -1);
    branch_from_[k] = static_cast<int>(from);
    stack_.push_back(k);
  }

  void end_branch(const std::string& s, long ln) {
    long from = 0, to = 0;
    two_serials(s, ln, "ENDBRANCH", from, to);
    if (stack_.empty()) throw InputError(file_, ln, "ENDBRANCH without an open BRANCH");
    const int k = stack_.back();
    if (from != branch_from_[k] || to != branch_to_[k])
      throw InputError(file_, ln, "ENDBRANCH " + std::to_string(from) + " " + std::to_string(to) +
                                      " does not match the open BRANCH " + std::to_string(branch_from_[k]) + " " +
                                      std::to_string(branch_to_[k]) + " (line " + std::to_string(lig_.nodes[k].line) + ")");
    if (lig_.nodes[k].axis_to < 0)
      throw InputError(file_, ln, "atom " + std::to_string(to) + " of BRANCH " + std::to_string(from) + " " +
                                      std::to_string(to) + " is not in the branch: expected it among the branch's atoms");
    stack_.pop_back();
  }

  const std::vector<std::string>& lines_;
  std::size_t first_, last_;
  std::string file_;
  Ligand lig_;
  std::map<int, int> serial_;
  std::vector<int> stack_;
  std::vector<int> branch_to_, branch_from_;
  bool in_root_ = false, have_torsdof_ = false;
  int text_lines_ = 0;
};

}  // namespace

std::vector<Ligand> parse_ligands(const std::string& text, const std::string& file) {
  const std::vector<std::string> lines = split_lines(text);
  std::vector<Ligand> out;
  // MODEL ... ENDMDL blocks, or the whole file.
  bool any_model = false;
  for (const auto& s : lines)
    if (record_of(s) == "MODEL") any_model = true;
  if (!any_model) {
    out.push_back(LigandBuilder(lines, 0, lines.size(), file, 0).build());
    return out;
  }
  std::size_t open = 0;
  bool in_model = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string rec = record_of(lines[i]);
    const long ln = static_cast<long>(i) + 1;
    if (rec == "MODEL") {
      if (in_model) throw InputError(file, ln, "MODEL inside MODEL: expected ENDMDL first");
      in_model = true;
      open = i + 1;
    } else if (rec == "ENDMDL") {
      if (!in_model) throw InputError(file, ln, "ENDMDL without MODEL");
      in_model = false;
      out.push_back(LigandBuilder(lines, open, i, file, static_cast<int>(out.size())).build());
    } else if (!in_model && !ignored_record(rec)) {
      throw InputError(file, ln, "record '" + rec + "' outside MODEL/ENDMDL in a multi-model file");
    }
  }
  if (in_model) throw InputError(file, static_cast<long>(lines.size()), "MODEL is never closed: expected ENDMDL");
  return out;
}

std::vector<Ligand> read_ligands(const std::string& path) {
  if (is_molecule_file(path)) return parse_ligands(molecule_file_pdbqt(path), path);  // prepared in-process
  const std::string text = read_file(path);
  if (trim(text).empty()) throw InputError(path, 0, "empty file: expected a PDBQT ligand (ROOT, atoms, ENDROOT, TORSDOF)");
  return parse_ligands(text, path);
}

Receptor read_receptor(const std::string& path) {
  const std::string text = read_file(path);
  const std::vector<std::string> lines = split_lines(text);
  Receptor rec;
  rec.file = path;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& s = lines[i];
    const long ln = static_cast<long>(i) + 1;
    const std::string r = record_of(s);
    if (starts_with(s, "ATOM") || starts_with(s, "HETATM")) {
      rec.atoms.push_back(parse_atom(s, path, ln));
    } else if (ignored_record(r) || r == "MODEL" || r == "ENDMDL" || r == "CRYST1" || r == "HEADER" ||
               r == "TITLE" || r == "CONECT" || r == "SEQRES" || r == "HETNAM" || r == "FORMUL") {
      continue;
    } else if (r == "ROOT" || r == "BRANCH" || r == "TORSDOF") {
      throw InputError(path, ln, "torsion-tree record '" + r + "' in a rigid receptor: expected a rigid PDBQT");
    } else {
      throw InputError(path, ln, "unknown record '" + r + "': expected ATOM, HETATM, TER, REMARK or END");
    }
  }
  if (rec.atoms.empty()) throw InputError(path, 0, "no ATOM/HETATM records: expected a receptor PDBQT");
  detail::type_receptor(rec);
  return rec;
}

std::string ligand_pdbqt_with_coords(const Ligand& lig, const std::vector<std::array<double, 3>>& xyz) {
  std::vector<std::string> lines = split_lines(lig.text);
  for (int a = 0; a < lig.n_atoms(); ++a) {
    std::string& s = lines[lig.atom_text_line[a]];
    char buf[32];
    std::snprintf(buf, sizeof buf, "%8.3f%8.3f%8.3f", xyz[a][0], xyz[a][1], xyz[a][2]);
    s.replace(30, 24, buf);
  }
  std::string out;
  for (const auto& s : lines) out += s + "\n";
  return out;
}

}  // namespace pk::dock
