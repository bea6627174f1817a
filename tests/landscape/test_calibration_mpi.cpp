// Calibration over MPI ranks: the predictions of every evaluation are dealt
// round-robin over the ranks and gathered; the fit, the folds and every
// prediction must come out bitwise the same as on one rank alone.
#include "comm/communicator.hpp"
#include "landscape/calibration.hpp"
#include "synthetic.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace pk::landscape {
namespace {

TEST(CalibrationMpi, SameResultOnAllRanksAsOnOne) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<LandscapeKinetics> complexes;
  std::vector<Measurement> measured;
  for (int i = 0; i < 9; ++i) {  // 9: not a multiple of 2 or 4 ranks
    complexes.emplace_back(test::random_landscape(rng, "L" + std::to_string(i), "S" + std::to_string(i % 3)));
    Measurement m;
    m.koff_per_s = complexes.back().koff_per_s(test::true_parameters()) * std::pow(10.0, 0.4 * normal(rng));
    if (i % 3 == 0) m.kon_per_M_per_s = complexes.back().kon_per_M_per_s(test::true_parameters());
    measured.push_back(m);
  }
  CalibrationSettings settings;
  settings.folds = 3;
  const comm::Communicator world(MPI_COMM_WORLD), self(MPI_COMM_SELF);
  const CalibrationResult spread = Calibration(complexes, measured, world).run(ModelParameters{}, settings, nullptr);
  const CalibrationResult alone = Calibration(complexes, measured, self).run(ModelParameters{}, settings, nullptr);
  EXPECT_EQ(spread.full.parameters.named(), alone.full.parameters.named());
  EXPECT_EQ(spread.full.iterations, alone.full.iterations);
  EXPECT_EQ(spread.koff_cv_per_s, alone.koff_cv_per_s);
  EXPECT_EQ(spread.kon_cv_per_M_per_s, alone.kon_cv_per_M_per_s);
  EXPECT_EQ(spread.koff_in_sample_per_s, alone.koff_in_sample_per_s);
  ASSERT_EQ(spread.fold_fits.size(), alone.fold_fits.size());
  for (std::size_t f = 0; f < spread.fold_fits.size(); ++f)
    EXPECT_EQ(spread.fold_fits[f].parameters.named(), alone.fold_fits[f].parameters.named());
  EXPECT_EQ(spread.figures.back().model_cv.spearman, alone.figures.back().model_cv.spearman);
}

}  // namespace
}  // namespace pk::landscape
