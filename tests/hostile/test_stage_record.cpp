// run/stage_record.hpp: what a `run` stage was made from, and when a resumed
// run may skip it (issue 19: a resume with another --temperature reported the
// old conditions' results).
#include "run/stage_record.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace {

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

class StageRecord : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = "stage_record_test_" + std::to_string(::getpid());
    ::mkdir(dir.c_str(), 0777);
    write(dir + "/net.h5", "network bytes");
    write(dir + "/out.h5", "old output");
    write(dir + "/run.ini", "[solve]\ntime-points = 61\n[kmc]\nwalkers = 256\n");
  }
  void TearDown() override { std::system(("rm -rf " + dir).c_str()); }
  std::vector<std::string> args(const std::string& conc) const {
    return {"solve", "--config", dir + "/run.ini", "--network", dir + "/net.h5", "--output", dir + "/out.h5",
            "--concentration", conc};
  }
  std::string dir;
};

TEST_F(StageRecord, ListsArgumentsTheStagesConfigEntriesAndInputHashes) {
  const std::string r = pk::pipeline::stage_record("solve", args("1e-06"), dir + "/run.ini");
  EXPECT_NE(r.find("arg --concentration\narg 1e-06\n"), std::string::npos) << r;
  EXPECT_NE(r.find("config [solve] time-points = 61\n"), std::string::npos) << r;
  EXPECT_EQ(r.find("walkers"), std::string::npos) << "another stage's entry: " << r;
  EXPECT_NE(r.find("input --network " + dir + "/net.h5 "), std::string::npos) << r;
  EXPECT_EQ(r.find("input --output"), std::string::npos) << "an output hashed: " << r;
  EXPECT_EQ(r.find("input --config"), std::string::npos) << "the config file hashed whole: " << r;
}

TEST_F(StageRecord, ChangesWithAnOptionAnInputFileOrAConfigEntry) {
  const std::string ini = dir + "/run.ini";
  const std::string base = pk::pipeline::stage_record("solve", args("1e-06"), ini);
  EXPECT_EQ(base, pk::pipeline::stage_record("solve", args("1e-06"), ini));
  EXPECT_NE(base, pk::pipeline::stage_record("solve", args("2e-06"), ini));
  write(dir + "/net.h5", "network bytes, one rate changed");
  EXPECT_NE(base, pk::pipeline::stage_record("solve", args("1e-06"), ini));
  write(dir + "/net.h5", "network bytes");
  write(ini, "[solve]\ntime-points = 61\n[kmc]\nwalkers = 512\n");
  EXPECT_EQ(base, pk::pipeline::stage_record("solve", args("1e-06"), ini)) << "a [kmc] entry changed solve's record";
  write(ini, "[solve]\ntime-points = 91\n[kmc]\nwalkers = 256\n");
  EXPECT_NE(base, pk::pipeline::stage_record("solve", args("1e-06"), ini));
}

TEST_F(StageRecord, CurrentOnlyWithTheOutputAndTheSameRecord) {
  const std::string done = dir + "/out.h5", file = pk::pipeline::stage_record_path(done, "solve");
  EXPECT_EQ(file, dir + "/stages/solve.inputs");
  const std::string rec = pk::pipeline::stage_record("solve", args("1e-06"), dir + "/run.ini");
  std::string why, error;
  EXPECT_FALSE(pk::pipeline::stage_is_current(done, file, rec, why));
  EXPECT_NE(why.find("exists but not " + file), std::string::npos) << why;
  ASSERT_TRUE(pk::pipeline::write_stage_record(file, rec, error)) << error;
  EXPECT_TRUE(pk::pipeline::stage_is_current(done, file, rec, why));
  const std::string other = pk::pipeline::stage_record("solve", args("2e-06"), dir + "/run.ini");
  EXPECT_FALSE(pk::pipeline::stage_is_current(done, file, other, why));
  EXPECT_NE(why.find("'arg 1e-06', now 'arg 2e-06'"), std::string::npos) << why;
  std::remove(done.c_str());
  EXPECT_FALSE(pk::pipeline::stage_is_current(done, file, rec, why));
  EXPECT_TRUE(why.empty()) << "no output: the stage simply runs, " << why;
}

TEST_F(StageRecord, FileIdentityChangesWhenAFileIsReplaced) {
  const std::string path = dir + "/out.h5";
  const std::string before = pk::pipeline::file_identity(path);
  EXPECT_FALSE(before.empty());
  write(dir + "/new.h5", "new output");
  std::rename((dir + "/new.h5").c_str(), path.c_str());
  EXPECT_NE(before, pk::pipeline::file_identity(path));
  EXPECT_EQ(pk::pipeline::file_identity(dir + "/missing"), "");
}

}  // namespace
