// Calibration: recovery of known parameters from data the model generated
// itself, cross-validation that never lets a complex into its own fit, the
// folds, the statistics against hand-computed values, and the reference CSV's
// error messages.
#include "comm/communicator.hpp"
#include "core/error.hpp"
#include "landscape/calibration.hpp"
#include "landscape/reference_csv.hpp"
#include "synthetic.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>

namespace pk::landscape {
namespace {

struct Synthetic {
  std::vector<LandscapeKinetics> complexes;
  std::vector<Measurement> measured;
};

/// n random complexes over `series` series; koff (and kon for every other one) from the model at `truth`,
/// times 10^(noise x N(0, 1)).
Synthetic synthetic_set(int n, int series, const ModelParameters& truth, double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  Synthetic s;
  for (int i = 0; i < n; ++i) {
    s.complexes.emplace_back(test::random_landscape(rng, "L" + std::to_string(i), "S" + std::to_string(i % series)));
    Measurement m;
    m.koff_per_s = s.complexes.back().koff_per_s(truth) * std::pow(10.0, noise * normal(rng));
    if (i % 2 == 0) m.kon_per_M_per_s = s.complexes.back().kon_per_M_per_s(truth) * std::pow(10.0, noise * normal(rng));
    s.measured.push_back(m);
  }
  return s;
}

TEST(Calibration, RecoversTheParametersThatGeneratedTheData) {
  const ModelParameters truth = test::true_parameters();
  const Synthetic s = synthetic_set(30, 3, truth, 0.0, 42);
  const comm::Communicator comm(MPI_COMM_SELF);
  const Calibration cal(s.complexes, s.measured, comm);
  CalibrationSettings settings;
  settings.prior_width_factor = 0.0;  // exact data: the prior would only pull the answer off the truth
  std::vector<int> all(30);
  for (int i = 0; i < 30; ++i) all[i] = i;
  const ModelParameters start;  // the model's defaults, far from the truth
  const FitResult fit = cal.fit(start, settings, all, "recovery", nullptr);
  EXPECT_TRUE(fit.converged);
  const auto want = truth.named(), got = fit.parameters.named();
  for (std::size_t k = 0; k < want.size(); ++k) EXPECT_NEAR(got[k].second, want[k].second, 1e-5) << want[k].first;
  EXPECT_LT(fit.loss, 1e-12);
  const auto pred = cal.predict({fit.parameters}, all, true, 1.0)[0];
  for (int i = 0; i < 30; ++i) {
    EXPECT_NEAR(std::log10(pred[i].koff_per_s), std::log10(s.measured[i].koff_per_s), 1e-6) << i;
    if (s.measured[i].kon_per_M_per_s > 0)
      EXPECT_NEAR(std::log10(pred[i].kon_per_M_per_s), std::log10(s.measured[i].kon_per_M_per_s), 1e-6) << i;
  }
}

TEST(Calibration, FixedParametersStayAndTheRestIsRecovered) {
  ModelParameters truth = test::true_parameters();
  truth.rotor_kcal_per_mol = 0.0;
  truth.log10_kappa = 0.0;
  const Synthetic s = synthetic_set(20, 2, truth, 0.0, 5);
  const comm::Communicator comm(MPI_COMM_SELF);
  const Calibration cal(s.complexes, s.measured, comm);
  CalibrationSettings settings;
  settings.prior_width_factor = 0.0;
  settings.free_parameters = {"scale", "offset_kcal_per_mol", "polar_kcal_per_mol", "apolar_kcal_per_mol"};
  std::vector<int> all(20);
  for (int i = 0; i < 20; ++i) all[i] = i;
  const FitResult fit = cal.fit(ModelParameters{}, settings, all, "subset", nullptr);
  EXPECT_EQ(fit.parameters.rotor_kcal_per_mol, 0.0);
  EXPECT_EQ(fit.parameters.log10_kappa, 0.0);
  EXPECT_NEAR(fit.parameters.scale, 0.6, 1e-5);
  EXPECT_NEAR(fit.parameters.offset_kcal_per_mol, 2.0, 1e-5);
  EXPECT_NEAR(fit.parameters.polar_kcal_per_mol, 0.3, 1e-5);
  EXPECT_NEAR(fit.parameters.apolar_kcal_per_mol, -0.2, 1e-5);
}

TEST(Calibration, KappaStaysOnItsBound) {
  // Data generated with kappa = 1 (log10_kappa = 0, on the bound) and the fit started there.
  ModelParameters truth = test::true_parameters();
  truth.log10_kappa = 0.0;
  const Synthetic s = synthetic_set(12, 2, truth, 0.3, 9);
  const comm::Communicator comm(MPI_COMM_SELF);
  const Calibration cal(s.complexes, s.measured, comm);
  std::vector<int> all(12);
  for (int i = 0; i < 12; ++i) all[i] = i;
  const FitResult fit = cal.fit(ModelParameters{}, CalibrationSettings{}, all, "bound", nullptr);
  EXPECT_LE(fit.parameters.log10_kappa, 0.0);
  EXPECT_GT(fit.parameters.scale, 0.0);
}

TEST(Calibration, CrossValidationNeverLeaksAComplexIntoItsOwnFit) {
  const Synthetic base = synthetic_set(15, 3, test::true_parameters(), 0.5, 77);
  const comm::Communicator comm(MPI_COMM_SELF);
  CalibrationSettings settings;
  settings.folds = 3;
  const Calibration cal(base.complexes, base.measured, comm);
  const CalibrationResult a = cal.run(ModelParameters{}, settings, nullptr);
  for (int j : {0, 7, 14}) {
    std::vector<Measurement> changed = base.measured;
    changed[j].koff_per_s *= 1e3;
    const Calibration cal2(base.complexes, changed, comm);
    const CalibrationResult b = cal2.run(ModelParameters{}, settings, nullptr);
    EXPECT_EQ(b.koff_cv_per_s[j], a.koff_cv_per_s[j]) << "complex " << j << " leaked into its own fit";
    EXPECT_EQ(b.kon_cv_per_M_per_s[j], a.kon_cv_per_M_per_s[j]);
    EXPECT_EQ(b.koff_score_baseline_cv_per_s[j], a.koff_score_baseline_cv_per_s[j]);
    EXPECT_EQ(b.koff_heavy_atoms_baseline_cv_per_s[j], a.koff_heavy_atoms_baseline_cv_per_s[j]);
    EXPECT_NE(b.koff_in_sample_per_s[j], a.koff_in_sample_per_s[j]) << "the in-sample fit ignores the change";
    // The other folds do see it: some other complex's CV prediction moves.
    bool moved = false;
    for (std::size_t i = 0; i < a.koff_cv_per_s.size(); ++i)
      moved = moved || (a.fold[i] != a.fold[j] && b.koff_cv_per_s[i] != a.koff_cv_per_s[i]);
    EXPECT_TRUE(moved);
  }
}

TEST(Calibration, LeaveOneOutUsesEveryOtherComplex) {
  const Synthetic s = synthetic_set(6, 2, test::true_parameters(), 0.2, 3);
  const comm::Communicator comm(MPI_COMM_SELF);
  CalibrationSettings settings;
  settings.folds = 0;
  settings.free_parameters = {"scale", "offset_kcal_per_mol"};
  const CalibrationResult r = Calibration(s.complexes, s.measured, comm).run(ModelParameters{}, settings, nullptr);
  EXPECT_EQ(r.folds, 6);
  std::set<int> folds(r.fold.begin(), r.fold.end());
  EXPECT_EQ(folds.size(), 6u);
  for (const auto& f : r.fold_fits) EXPECT_EQ(f.training_complexes, 5);
}

TEST(Calibration, FiftyComplexesOfThreeHundredStatesInUnderAMinute) {
  // The size the brief sets: ~50 complexes of ~300 states, every parameter free, 5 folds + the full fit.
  std::mt19937_64 rng(50);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LandscapeKinetics> complexes;
  std::vector<Measurement> measured;
  const ModelParameters truth = test::true_parameters();
  for (int i = 0; i < 50; ++i) {
    complexes.emplace_back(test::large_landscape(rng, "L" + std::to_string(i), "S" + std::to_string(i % 3), 300));
    measured.push_back({complexes.back().koff_per_s(truth) * std::pow(10.0, 0.3 * normal(rng)), 0.0});
  }
  const comm::Communicator comm(MPI_COMM_SELF);
  // CPU time of this process: the bound holds on a machine shared with other jobs.
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  const CalibrationResult r = Calibration(complexes, measured, comm).run(ModelParameters{}, CalibrationSettings{}, nullptr);
  const double seconds = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  int iterations = r.full.iterations;
  for (const auto& f : r.fold_fits) iterations += f.iterations;
  std::printf("50 complexes x 300 states, 6 fits: %.2f s CPU (%.2f s wall), %d LM iterations, all converged: %s; "
              "pooled CV median |log10 error| %.3f\n",
              seconds, wall, iterations, r.full.converged ? "yes" : "no", r.figures.back().model_cv.median_abs_log10_error);
  EXPECT_LT(seconds, 60.0);
  EXPECT_TRUE(r.full.converged);
  for (const auto& f : r.fold_fits) EXPECT_TRUE(f.converged);
  // Noise of 0.3 log units on data the model generated: the CV error stays near it.
  EXPECT_LT(r.figures.back().model_cv.median_abs_log10_error, 0.5);
}

TEST(Folds, StratifiedRoundRobinInLigandOrder) {
  const std::vector<std::string> series = {"B", "A", "A", "B", "A", "C", "C", "A", "B", "C"};
  const std::vector<std::string> ids = {"x2", "L10", "L2", "x1", "L1", "c", "a", "L3", "x3", "b"};
  const std::vector<int> f = assign_folds(series, ids, 3);
  // Order: A: L1 L2 L3 L10 -> 0 1 2 0; B: x1 x2 x3 -> 1 2 0; C: a b c -> 1 2 0.
  const std::vector<int> want = {2, 0, 1, 1, 0, 0, 1, 2, 0, 2};
  EXPECT_EQ(f, want);
  std::map<int, int> size;
  for (int x : f) ++size[x];
  for (const auto& [fold, n] : size) EXPECT_GE(n, 3) << fold;
  EXPECT_TRUE(natural_less("L2", "L10"));
  EXPECT_FALSE(natural_less("L10", "L2"));
}

TEST(Statistics, AgainstHandComputedValues) {
  // Spearman with a tie: x ranks 1, 2.5, 2.5, 4; y ranks 1, 3, 2, 4.
  const std::vector<double> x = {1.0, 2.0, 2.0, 5.0}, y = {10.0, 30.0, 20.0, 40.0};
  // Pearson of the ranks: mean 2.5 both; dx = -1.5, 0, 0, 1.5; dy = -1.5, 0.5, -0.5, 1.5;
  // sxy = 2.25 + 0 + 0 + 2.25 = 4.5, sxx = 4.5, syy = 5 -> 4.5 / sqrt(22.5).
  EXPECT_NEAR(spearman_rho(x, y), 4.5 / std::sqrt(22.5), 1e-15);
  // Pearson of x, y: mean 2.5, 25; dx -1.5 -0.5 -0.5 2.5; dy -15 5 -5 15: sxy 22.5 - 2.5 + 2.5 + 37.5 = 60,
  // sxx 2.25 + .25 + .25 + 6.25 = 9, syy 225 + 25 + 25 + 225 = 500.
  EXPECT_NEAR(pearson_r(x, y), 60.0 / std::sqrt(9.0 * 500.0), 1e-15);
  EXPECT_TRUE(std::isnan(pearson_r({1, 1, 1}, {1, 2, 3})));
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 2, 3}), 2.5);
  const Figures f = koff_figures({1e-2, 1e-3, 1e-1}, {1e-3, 1e-3, 1e-2}, {0, 1, 2});
  EXPECT_NEAR(f.median_abs_log10_error, 1.0, 1e-12);
  EXPECT_NEAR(f.rmse_log10, std::sqrt(2.0 / 3.0), 1e-12);
  const LinearFit line = fit_line({1, 2, 3, 100}, {3, 5, 7, -1}, {0, 1, 2});
  EXPECT_NEAR(line.alpha, 1.0, 1e-12);
  EXPECT_NEAR(line.beta, 2.0, 1e-12);
}

