// rampartd check: "may PRINCIPAL do PERMISSION on RESOURCE?" answered from the data dir, now
// or at a past instant (the index rewound through the audit trail), with the same JSON as
// POST /v1/check. For operators and auditors without a running daemon or a token.
#include <iostream>

#include "authz/access_history.h"
#include "authz/check_answer.h"
#include "cli/commands.h"
#include "cli/flags.h"
#include "cli/store_location.h"

namespace rampart::cli {
namespace {

constexpr char kCheckUsage[] =
    "usage: rampartd check (--data-dir DIR | --database-url URL) --organization NAME --principal P --permission X\n"
    "                      --resource NAME_PATH [--at RFC3339]\n";

int FailCheck(const std::string& message) { return FailCommand("check", message); }

}  // namespace

int RunCheck(const std::vector<std::string>& args) {
  Result<Flags> flags =
      Flags::Parse(args, WithStoreFlags({"organization", "principal", "permission", "resource", "at"}));
  if (!flags.ok()) return FailCheck(flags.status().message() + "\n" + kCheckUsage);
  std::map<std::string, std::string> values;
  Result<StoreLocation> location = StoreLocation::FromFlags(*flags);
  if (!location.ok()) return FailCheck(location.status().message() + "\n" + kCheckUsage);
  for (const char* name : {"organization", "principal", "permission", "resource"}) {
    Result<std::string> value = flags->Require(name);
    if (!value.ok()) return FailCheck(value.status().message() + "\n" + kCheckUsage);
    values[name] = *value;
  }
  Result<std::optional<TimestampMs>> at = flags->GetTime("at");
  if (!at.ok()) return FailCheck(at.status().message());
  Result<size_t> permission = authz::ReadPermission(values["permission"], "--permission");
  if (!permission.ok()) return FailCheck(permission.status().message());

  Result<OpenedOrganization> opened = OpenOrganization(*location, values["organization"]);
  if (!opened.ok()) return FailCheck(opened.status().message());
  const std::string& organization_id = opened->organization.meta.id;
  const TimestampMs now = SystemClock().Now();
  const TimestampMs when = at->value_or(now);
  Result<std::unique_ptr<authz::AccessIndex>> index =
      authz::AccessIndexAt(*opened->store, organization_id, when, now, "--at");
  if (!index.ok()) return FailCheck(index.status().message());
  Result<authz::Principal> who = (*index)->ResolvePrincipal(organization_id, values["principal"], "--principal");
  if (!who.ok()) return FailCheck(who.status().message());
  Result<authz::Scope> where = (*index)->ResolveScope(organization_id, values["resource"], "--resource");
  if (!where.ok()) return FailCheck(where.status().message());

  authz::Decision decision = (*index)->Check(*who, *permission, *where, when);
  nlohmann::json answer = authz::CheckAnswer(decision, values["principal"], values["permission"], values["resource"]);
  answer["at"] = FormatTimestamp(when);
  std::cout << answer.dump() << "\n";
  return decision.allowed ? 0 : 1;
}

}  // namespace rampart::cli
