// Integer tuning settings read from the environment, checked strictly.
#pragma once

#include "core/error.hpp"

#include <cstdlib>
#include <string>

namespace pk {

/// An integer tuning setting from the environment, or `fallback` when unset;
/// a value that is not an integer in [lo, hi] (or not a multiple of
/// `multiple_of`) stops with a message naming the variable.
inline int env_setting(const char* name, int lo, int hi, int fallback, int multiple_of = 1) {
  const char* env = std::getenv(name);
  if (!env) return fallback;
  char* end = nullptr;
  const long v = std::strtol(env, &end, 10);
  if (*env == '\0' || *end != '\0' || v < lo || v > hi || v % multiple_of != 0)
    throw UsageError(std::string(name) + "='" + env + "': expected an integer from " + std::to_string(lo) + " to " +
                     std::to_string(hi) + (multiple_of > 1 ? ", a multiple of " + std::to_string(multiple_of) : ""));
  return static_cast<int>(v);
}

}  // namespace pk
