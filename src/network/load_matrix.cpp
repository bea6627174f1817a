// Discrete-time Markov models: states.csv + a row-stochastic transition
// matrix, dense CSV or NumPy .npy (format: numpy.lib.format, versions 1 and 2).
#include "core/error.hpp"
#include "network/csv_detail.hpp"
#include "network/load.hpp"

#include <cmath>
#include <cstring>

namespace pk::network {

namespace {

using detail::fmt;

/// A dense n x m matrix and, per row, the line it came from (0 for .npy).
struct DenseMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<double> values;  ///< row-major
  std::vector<long> row_line;
};

DenseMatrix parse_csv_matrix(const std::string& path, const std::string& text) {
  DenseMatrix m;
  detail::LineReader lines(text);
  std::string_view line;
  std::vector<std::string_view> f;
  long first_line = 0;
  while (lines.next(line)) {
    const long ln = lines.line();
    detail::split_fields(line, f);
    if (m.rows == 0) {
      m.cols = f.size();
      first_line = ln;
      m.values.reserve(m.cols * m.cols);
    } else if (f.size() != m.cols) {
      throw InputError(path, ln,
                       "row " + std::to_string(m.rows) + " has " + std::to_string(f.size()) + " values, expected " +
                           std::to_string(m.cols) + " like row 0 (line " + std::to_string(first_line) + ")");
    }
    for (std::string_view field : f) m.values.push_back(detail::parse_double(field, path, ln, "matrix entry"));
    m.row_line.push_back(ln);
    ++m.rows;
  }
  if (m.rows == 0) throw InputError(path, 0, "empty file: expected n rows of n comma-separated probabilities");
  return m;
}

std::uint64_t little_endian(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

/// The value text of `key` in the .npy header dict ("{'descr': '<f8', ...}").
std::string_view npy_field(std::string_view header, const char* key, const std::string& path) {
  for (const char quote : {'\'', '"'}) {
    const std::string quoted = quote + std::string(key) + quote;
    const std::size_t k = header.find(quoted);
    if (k == std::string_view::npos) continue;
    std::size_t v = header.find(':', k + quoted.size());
    if (v == std::string_view::npos) break;
    ++v;
    while (v < header.size() && header[v] == ' ') ++v;
    std::size_t e = v;
    if (e < header.size() && header[e] == '(') {
      e = header.find(')', e);
      if (e == std::string_view::npos) break;
      ++e;
    } else if (e < header.size() && (header[e] == '\'' || header[e] == '"')) {
      e = header.find(header[e], e + 1);
      if (e == std::string_view::npos) break;
      ++e;
    } else {
      while (e < header.size() && header[e] != ',' && header[e] != '}') ++e;
    }
    return detail::trim(header.substr(v, e - v));
  }
  throw InputError(path, 0, std::string(".npy header lacks '") + key + "': expected a file written by numpy.save");
}

DenseMatrix parse_npy_matrix(const std::string& path, const std::string& bytes) {
  const auto* raw = reinterpret_cast<const unsigned char*>(bytes.data());
  const int major = bytes.size() > 7 ? raw[6] : 0;
  if (major != 1 && major != 2)
    throw InputError(path, 0, ".npy format version " + std::to_string(major) + " is not supported: expected 1 or 2");
  const int len_bytes = major == 1 ? 2 : 4;
  const std::size_t prefix = 8 + static_cast<std::size_t>(len_bytes);
  if (bytes.size() < prefix) throw InputError(path, 0, "truncated .npy header");
  const std::size_t header_len = little_endian(raw + 8, len_bytes);
  if (bytes.size() < prefix + header_len) throw InputError(path, 0, "truncated .npy header");
  const std::string_view header(bytes.data() + prefix, header_len);

  std::string_view descr = npy_field(header, "descr", path);
  if (descr.size() >= 2) descr = descr.substr(1, descr.size() - 2);
  if (descr != "<f8")
    throw InputError(path, 0,
                     ".npy dtype '" + std::string(descr) +
                         "' is not supported: expected little-endian float64 '<f8' (numpy: a.astype('<f8'))");
  if (npy_field(header, "fortran_order", path) != "False")
    throw InputError(path, 0,
                     ".npy array is in Fortran order: expected C order (numpy: np.ascontiguousarray(a))");
  const std::string_view shape = npy_field(header, "shape", path);
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')  // fuzz_parsers: "'shape':,"
    throw InputError(path, 0, ".npy shape '" + std::string(shape) + "': expected a tuple (n, n)");
  std::vector<std::string_view> dims;
  detail::split_fields(shape.substr(1, shape.size() - 2), dims);
  if (!dims.empty() && dims.back().empty()) dims.pop_back();  // "(3,)"
  if (dims.size() != 2)
    throw InputError(path, 0, ".npy shape " + std::string(shape) + ": expected a 2-D array (n, n)");
  const std::int64_t rows = detail::parse_int64(dims[0], path, 0, "shape");
  const std::int64_t cols = detail::parse_int64(dims[1], path, 0, "shape");
  if (rows < 0 || cols < 0) throw InputError(path, 0, ".npy shape " + std::string(shape) + " is negative");
  DenseMatrix m;
  m.rows = static_cast<std::size_t>(rows);
  m.cols = static_cast<std::size_t>(cols);
  const std::size_t data_bytes = bytes.size() - prefix - header_len;
  if (m.cols != 0 && m.rows > data_bytes / 8 / m.cols)
    throw InputError(path, 0,
                     ".npy data holds " + std::to_string(data_bytes) + " bytes, too few for shape " + std::string(shape));
  m.values.resize(m.rows * m.cols);
  if (data_bytes != m.values.size() * 8)
    throw InputError(path, 0,
                     ".npy data holds " + std::to_string(data_bytes) + " bytes, expected " +
                         std::to_string(m.values.size() * 8) + " for shape " + std::string(shape));
  const unsigned char* data = raw + prefix + header_len;
  for (std::size_t i = 0; i < m.values.size(); ++i) {
    const std::uint64_t bits = little_endian(data + 8 * i, 8);
    std::memcpy(&m.values[i], &bits, sizeof bits);
  }
  m.row_line.assign(m.rows, 0);
  return m;
}

}  // namespace

Network load_transition_matrix(const std::string& states_csv, const std::string& matrix_path, double lag_time_s) {
  if (!std::isfinite(lag_time_s) || lag_time_s <= 0.0)
    throw InputError(matrix_path, 0, "lag time " + fmt(lag_time_s) + " s: expected a finite lag time > 0 s");
  Network net;
  net.states = detail::read_states_csv(states_csv).states;
  net.lag_time_s = lag_time_s;
  net.source = matrix_path;

  const std::string bytes = detail::read_file(matrix_path, "a transition matrix (dense CSV or .npy)");
  const bool npy = bytes.size() >= 6 && std::memcmp(bytes.data(), "\x93NUMPY", 6) == 0;
  const DenseMatrix m = npy ? parse_npy_matrix(matrix_path, bytes) : parse_csv_matrix(matrix_path, bytes);
  if (m.rows != m.cols)
    throw InputError(matrix_path, 0,
                     "matrix is " + std::to_string(m.rows) + " x " + std::to_string(m.cols) + ": expected a square matrix");
  if (m.rows != net.states.size())
    throw InputError(matrix_path, 0,
                     "matrix is " + std::to_string(m.rows) + " x " + std::to_string(m.cols) + " but " + states_csv +
                         " lists " + std::to_string(net.states.size()) + " states: expected one row per state");

  const std::size_t n = m.rows;
  for (std::size_t i = 0; i < n; ++i) {
    const long ln = m.row_line[i];
    double sum = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      const double p = m.values[i * n + j];
      if (!(p >= 0.0) || std::isinf(p))
        throw InputError(matrix_path, ln,
                         "entry (row " + std::to_string(i) + ", column " + std::to_string(j) + ") = " + fmt(p) +
                             ": expected a finite probability >= 0");
      sum += p;
      if (p != 0.0)
        net.edges.push_back(
            Edge{static_cast<std::int32_t>(i), static_cast<std::int32_t>(j), EdgeKind::Probability, p});
    }
    if (std::abs(sum - 1.0) > kRowSumTolerance)
      throw InputError(matrix_path, ln,
                       "row " + std::to_string(i) + " (" + detail::describe_state(net.states[i]) + ") sums to " +
                           fmt(sum) + ": expected 1 within 1e-6");
  }
  return net;
}

}  // namespace pk::network
