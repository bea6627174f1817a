// The output-safety module: which file a path names (symlinks, `..`, hard
// links, missing folders), the overlap and writability checks, and the
// atomic writer (unique temporaries, earlier file kept on failure).
#include "core/error.hpp"
#include "io/atomic_file.hpp"
#include "io/hdf5.hpp"
#include "io/output_paths.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using pk::io::NamedPath;

namespace {

/// A fresh folder per test, removed afterwards; the test runs inside it.
class Scratch : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("pk_output_paths_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    previous_ = fs::current_path();
    fs::current_path(root_);
  }
  void TearDown() override {
    fs::current_path(previous_);
    fs::remove_all(root_);
  }
  static void put(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  static std::string get(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  /// Files in the folder whose name contains ".tmp." (left-over temporaries).
  static int temporaries(const std::string& folder = ".") {
    int n = 0;
    for (const auto& e : fs::directory_iterator(folder))
      if (e.path().filename().string().find(".tmp.") != std::string::npos) ++n;
    return n;
  }
  fs::path root_, previous_;
};

template <class E, class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("wrong exception type: ") + e.what();
  }
  return "no exception";
}

TEST_F(Scratch, SymlinkNamesItsTarget) {
  put("data.csv", "1\n");
  fs::create_symlink("data.csv", "link.csv");
  EXPECT_TRUE(pk::io::same_file("link.csv", "data.csv"));
  EXPECT_TRUE(pk::io::same_file((root_ / "link.csv").string(), "data.csv"));
  put("other.csv", "1\n");  // same content, another file
  EXPECT_FALSE(pk::io::same_file("other.csv", "data.csv"));
}

TEST_F(Scratch, DotDotResolvesExistingAndMissingFiles) {
  fs::create_directories("dir/sub");
  put("dir/file", "x");
  EXPECT_TRUE(pk::io::same_file("dir/sub/../file", "dir/file"));
  EXPECT_TRUE(pk::io::same_file("./dir/./sub/../file", root_.string() + "/dir/file"));
  // Not yet written: the same name, however spelt.
  EXPECT_TRUE(pk::io::same_file("dir/sub/../new.h5", "dir/new.h5"));
  EXPECT_FALSE(pk::io::same_file("dir/sub/new.h5", "dir/new.h5"));
}

TEST_F(Scratch, DotDotAfterASymlinkedFolderIsPhysical) {
  // link -> dir/sub, so link/../file is dir/file (as the kernel resolves it), not ./file.
  fs::create_directories("dir/sub");
  put("dir/file", "in dir");
  put("file", "at the top");
  fs::create_directory_symlink("dir/sub", "link");
  EXPECT_TRUE(pk::io::same_file("link/../file", "dir/file"));
  EXPECT_FALSE(pk::io::same_file("link/../file", "file"));
  EXPECT_TRUE(pk::io::same_file("link/../missing.h5", "dir/missing.h5"));
}

TEST_F(Scratch, HardLinksAreOneFile) {
  put("a.h5", "data");
  ASSERT_EQ(::link("a.h5", "b.h5"), 0);
  EXPECT_TRUE(pk::io::same_file("a.h5", "b.h5"));
  const std::string m = message_of<pk::UsageError>(
      [] { pk::io::check_output_paths("pk test", {{"--network", "a.h5"}}, {{"--output", "b.h5"}}); });
  EXPECT_NE(m.find("--output 'b.h5'"), std::string::npos) << m;
  EXPECT_NE(m.find("--network 'a.h5'"), std::string::npos) << m;
  EXPECT_EQ(get("a.h5"), "data");
}

TEST_F(Scratch, OutputOverInputIsAUsageError) {
  fs::create_directory("d");
  put("d/states.csv", "id\n");
  fs::create_symlink("d/states.csv", "s.csv");
  for (const std::string& out :
       std::vector<std::string>{"d/states.csv", "s.csv", "d/../d/states.csv", (root_ / "d/states.csv").string()}) {
    const std::string m = message_of<pk::UsageError>(
        [&] { pk::io::check_output_paths("pk kmc", {{"--states", "d/states.csv"}}, {{"--output", out}}); });
    EXPECT_NE(m.find("pk kmc: the output --output '" + out + "' is the input --states 'd/states.csv'"), std::string::npos)
        << m;
    EXPECT_NE(m.find((root_ / "d/states.csv").string()), std::string::npos) << m;  // the resolved path
  }
  EXPECT_EQ(get("d/states.csv"), "id\n");
  EXPECT_NO_THROW(pk::io::check_output_paths("pk kmc", {{"--states", "d/states.csv"}}, {{"--output", "d/run.h5"}}));
}

