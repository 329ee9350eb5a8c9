#include "cli/flags.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace rampart::cli {

Result<Flags> Flags::Parse(const std::vector<std::string>& args,
                           const std::set<std::string>& known) {
  Flags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) {
      return Status::InvalidArgument(arg, "unexpected argument (flags are --name value)",
                                     "unexpected_argument");
    }
    std::string name = arg.substr(2);
    std::string value;
    size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument("--" + name, "needs a value", "missing_value");
    }
    if (known.count(name) == 0) {
      std::string accepted;
      for (const std::string& flag : known) accepted += (accepted.empty() ? "--" : ", --") + flag;
      return Status::InvalidArgument("--" + name, "unknown flag (accepted: " + accepted + ")",
                                     "unknown_flag");
    }
    flags.values_[name] = value;
  }
  return flags;
}

std::optional<std::string> Flags::Get(const std::string& name) const {
  auto found = values_.find(name);
  if (found != values_.end()) return found->second;
  std::string variable = "RAMPART_" + name;
  std::transform(variable.begin(), variable.end(), variable.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  if (const char* value = std::getenv(variable.c_str()); value != nullptr && *value != '\0') {
    return std::string(value);
  }
  return std::nullopt;
}

Result<std::string> Flags::Require(const std::string& name) const {
  std::optional<std::string> value = Get(name);
  if (!value || value->empty()) {
    return Status::InvalidArgument("--" + name, "is required", "required");
  }
  return *value;
}

Result<std::optional<TimestampMs>> Flags::GetTime(const std::string& name) const {
  std::optional<std::string> text = Get(name);
  if (!text) return std::optional<TimestampMs>();
  TimestampMs instant = 0;
  if (!ParseTimestamp(*text, instant)) {
    return Status::InvalidArgument("--" + name, "must be an RFC 3339 instant such as 2026-11-01T00:00:00Z",
                                   "bad_time");
  }
  return std::optional<TimestampMs>(instant);
}

Result<std::optional<size_t>> Flags::GetCount(const std::string& name, size_t min, size_t max) const {
  std::optional<std::string> text = Get(name);
  if (!text) return std::optional<size_t>();
  size_t value = 0;
  bool digits = !text->empty() && text->size() <= 9 && text->find_first_not_of("0123456789") == std::string::npos;
  if (digits) value = std::stoul(*text);
  if (!digits || value < min || value > max) {
    return Status::InvalidArgument("--" + name,
                                   "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                                       " (got \"" + *text + "\")",
                                   "bad_count");
  }
  return std::optional<size_t>(value);
}

}  // namespace rampart::cli
