// A small JSON writer for summaries (no parsing). Numbers are written with
// 17 significant digits so they round-trip; NaN and infinities become null.
#pragma once

#include <string>
#include <vector>

namespace pk::io {

class JsonWriter {
 public:
  JsonWriter& begin_object(const std::string& key = "");
  JsonWriter& end_object();
  JsonWriter& begin_array(const std::string& key = "");
  JsonWriter& end_array();
  JsonWriter& value(const std::string& key, double v);
  JsonWriter& value(const std::string& key, long long v);
  JsonWriter& value(const std::string& key, int v) { return value(key, static_cast<long long>(v)); }
  JsonWriter& value(const std::string& key, const std::string& v);
  JsonWriter& value(const std::string& key, const char* v) { return value(key, std::string(v)); }
  JsonWriter& value(const std::string& key, bool v);
  JsonWriter& value(const std::string& key, const std::vector<double>& v);
  /// Inside an array: an element without a key.
  JsonWriter& element(double v) { return value("", v); }
  const std::string& str() const { return out_; }
  /// Writes to `path` atomically (io::write_file_atomically: a unique
  /// temporary, fsync, rename); throws pk::SystemError if it cannot be written.
  void save(const std::string& path) const;

 private:
  void prefix(const std::string& key);
  std::string out_;
  std::vector<bool> first_;  ///< per open container: no element written yet
};

std::string json_escape(const std::string& s);

}  // namespace pk::io