TEST_F(Scratch, TwoOutputsOnOneFile) {
  const std::string m = message_of<pk::UsageError>([] {
    pk::io::check_output_paths("pk solve", {}, {{"--output", "r.h5"}, {"--summary", "./r.h5"}});
  });
  EXPECT_NE(m.find("the outputs --output 'r.h5' and --summary './r.h5' are the same file"), std::string::npos) << m;
  EXPECT_NO_THROW(pk::io::check_output_paths("pk solve", {}, {{"--output", "r.h5"}, {"--summary", "r.json"}}));
  EXPECT_NO_THROW(pk::io::check_output_paths("pk solve", {}, {{"--output", "r.h5"}, {"--summary", ""}}));
}

TEST_F(Scratch, MissingParentFolder) {
  EXPECT_TRUE(pk::io::same_file("nope/x.h5", "nope/./x.h5"));
  EXPECT_FALSE(pk::io::identify("nope/x.h5").exists);
  EXPECT_EQ(pk::io::identify("nope/deeper/../x.h5").canonical, (root_ / "nope/x.h5").string());
  const std::string m =
      message_of<pk::SystemError>([] { pk::io::check_output_paths("pk solve", {}, {{"--summary", "nope/x.json"}}); });
  EXPECT_NE(m.find("--summary 'nope/x.json'"), std::string::npos) << m;
  EXPECT_NE(m.find("the folder 'nope' does not exist"), std::string::npos) << m;
  // A command that creates its folders (dock --dir, run --output) may name a missing one.
  EXPECT_NO_THROW(pk::io::check_output_paths("pk run", {}, {{"--output", "nope/deeper/x.h5", true}}));
  EXPECT_FALSE(fs::exists("nope"));  // checking creates nothing
}

TEST_F(Scratch, UnwritableOutputs) {
  put("plain", "a file");
  fs::create_directory("folder");
  const std::string under_file =
      message_of<pk::SystemError>([] { pk::io::check_output_paths("pk", {}, {{"--output", "plain/x.h5"}}); });
  EXPECT_NE(under_file.find("'plain' is not a folder"), std::string::npos) << under_file;
  const std::string under_file_created =
      message_of<pk::SystemError>([] { pk::io::check_output_paths("pk", {}, {{"--output", "plain/a/x.h5", true}}); });
  EXPECT_NE(under_file_created.find("'plain/a/x.h5'"), std::string::npos) << under_file_created;
  const std::string folder =
      message_of<pk::SystemError>([] { pk::io::check_output_paths("pk", {}, {{"--output", "folder"}}); });
  EXPECT_NE(folder.find("it is a folder"), std::string::npos) << folder;
  EXPECT_NO_THROW(pk::io::check_output_paths("pk", {}, {{"--summary", "/dev/null"}}));  // a device: streamed
}

TEST_F(Scratch, InputsInsideAWrittenFolder) {
  fs::create_directories("out/report");
  put("out/report/config.ini", "");
  put("config.ini", "");
  EXPECT_TRUE(pk::io::inside_folder("out/report/config.ini", "out"));
  EXPECT_TRUE(pk::io::inside_folder("out/report/../report/config.ini", "out/report"));
  EXPECT_FALSE(pk::io::inside_folder("config.ini", "out"));
  EXPECT_FALSE(pk::io::inside_folder("outside.ini", "out"));  // a prefix of the name is not the folder
  EXPECT_THROW(pk::io::check_inputs_outside("pk run", {{"--config", "out/report/config.ini"}}, {"--output", "out/report"}),
               pk::UsageError);
  EXPECT_NO_THROW(pk::io::check_inputs_outside("pk run", {{"--config", "config.ini"}}, {"--output", "out/report"}));
}

