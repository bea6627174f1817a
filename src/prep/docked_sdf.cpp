#include "prep/docked_sdf.hpp"

#include "prep/detail/identity.hpp"

#include <Eigen/Dense>
#include <GraphMol/Conformer.h>
#include <GraphMol/FileParsers/FileParsers.h>

#include <set>
#include <sstream>

namespace pk::prep {

namespace {

using Vec3 = Eigen::Vector3d;

Vec3 vec(const RDGeom::Point3D& p) { return {p.x, p.y, p.z}; }
Vec3 vec(const std::array<double, 3>& p) { return {p[0], p[1], p[2]}; }

// The rigid motion (rotation R, translation t) that best takes the points
// `from` onto `to` (least squares, Kabsch), so that x -> R x + t.
struct Motion {
  Eigen::Matrix3d r = Eigen::Matrix3d::Identity();
  Vec3 t = Vec3::Zero();
};

Motion fit(const std::vector<Vec3>& from, const std::vector<Vec3>& to) {
  Motion m;
  const double n = static_cast<double>(from.size());
  Vec3 cf = Vec3::Zero(), ct = Vec3::Zero();
  for (std::size_t i = 0; i < from.size(); ++i) cf += from[i], ct += to[i];
  cf /= n;
  ct /= n;
  Eigen::Matrix3d h = Eigen::Matrix3d::Zero();
  for (std::size_t i = 0; i < from.size(); ++i) h += (from[i] - cf) * (to[i] - ct).transpose();
  Eigen::JacobiSVD<Eigen::Matrix3d> svd(h, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3d d = Eigen::Matrix3d::Identity();
  if ((svd.matrixV() * svd.matrixU().transpose()).determinant() < 0) d(2, 2) = -1;  // no reflection
  m.r = svd.matrixV() * d * svd.matrixU().transpose();
  m.t = ct - m.r * cf;
  return m;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

SdProperties sd_properties(const std::string& record_text) {
  SdProperties out;
  std::istringstream in(record_text);
  std::string line;
  bool after_block = false;
  const auto next = [&](std::string& l) {
    if (!std::getline(in, l)) return false;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    return true;
  };
  while (next(line)) {
    if (!after_block) {
      after_block = line.compare(0, 6, "M  END") == 0;
      continue;
    }
    if (line.empty() || line[0] != '>') continue;
    const auto open = line.find('<');
    const auto close = open == std::string::npos ? std::string::npos : line.find('>', open);
    if (close == std::string::npos) continue;  // a header without a name
    std::string name = line.substr(open + 1, close - open - 1), value;
    bool first = true;
    while (next(line) && !trim(line).empty()) {
      value += (first ? "" : "\n") + line;
      first = false;
    }
    out.emplace_back(std::move(name), std::move(value));
  }
  return out;
}

std::string docked_sdf(const PreparedMolecule& molecule, const std::vector<DockedPose>& poses) {
  if (!molecule.identity) throw PrepareError("no molecule kept for " + molecule.ligand.name + " (prepare_molecule keeps it)");
  const detail::MoleculeIdentity& id = *molecule.identity;
  const std::size_t n_written = id.written_atom.size();
  RDKit::RWMol mol(*id.mol);
  mol.setProp(RDKit::common_properties::_Name, id.name);
  const RDKit::Conformer& given = id.mol->getConformer();
  std::string out;
  for (std::size_t p = 0; p < poses.size(); ++p) {
    const DockedPose& pose = poses[p];
    if (pose.xyz.size() != n_written)
      throw PrepareError("pose " + std::to_string(p + 1) + " of " + id.name + " has " + std::to_string(pose.xyz.size()) +
                         " atoms: expected the prepared PDBQT's " + std::to_string(n_written));
    RDKit::Conformer& conf = mol.getConformer();
    for (std::size_t k = 0; k < n_written; ++k)
      conf.setAtomPos(id.written_atom[k], RDGeom::Point3D(pose.xyz[k][0], pose.xyz[k][1], pose.xyz[k][2]));
    std::vector<Motion> motion(id.rigid_sets.size());
    for (std::size_t b = 0; b < id.rigid_sets.size(); ++b) {
      std::vector<Vec3> from, to;
      for (int k : id.rigid_sets[b]) {
        from.push_back(vec(given.getAtomPos(id.written_atom[k])));
        to.push_back(vec(pose.xyz[k]));
      }
      motion[b] = fit(from, to);
    }
    for (unsigned a = 0; a < mol.getNumAtoms(); ++a) {
      const int b = id.carried_by[a];
      if (b < 0) continue;
      const Vec3 x = motion[b].r * vec(given.getAtomPos(a)) + motion[b].t;
      conf.setAtomPos(a, RDGeom::Point3D(x[0], x[1], x[2]));
    }
    out += RDKit::MolToMolBlock(mol, true, -1, false);
    std::set<std::string> replaced;
    for (const auto& [k, v] : pose.properties) replaced.insert(k);
    for (const auto& [k, v] : id.properties)
      if (!replaced.count(k)) out += "> <" + k + ">\n" + v + "\n\n";
    for (const auto& [k, v] : pose.properties) out += "> <" + k + ">\n" + v + "\n\n";
    out += "$$$$\n";
  }
  return out;
}

}  // namespace pk::prep
