#include "landscape/calibration_stats.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>

namespace pk::landscape {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> average_ranks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> rank(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = r;
    i = j + 1;
  }
  return rank;
}

}  // namespace

double pearson_r(const std::vector<double>& x, const std::vector<double>& y) {
  const std::size_t n = x.size();
  if (n < 2 || y.size() != n) return kNaN;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(n);
  my /= static_cast<double>(n);
  double sxx = 0, syy = 0, sxy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0) || !(syy > 0)) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

double spearman_rho(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2 || y.size() != x.size()) return kNaN;
  return pearson_r(average_ranks(x), average_ranks(y));
}

double median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}

Figures koff_figures(const std::vector<double>& predicted, const std::vector<double>& measured,
                     const std::vector<int>& which) {
  Figures f;
  f.n = static_cast<int>(which.size());
  std::vector<double> tau_pred, tau_meas, abs_err;
  double sq = 0;
  for (int i : which) {
    tau_pred.push_back(-std::log10(predicted[i]));
    tau_meas.push_back(-std::log10(measured[i]));
    const double e = std::log10(predicted[i]) - std::log10(measured[i]);
    abs_err.push_back(std::abs(e));
    sq += e * e;
  }
  f.spearman = spearman_rho(tau_pred, tau_meas);
  f.pearson = pearson_r(tau_pred, tau_meas);
  f.median_abs_log10_error = median(abs_err);
  f.rmse_log10 = which.empty() ? kNaN : std::sqrt(sq / static_cast<double>(which.size()));
  return f;
}

LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y, const std::vector<int>& which) {
  LinearFit fit;
  if (which.empty()) return fit;
  double mx = 0, my = 0;
  for (int i : which) {
    mx += x[i];
    my += y[i];
  }
  mx /= static_cast<double>(which.size());
  my /= static_cast<double>(which.size());
  double sxx = 0, sxy = 0;
  for (int i : which) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  fit.beta = sxx > 0 ? sxy / sxx : 0.0;
  fit.alpha = my - fit.beta * mx;
  return fit;
}

bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string da = a.substr(i, i2 - i), db = b.substr(j, j2 - j);
      da.erase(0, std::min(da.find_first_not_of('0'), da.size()));
      db.erase(0, std::min(db.find_first_not_of('0'), db.size()));
      if (da.size() != db.size()) return da.size() < db.size();
      if (da != db) return da < db;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  if ((a.size() - i) != (b.size() - j)) return a.size() - i < b.size() - j;
  return a < b;  // equal under the natural order ("L01" vs "L1"): plain order decides
}

std::vector<int> assign_folds(const std::vector<std::string>& series, const std::vector<std::string>& ids, int folds) {
  std::vector<int> order(series.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    if (series[a] != series[b]) return natural_less(series[a], series[b]);
    if (ids[a] != ids[b]) return natural_less(ids[a], ids[b]);
    return a < b;
  });
  std::vector<int> fold(series.size(), 0);
  for (std::size_t k = 0; k < order.size(); ++k)
    fold[order[k]] = folds > 0 ? static_cast<int>(k % static_cast<std::size_t>(folds)) : static_cast<int>(k);
  return fold;
}

}  // namespace pk::landscape