TEST_F(Scratch, AtomicWriteReplacesWholeAndLeavesNoTemporary) {
  put("r.json", "old");
  ::chmod("r.json", 0640);
  pk::io::write_file_atomically("r.json", "new contents");
  EXPECT_EQ(get("r.json"), "new contents");
  struct stat st {};
  ASSERT_EQ(::stat("r.json", &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);  // the replacement keeps the earlier permissions
  EXPECT_EQ(temporaries(), 0);
}

TEST_F(Scratch, TemporariesAreUniqueAndInTheTargetFolder) {
  fs::create_directory("d");
  pk::io::PendingFile a("d/x.h5"), b("d/x.h5");
  EXPECT_NE(a.temporary(), b.temporary());
  EXPECT_EQ(fs::path(a.temporary()).parent_path(), fs::path("d"));
  EXPECT_EQ(a.temporary().rfind("d/x.h5.tmp.", 0), 0u) << a.temporary();
  // Two writers of one output interleaved: both commit, the last rename wins, no temporary stays.
  a.write("from a");
  b.write("from b");
  a.commit();
  EXPECT_EQ(get("d/x.h5"), "from a");
  b.commit();
  EXPECT_EQ(get("d/x.h5"), "from b");
  EXPECT_EQ(temporaries("d"), 0);
}

TEST_F(Scratch, FailureKeepsTheEarlierFile) {
  put("r.h5", "earlier result");
  {
    pk::io::PendingFile p("r.h5");
    p.write("half a result");
    EXPECT_EQ(temporaries(), 1);
    // An exception before commit(): the destructor removes the temporary.
  }
  EXPECT_EQ(get("r.h5"), "earlier result");
  EXPECT_EQ(temporaries(), 0);
  // The target's folder vanished between check and commit: the write fails, nothing changes.
  EXPECT_THROW(pk::io::write_file_atomically("gone/r.json", "x"), pk::SystemError);
  const std::string space =
      message_of<pk::SystemError>([] { pk::io::require_free_space("r.h5", std::uint64_t(1) << 62); });
  EXPECT_NE(space.find("cannot write r.h5: it needs 4611686018427387904 bytes"), std::string::npos) << space;
  EXPECT_NO_THROW(pk::io::require_free_space("r.h5", 1));
  const std::string full = message_of<pk::SystemError>([] { pk::io::write_file_atomically("/dev/full", "x"); });
  EXPECT_NE(full.find("No space left on device"), std::string::npos) << full;
}

TEST_F(Scratch, SymlinkedOutputIsWrittenThrough) {
  fs::create_directory("results");
  put("results/r.json", "old");
  fs::create_symlink("results/r.json", "r.json");
  pk::io::write_file_atomically("r.json", "new");
  EXPECT_TRUE(fs::is_symlink("r.json"));
  EXPECT_EQ(get("results/r.json"), "new");
  EXPECT_EQ(temporaries("results") + temporaries(), 0);
}

TEST_F(Scratch, Hdf5OutputUncommittedLeavesTheEarlierFile) {
  put("r.h5", "earlier result");
  {
    pk::io::PendingFile p("r.h5");
    pk::io::File f = pk::io::File::create(p.temporary(), MPI_COMM_NULL);
    pk::io::write_replicated(f, "/values", std::vector<double>{1.0, 2.0}, "1");
    EXPECT_EQ(get("r.h5"), "earlier result");  // written beside it, not into it
    f.close();
  }  // an error before commit(): the temporary goes
  EXPECT_EQ(get("r.h5"), "earlier result");
  EXPECT_EQ(temporaries(), 0);
}

TEST_F(Scratch, Hdf5ReadErrorsAreOneMessageWithoutTheErrorStack) {
  put("text.h5", "not an HDF5 file\n");
  {  // a real file, then cut short
    pk::io::PendingFile p("whole.h5");
    {
      pk::io::File f = pk::io::File::create(p.temporary(), MPI_COMM_NULL);
      pk::io::write_replicated(f, "/values", std::vector<double>(4096, 1.5), "1");
    }
    p.commit();
  }
  const std::string whole = get("whole.h5");
  put("cut.h5", whole.substr(0, whole.size() / 3));
  for (const std::string bad : {std::string("text.h5"), std::string("cut.h5"), std::string("missing.h5")}) {
    ::testing::internal::CaptureStderr();
    std::string m;
    try {
      pk::io::File f = pk::io::File::open_read(bad, MPI_COMM_NULL);
      (void)pk::io::read_all<double>(f, "/values");
      m = "no exception";
    } catch (const pk::InputError& e) {
      m = e.what();
    } catch (const pk::SystemError& e) {
      m = e.what();
    }
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(err, "") << bad << ": HDF5 printed its error stack";
    EXPECT_EQ(m.rfind(bad + ": ", 0), 0u) << m;
  }
}

}  // namespace
