// Helpers for the network tests: example inputs, scratch files, and checks
// that an InputError names the right file and line.
#pragma once

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace pk::network::test {

/// inputs/networks/<relative>
#define PK_TEST_STRINGIFY2(x) #x
#define PK_TEST_STRINGIFY(x) PK_TEST_STRINGIFY2(x)
inline std::string input_path(const std::string& relative) {
  return std::string(PK_TEST_STRINGIFY(PK_NETWORK_INPUTS)) + "/" + relative;
}

/// Writes `content` to a fresh file under ./network_scratch/ and returns its path.
inline std::string scratch_file(const std::string& name, const std::string& content) {
  std::filesystem::create_directories("network_scratch");
  const std::string path = "network_scratch/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) ADD_FAILURE() << "cannot write " << path;
  return path;
}

/// Runs `load`; the InputError it must throw has to name `file` and `line`
/// (in file() / line() and in what()) and contain `fragment`.
template <class Load>
void expect_input_error(Load&& load, const std::string& file, long line, const std::string& fragment) {
  try {
    load();
    ADD_FAILURE() << "no InputError; expected " << file << ":" << line << " '" << fragment << "'";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.file(), file) << what;
    EXPECT_EQ(e.line(), line) << what;
    const std::string where = line > 0 ? file + ":" + std::to_string(line) + ": " : file + ": ";
    EXPECT_EQ(what.rfind(where, 0), 0u) << "'" << what << "' does not start with '" << where << "'";
    EXPECT_NE(what.find(fragment), std::string::npos) << "'" << what << "' lacks '" << fragment << "'";
  }
}

}  // namespace pk::network::test
