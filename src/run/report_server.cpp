#include "run/report_server.hpp"

#include "io/json.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

extern char** environ;

namespace pk::pipeline {

const std::vector<std::string>& report_environment() {
  static const std::vector<std::string> env = {"OMP_NUM_THREADS=1", "OPENBLAS_NUM_THREADS=1", "MKL_NUM_THREADS=1"};
  return env;
}

ReportServer::ReportServer(const std::string& python, const std::string& script) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return;
  ::fcntl(sv[0], F_SETFD, FD_CLOEXEC);  // our end stays ours
  const std::string child_fd = std::to_string(sv[1]);
  std::vector<std::string> argv_s = {"env"};
  argv_s.insert(argv_s.end(), report_environment().begin(), report_environment().end());
  argv_s.insert(argv_s.end(), {python, script, "--serve", child_fd});
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclose(&fa, sv[0]);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, "env", &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    return;
  }
  pid_ = pid;
  fd_ = sv[0];
}

ReportServer::~ReportServer() { stop(); }

void ReportServer::stop() {
  if (fd_ >= 0) {
    ::shutdown(fd_, SHUT_WR);  // end of input: the server exits
    ::close(fd_);
    fd_ = -1;
  }
  if (pid_ > 0) {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
  }
}

std::optional<bool> ReportServer::report(const std::vector<std::string>& args) {
  if (!running()) return std::nullopt;
  io::JsonWriter j;
  j.begin_array();
  for (const auto& a : args) j.value("", a);
  j.end_array();
  std::string line = j.str();
  line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
  line += '\n';
  for (std::size_t sent = 0; sent < line.size();) {
    const ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {  // the server is gone
      stop();
      return std::nullopt;
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char c = 0;
  for (;;) {
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      stop();
      return std::nullopt;
    }
    if (c == '\n') break;
    answer += c;
  }
  return answer.rfind("ok", 0) == 0;
}

}  // namespace pk::pipeline
