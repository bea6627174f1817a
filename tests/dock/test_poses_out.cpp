// The output writers read back by independent tools: AutoDock Vina's
// vina_split (PDBQT), Open Babel and RDKit (SDF), h5py (poses HDF5), through
// check_dock_outputs.py. Poses here are the Vina test ligand moved rigidly by
// known amounts, so the expected coordinates are known exactly.
#include "dock/poses_out.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

// Paths in the source tree (a generated header: nvcc_wrapper mangles quoted -D strings).
#include "core/source_paths.hpp"
#define PK_DOCK_LIGAND PK_SOURCE_DIR "/inputs/dock/ligand.pdbqt"
#define PK_DOCK_CHECKER PK_SOURCE_DIR "/tests/dock/check_dock_outputs.py"

namespace {

pk::dock::LigandOutput test_ligand() {
  std::ifstream in(PK_DOCK_LIGAND);
  std::stringstream text;
  text << in.rdbuf();
  pk::dock::LigandOutput lig;
  lig.name = "ligand";
  lig.source = PK_DOCK_LIGAND;
  lig.pdbqt = text.str();
  std::istringstream lines(lig.pdbqt);
  std::string line;
  pk::dock::Coords xyz;
  for (int i = 0; std::getline(lines, line); ++i) {
    if (line.rfind("TORSDOF", 0) == 0) lig.torsdof = std::stoi(line.substr(7));
    if (line.rfind("BRANCH", 0) == 0) ++lig.n_torsions;
    if (line.rfind("ATOM", 0) != 0 && line.rfind("HETATM", 0) != 0) continue;
    lig.atom_line.push_back(i);
    xyz.push_back({std::stod(line.substr(30, 8)), std::stod(line.substr(38, 8)), std::stod(line.substr(46, 8))});
    std::istringstream t(line.substr(77));
    std::string type;
    t >> type;
    const std::string el = type == "A" ? "C" : type == "NA" ? "N" : type == "OA" ? "O" : type == "HD" ? "H" : type;
    lig.element.push_back(el);
    lig.xs_type.push_back(static_cast<int>(lig.element.size() % 5));
  }
  lig.bonds = pk::dock::bonds_from_distances(xyz, lig.element);
  for (int p = 0; p < 3; ++p) {
    pk::dock::PoseResult pose;
    pose.coords = xyz;
    for (auto& x : pose.coords) x[0] += 1.25 * p, x[2] -= 0.5 * p;
    pose.conformation.assign(7 + lig.n_torsions, 0.1 * p);
    pose.conformation[3] = 1, pose.conformation[4] = pose.conformation[5] = pose.conformation[6] = 0;
    pose.score = -9.5 + 0.75 * p;
    pose.inter = -12.0 + p;
    pose.intra = -0.5;
    pose.rmsd_ub = pk::dock::rmsd_upper_bound(pose.coords, xyz);
    pose.site = 0;
    lig.poses.push_back(pose);
  }
  return lig;
}

}  // namespace

TEST(DockPosesOut, PdbqtSdfAndHdf5AreReadByVinaOpenBabelRdkitAndH5py) {
  const auto lig = test_ligand();
  ASSERT_EQ(lig.element.size(), 39u);
  ASSERT_EQ(lig.n_torsions, 7);
  // Imatinib: 37 heavy atoms in 5 rings give 37 - 1 + 5 = 41 bonds, plus 2 N-H.
  EXPECT_EQ(lig.bonds.size(), 43u);
  const std::string dir = ::testing::TempDir();
  const std::string pdbqt = dir + "/pk_poses.pdbqt", sdf = dir + "/pk_poses.sdf", h5 = dir + "/pk_poses.h5";
  pk::dock::write_pdbqt_models(lig, pdbqt);
  pk::dock::write_sdf(lig, sdf);
  pk::dock::Box box;
  box.center = {11, 90.5, 57.5};
  box.size = {22, 24, 28};
  pk::dock::write_poses_h5({lig}, {box}, "protein.pdbqt", h5);
  const char* py = std::getenv("PK_PYTHON");
  const std::string cmd = std::string(py ? py : "/usr/bin/python3") + " " + PK_DOCK_CHECKER + " --pdbqt " + pdbqt +
                          " --sdf " + sdf + " --h5 " + h5 + " --ligand ligand --poses 3 --best -9.5";
  const int status = std::system(cmd.c_str());
  // 77: a reader is not installed (the checker printed which); ctest reports SKIPPED.
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 77) GTEST_SKIP() << "independent readers missing";
  EXPECT_EQ(status, 0) << cmd;
}
