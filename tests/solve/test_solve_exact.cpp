// exact_kinetics on bound - other - unbound, against values derived by hand
// from the 2x2 first-passage systems and the 3x3 generator.
#include "core/error.hpp"
#include "core/units.hpp"
#include "solve/exact.hpp"
#include "solve_test_support.hpp"

#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>

namespace pk::solve {
namespace {

using test::relative_error;

/// Survival from the first of two transient states when only the second
/// leaves: with l1, l2 the eigenvalues of -Q_AA, S = (l1 e^-l2 t - l2 e^-l1 t)/(l1 - l2).
double two_state_survival(double trace, double det, double t) {
  const double l1 = 0.5 * (trace + std::sqrt(trace * trace - 4.0 * det)), l2 = det / l1;
  return (l1 * std::exp(-l2 * t) - l2 * std::exp(-l1 * t)) / (l1 - l2);
}

class SolveExactKinetics : public testing::Test {
 protected:
  void SetUp() override {
    cond.temperature_K = 310.0;
    cond.concentration_M = 2.0e-6;
    a = k.bound_to_other;
    b = k.other_to_bound;
    c = k.other_to_unbound;
    d = k.unbound_to_other_per_M * cond.concentration_M;  // pseudo-first order
    ex = exact_kinetics(test::three_state_network(k), cond, times);
    const double tr = a + b + c + d, e2 = a * c + a * d + b * d;  // of the non-zero eigenvalues of -Q
    mu_fast = 0.5 * (tr + std::sqrt(tr * tr - 4.0 * e2));
    mu_slow = e2 / mu_fast;
  }
  const test::ThreeStateRates k;
  network::Conditions cond;
  double a = 0, b = 0, c = 0, d = 0, mu_fast = 0, mu_slow = 0;
  const std::vector<double> times = {0.0, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1};
  ExactKinetics ex;
};

TEST_F(SolveExactKinetics, ScalarsMatchHandDerivedValues) {
  // Unbinding: transient {B, O}, -Q = [[a, -a], [-b, b + c]], det = a c.
  const double det_off = a * c;
  const double m_b = (a + b + c) / det_off, m_o = (a + b) / det_off;
  const double m2_b = 2.0 * ((b + c) * m_b + a * m_o) / det_off;
  EXPECT_LT(relative_error(ex.residence_time_s, m_b), 1e-13);
  EXPECT_LT(relative_error(ex.residence_time_second_moment_s2, m2_b), 1e-13);
  EXPECT_LT(relative_error(ex.koff_per_s, 1.0 / m_b), 1e-13);
  EXPECT_LT(relative_error(ex.mfpt_to_unbound_s[1], m_o), 1e-13);
  // Binding: transient {O, U}, -Q = [[b + c, -c], [-d, d]], det = b d.
  const double det_on = b * d;
  const double n_u = (b + c + d) / det_on, n_o = (c + d) / det_on;
  const double n2_u = 2.0 * (d * n_o + (b + c) * n_u) / det_on;
  EXPECT_LT(relative_error(ex.mfpt_unbound_to_bound_s, n_u), 1e-13);
  EXPECT_LT(relative_error(ex.mfpt_unbound_to_bound_second_moment_s2, n2_u), 1e-13);
  const double kon = 1.0 / (n_u * cond.concentration_M);
  EXPECT_LT(relative_error(ex.kon_per_M_per_s, kon), 1e-13);
  EXPECT_LT(relative_error(ex.kd_M, (1.0 / m_b) / kon), 1e-13);
  EXPECT_LT(relative_error(ex.kd_M, ex.koff_per_s / ex.kon_per_M_per_s), 1e-15);
  const double rt = units::rt_kcal_per_mol(cond.temperature_K);
  EXPECT_NEAR(ex.dG_kcal_per_mol, rt * std::log(ex.kd_M), 1e-12);
  EXPECT_NEAR(std::exp(ex.dG_kcal_per_mol / rt), ex.kd_M, 1e-12 * ex.kd_M);

  // Populations of a chain: pi_O / pi_B = a / b, pi_U / pi_O = c / d.
  const double z = 1.0 + a / b + a * c / (b * d);
  EXPECT_LT(relative_error(ex.stationary[0], 1.0 / z), 1e-14);
  EXPECT_LT(relative_error(ex.stationary[2], a * c / (b * d) / z), 1e-14);
  EXPECT_EQ(ex.committor_to_bound[0], 1.0);
  EXPECT_EQ(ex.committor_to_bound[2], 0.0);
  EXPECT_LT(relative_error(ex.committor_to_bound[1], b / (b + c)), 1e-14);
  // Non-zero eigenvalues: mu^2 - (a+b+c+d) mu + (ac + ad + bd) = 0.
  ASSERT_EQ(ex.relaxation_times_s.size(), 2u);
  EXPECT_LT(relative_error(ex.relaxation_times_s[0], 1.0 / mu_slow), 1e-12);
  EXPECT_LT(relative_error(ex.relaxation_times_s[1], 1.0 / mu_fast), 1e-12);
}

TEST_F(SolveExactKinetics, CurvesMatchClosedForms) {
  // 2x2 survivals (det of -Q_AA: a c and b d), and P(t) = e_U exp(Q t) by
  // Sylvester's formula.
  const double det_off = a * c, det_on = b * d;
  Eigen::Matrix3d q;
  q << -a, a, 0.0, b, -(b + c), c, 0.0, d, -d;
  const double lambda[3] = {0.0, -mu_slow, -mu_fast};
  ASSERT_EQ(ex.occupancy.size(), 3 * times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    const double t = times[i];
    const double s_off = two_state_survival(a + b + c, det_off, t);
    const double f_on = 1.0 - two_state_survival(b + c + d, det_on, t);
    EXPECT_NEAR(ex.bound_survival[i], s_off, 1e-12 * s_off) << "t = " << t;
    EXPECT_NEAR(ex.binding_cdf[i], f_on, 1e-10 * f_on + 1e-15) << "t = " << t;
    Eigen::Matrix3d expm = Eigen::Matrix3d::Zero();
    for (int m = 0; m < 3; ++m) {
      Eigen::Matrix3d term = std::exp(lambda[m] * t) * Eigen::Matrix3d::Identity();
      for (int j = 0; j < 3; ++j)
        if (j != m) term = term * (q - lambda[j] * Eigen::Matrix3d::Identity()) / (lambda[m] - lambda[j]);
      expm += term;
    }
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(ex.occupancy[3 * i + j], expm(2, j), 1e-12) << "t = " << t;
  }
}

// With one bound and one unbound state every bound phase starts in the same
// state, so the steady-state (renewal) rates equal the MFPT-based ones; and
// the stationary flux balances binding and unbinding: kon P_U [L] = koff P_B.
TEST_F(SolveExactKinetics, RenewalRatesEqualMfptRatesWithSingleCoreStates) {
  EXPECT_LT(relative_error(ex.koff_renewal_per_s, ex.koff_per_s), 1e-10);
  EXPECT_LT(relative_error(ex.kon_renewal_per_M_per_s, ex.kon_per_M_per_s), 1e-10);
}

TEST(SolveExactKineticsInput, NeedsBoundAndUnboundStates) {
  network::Network net = test::three_state_network();
  net.states[2].macrostate = network::Macrostate::Other;
  EXPECT_THROW(exact_kinetics(net, network::Conditions{}, {1e-6}), InputError);
}

}  // namespace
}  // namespace pk::solve
