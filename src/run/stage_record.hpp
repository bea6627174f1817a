// What each stage of `pandakinetics run` was computed from (issue 19): a
// resumed run skips a stage only when its output exists and its record, the
// stage's command line, the config entries it reads and a hash of every
// input file it names, is the one this run would write. A different
// --temperature, --concentration, config entry or input file recomputes the
// stage and every stage after it.
#pragma once

#include <string>
#include <vector>

namespace pk::pipeline {

/// The record of stage `name` run as `args` (the subcommand's arguments,
/// `--config FILE` included) with config file `config` ("" for none): one
/// line per argument list, config entry of the stage's section (or of none),
/// and input file (path and FNV-1a hash of its bytes). Output options and
/// the config file itself are not hashed (its entries are listed).
std::string stage_record(const std::string& name, const std::vector<std::string>& args, const std::string& config);

/// Where the record of the stage writing `done_file` is kept:
/// <folder of done_file>/stages/<name>.inputs.
std::string stage_record_path(const std::string& done_file, const std::string& name);

/// Whether `done_file` exists and `record_file` holds `record` (the stage
/// may be skipped). Otherwise `why` says why an existing output is
/// recomputed (no record, the first line that differs), empty when there is none.
bool stage_is_current(const std::string& done_file, const std::string& record_file, const std::string& record,
                      std::string& why);

/// Writes the record atomically (creating the stages/ folder); false with a
/// message in `error` when it could not (the stage then runs again next time).
bool write_stage_record(const std::string& record_file, const std::string& record, std::string& error);

/// A file's identity (device, inode, modification time; empty when missing):
/// a stage that replaced its output changed it.
std::string file_identity(const std::string& path);

}  // namespace pk::pipeline
