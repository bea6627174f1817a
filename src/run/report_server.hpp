// analysis/report.py kept waiting in the background: `pandakinetics run`
// starts it before it docks, so that Python, numpy, h5py and matplotlib load
// while the pipeline computes, and hands it each report's arguments when the
// report's inputs exist (report.py --serve: one JSON list of arguments per
// line over a socket, answered by "ok SECONDS" or "failed SECONDS").
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace pk::pipeline {

/// The environment the report script runs with, either way: one thread for
/// numpy's BLAS (the plots need none, and a pool of spinning BLAS threads
/// sharing the cores this process was given slows the script down).
const std::vector<std::string>& report_environment();

class ReportServer {
 public:
  /// Starts `python script --serve FD` with one BLAS thread (the plots need
  /// none). running() is false when it could not be started.
  ReportServer(const std::string& python, const std::string& script);
  /// Ends the server's input and waits for it to exit.
  ~ReportServer();
  ReportServer(const ReportServer&) = delete;
  ReportServer& operator=(const ReportServer&) = delete;

  bool running() const { return pid_ > 0 && fd_ >= 0; }
  /// One report with report.py's command-line arguments: whether it
  /// succeeded, or nothing when the server is gone (it failed to start its
  /// modules or died; the caller runs the script the ordinary way, which
  /// shows why).
  std::optional<bool> report(const std::vector<std::string>& args);

 private:
  void stop();
  pid_t pid_ = -1;
  int fd_ = -1;
};

}  // namespace pk::pipeline