class ReferenceCsv : public ::testing::Test {
 protected:
  std::string dir = ::testing::TempDir() + "pk_ref_" + std::to_string(::getpid()) + "/";
  void SetUp() override {
    ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
    std::ofstream(dir + "n.h5") << "x";
  }
  void TearDown() override { std::system(("rm -rf " + dir).c_str()); }
  std::string write(const std::string& text) {
    std::ofstream(dir + "ref.csv") << text;
    return dir + "ref.csv";
  }
  /// The message of the InputError reading `text` throws (with 2 folds).
  std::string error(const std::string& text, int folds = 2) {
    try {
      read_reference(write(text), folds);
    } catch (const InputError& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(ReferenceCsv, ReadsRowsAndResolvesPaths) {
  const auto rows = read_reference(write("# measured\nseries,ligand_id,note,koff_per_s,network,kon_per_M_per_s\n"
                                         "A,1,x,1e-3,n.h5,2e6\nA,2,\"a, b\",2e-3,n.h5,\nB,1,,1e-2,n.h5,\n"
                                         "B,2,,3e-2,n.h5,1e5\n"),
                                   2);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].network, dir + "n.h5");
  EXPECT_EQ(rows[0].kon_per_M_per_s, 2e6);
  EXPECT_EQ(rows[1].kon_per_M_per_s, 0.0);
  EXPECT_EQ(rows[3].line, 6);
}

TEST_F(ReferenceCsv, EveryProblemNamesFileAndLine) {
  const std::string head = "series,ligand_id,koff_per_s,network\n";
  const std::string ok = "A,1,1e-3,n.h5\nA,2,1e-3,n.h5\nB,1,1e-3,n.h5\n";
  EXPECT_NE(error("series,ligand_id,network\nA,1,n.h5\n").find("ref.csv:1: header: missing column 'koff_per_s'"),
            std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,1e-3\n").find("ref.csv:5: the row has 3 fields"), std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,-1,n.h5\n").find("ref.csv:5: koff_per_s must be a finite number > 0"),
            std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,nan,n.h5\n").find("ref.csv:5: koff_per_s"), std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,inf,n.h5\n").find("ref.csv:5: koff_per_s"), std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,1e-3,missing.h5\n").find("ref.csv:5: network file"), std::string::npos);
  EXPECT_NE(error(head + ok + "B,1,1e-3,n.h5\n").find("ref.csv:5: duplicate ligand_id '1' in series 'B' (first on line 4)"),
            std::string::npos);
  EXPECT_NE(error(head + ok + "A,3,1e-3,n.h5\n").find("ref.csv:4: series 'B' has one complex"), std::string::npos);
  EXPECT_NE(error(head + ok + "B,2,1e-3,n.h5\n", 3).find("4 complexes are too few: 3 folds need at least 6"),
            std::string::npos);
}

}  // namespace
}  // namespace pk::landscape
