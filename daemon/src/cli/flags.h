// Command-line flags of the rampartd subcommands: `--name value` or `--name=value`, each
// with an environment fallback (RAMPART_<NAME>), so the same settings work from a unit file.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace rampart::cli {

class Flags {
 public:
  // Parses `args` (after the subcommand); unknown flags are an error naming them.
  static Result<Flags> Parse(const std::vector<std::string>& args,
                             const std::set<std::string>& known);

  // The flag's value, else the environment's RAMPART_<NAME> (dashes become underscores).
  std::optional<std::string> Get(const std::string& name) const;
  // As Get, but kInvalidArgument naming the flag when it has no value.
  Result<std::string> Require(const std::string& name) const;
  // As Get, read as an RFC 3339 instant; kInvalidArgument naming the flag when it is not one.
  Result<std::optional<TimestampMs>> GetTime(const std::string& name) const;
  // As Get, read as a whole number from `min` to `max`; kInvalidArgument naming the flag
  // and the range otherwise.
  Result<std::optional<size_t>> GetCount(const std::string& name, size_t min, size_t max) const;

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace rampart::cli
