// Screening bookkeeping: the ligand list, the round-robin split over ranks
// (every ligand docked exactly once), and the gather of results on rank 0 in
// input order, identical for 1, 2 and 4 ranks.
#include "dock/screen.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>
#include <mpi.h>

#include <filesystem>
#include <fstream>

namespace {

pk::dock::LigandOutput fake_output(int i) {
  pk::dock::LigandOutput l;
  l.name = "lig" + std::to_string(i);
  l.source = "/data/lig" + std::to_string(i) + ".pdbqt";
  l.pdbqt = "ROOT\nATOM ...\nENDROOT\nTORSDOF " + std::to_string(i % 3) + "\n";
  l.n_torsions = i % 3;
  l.torsdof = i % 3;
  l.atom_line = {1, 2};
  l.element = {"C", "Cl"};
  l.xs_type = {0, 12};
  l.bonds = {{0, 1}};
  l.box_center = {1.0 * i, 2, 3};
  l.box_size = {20, 22, 24.5};
  for (int p = 0; p < i % 4; ++p) {
    pk::dock::PoseResult pose;
    pose.conformation.assign(7 + l.n_torsions, 0.5 * p + i);
    pose.coords = {{1.0 * i, 2.0, 3.0 + p}, {4.0, 5.0, 6.0}};
    pose.score = -1.0 * i - p;
    pose.inter_terms = {{"gauss1", 0.25 * i}};
    pose.intra_terms = {{"repulsion", 0.5 * i}, {"hydrogen", -1.0}};
    l.poses.push_back(pose);
  }
  return l;
}

}  // namespace

TEST(DockScreen, RoundRobinCoversEveryLigandOnce) {
  for (int size : {1, 2, 3, 4, 7})
    for (int n : {0, 1, 5, 13}) {
      std::vector<int> hits(n, 0);
      for (int r = 0; r < size; ++r)
        for (int i : pk::dock::ligands_of_rank(n, r, size)) ++hits[i];
      for (int h : hits) EXPECT_EQ(h, 1);
    }
}

TEST(DockScreen, LigandListAndNames) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "pk_screen_dir";
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  const auto mine = dir / std::to_string(rank);
  std::filesystem::create_directories(mine);
  for (const char* f : {"b.pdbqt", "a.pdbqt", "notes.txt"}) std::ofstream(mine / f) << "x\n";
  const auto list = pk::dock::collect_ligands({"x/first.pdbqt"}, mine.string());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0], "x/first.pdbqt");
  EXPECT_EQ(std::filesystem::path(list[1]).filename(), "a.pdbqt");
  EXPECT_EQ(pk::dock::ligand_names({"x/a.pdbqt", "y/a.pdbqt", "b.pdbqt"}),
            (std::vector<std::string>{"a", "a_2", "b"}));
  EXPECT_THROW(pk::dock::collect_ligands({}, ""), pk::UsageError);
  EXPECT_THROW(pk::dock::collect_ligands({}, (dir / "missing").string()), pk::InputError);
  std::filesystem::remove_all(mine);
}

TEST(DockScreen, GatherPutsEveryRanksResultsOnRootInInputOrder) {
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const int n = 9;
  const auto mine = pk::dock::ligands_of_rank(n, rank, size);
  std::vector<pk::dock::LigandOutput> out;
  std::vector<pk::dock::LigandSummary> sum;
  for (int i : mine) {
    out.push_back(fake_output(i));
    pk::dock::LigandSummary s;
    s.name = out.back().name;
    s.ok = i != 4;
    s.message = s.ok ? "" : "lig4.pdbqt:3: unknown atom type";
    s.best_score = -1.0 * i;
    s.seconds = 0.5;
    sum.push_back(s);
  }
  pk::dock::gather_results(MPI_COMM_WORLD, mine, out, sum);
  if (rank != 0) {
    EXPECT_TRUE(out.empty());
    return;
  }
  ASSERT_EQ(out.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const auto ref = fake_output(i);
    EXPECT_EQ(out[i].name, ref.name);
    EXPECT_EQ(out[i].pdbqt, ref.pdbqt);
    EXPECT_EQ(out[i].element, ref.element);
    EXPECT_EQ(out[i].bonds, ref.bonds);
    EXPECT_EQ(out[i].box_center, ref.box_center);
    EXPECT_EQ(out[i].box_size, ref.box_size);
    ASSERT_EQ(out[i].poses.size(), ref.poses.size());
    for (std::size_t p = 0; p < ref.poses.size(); ++p) {
      EXPECT_EQ(out[i].poses[p].coords, ref.poses[p].coords);
      EXPECT_EQ(out[i].poses[p].conformation, ref.poses[p].conformation);
      EXPECT_EQ(out[i].poses[p].inter_terms, ref.poses[p].inter_terms);
      EXPECT_EQ(out[i].poses[p].intra_terms, ref.poses[p].intra_terms);
    }
    EXPECT_EQ(sum[i].ok, i != 4);
  }
  const auto table = pk::dock::summary_table(sum);
  EXPECT_NE(table.find("lig4\tfailed\t\t"), std::string::npos);
  EXPECT_NE(table.find("lig8\tok\t-8.000\t"), std::string::npos);
}
