// libFuzzer target over what a request carries before any state is touched: the JSON body
// of every kind of object (create and update), the query parameters of lists and audit
// queries, and the If-Match header, through the same functions the route handlers call.
//
// Input: byte 0 picks the kind; the rest is the body (and, split at the first NUL, a query
// string). An update applies to an object a create made, as the store only holds those.
// Invariants checked, not just run:
//   - a refusal is kInvalidArgument (or kUnprocessable) naming the field, first in its message;
//   - parsing is deterministic: the same body twice gives the same object;
//   - a merge patch is idempotent: applying an accepted create body again as an update
//     leaves the object as it was.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "http/query_params.h"
#include "model/principals_json.h"
#include "model/roles_json.h"
#include "model/stacks_json.h"
#include "model/tenancy_json.h"

namespace {

using rampart::PatchMode;
using rampart::Status;
using rampart::StatusCode;

void Require(bool condition, const char* what) {
  if (!condition) {
    fprintf(stderr, "invariant broken: %s\n", what);
    abort();
  }
}

// A refusal is the caller's fault, named by field.
void CheckRefusal(const Status& status) {
  Require(status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kUnprocessable,
          "a rejected request is 400 or 422, never a server fault");
  Require(!status.field().empty(), "a refusal names the field at fault");
  Require(status.message().rfind(status.field(), 0) == 0, "the message names the field first");
}

template <typename T>
void FuzzKind(const nlohmann::json& body) {
  const PatchMode mode = PatchMode::kCreate;
  T first{};
  Status applied = ApplyPatch(body, mode, first);
  if (!applied.ok()) {
    CheckRefusal(applied);
    return;
  }
  T second{};
  Require(ApplyPatch(body, mode, second).ok(), "the same body is accepted twice");
  Require(ToJson(first) == ToJson(second), "the same body gives the same object");
  Require(rampart::http::ParseJsonObject(ToJson(first).dump()).ok(), "an accepted object reads back as JSON");
  T patched = first;
  Status again = ApplyPatch(body, PatchMode::kUpdate, patched);
  if (again.ok()) {
    Require(ToJson(patched) == ToJson(first), "a merge patch applied twice changes nothing");
  } else {
    CheckRefusal(again);
  }
}

void FuzzBody(uint8_t kind, const std::string& text) {
  rampart::Result<nlohmann::json> body = rampart::http::ParseJsonObject(text);
  if (!body.ok()) {
    CheckRefusal(body.status());
    return;
  }
  switch (kind % 11) {
    case 0: FuzzKind<rampart::Organization>(*body); break;
    case 1: FuzzKind<rampart::Workspace>(*body); break;
    case 2: FuzzKind<rampart::Project>(*body); break;
    case 3: FuzzKind<rampart::User>(*body); break;
    case 4: FuzzKind<rampart::ServiceAccount>(*body); break;
    case 5: FuzzKind<rampart::Team>(*body); break;
    case 6: FuzzKind<rampart::StackComponent>(*body); break;
    case 7: FuzzKind<rampart::Stack>(*body); break;
    case 8: FuzzKind<rampart::ProjectStack>(*body); break;
    case 9: FuzzKind<rampart::Role>(*body); break;
    default: FuzzKind<rampart::RoleAssignment>(*body); break;
  }
  if (rampart::Result<rampart::ApiKeySpec> spec = rampart::http::ReadApiKeySpec(*body); !spec.ok()) {
    CheckRefusal(spec.status());
  }
}

// "a=1&b=&c" into the multimap the server hands to the parsers; like httplib, a pair
// without a name is dropped.
rampart::http::QueryParams SplitQuery(const std::string& query) {
  rampart::http::QueryParams params;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string pair = query.substr(start, end - start);
    size_t equals = pair.find('=');
    if (equals != 0 && !pair.empty()) {
      params.emplace(pair.substr(0, equals), equals == std::string::npos ? "" : pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return params;
}

template <typename R>
void Expect(const R& result) {
  if (!result.ok()) CheckRefusal(result.status());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nul = rest.find('\0');
  const std::string body = rest.substr(0, nul);
  FuzzBody(data[0], body);
  if (nul != std::string::npos) {
    rampart::http::QueryParams params = SplitQuery(rest.substr(nul + 1));
    Expect(rampart::http::ParseListRequest(params));
    Expect(rampart::http::ParseAuditEventsRequest(params));
    Expect(rampart::http::ParseAuditExportRequest(params));
  }
  Expect(rampart::http::ParseIfMatch(body.substr(0, 64)));
  return 0;
}
