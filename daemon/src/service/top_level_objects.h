// Use cases shared by every named object that lives directly in the organization
// (workspaces, service accounts, ...): get, list, create, update and delete, each in one
// store transaction with its audit event, optimistic concurrency and idempotent creates.
//
// A kind takes part by specializing TopLevelKind<T> with its store accessors; the rules
// are then the same for all of them by construction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "model/list_query.h"
#include "model/tenancy_json.h"
#include "model/validation.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"
#include "service/object_rules.h"
#include "store/store.h"

namespace rampart {

template <typename T>
struct TopLevelKind;

template <>
struct TopLevelKind<Workspace> {
  static constexpr const char* kKind = "workspace";    // in messages
  static constexpr const char* kAction = "workspace";  // audit action prefix
  static constexpr const char* kIdPrefix = kWorkspaceIdPrefix;
  static auto List(StoreTransaction& t, const std::string& org, const ListQuery& query) {
    return t.ListWorkspaces(org, query);
  }
  static auto GetById(StoreTransaction& t, const std::string& org, const std::string& id) {
    return t.GetWorkspaceById(org, id);
  }
  static auto GetByName(StoreTransaction& t, const std::string& org, const std::string& name) {
    return t.GetWorkspaceByName(org, name);
  }
  static Status Insert(StoreTransaction& t, const Workspace& w) { return t.InsertWorkspace(w); }
  static Status Update(StoreTransaction& t, const Workspace& w) { return t.UpdateWorkspace(w); }
  static Status Delete(StoreTransaction& t, const std::string& org, const std::string& id) {
    return t.DeleteWorkspace(org, id);
  }
  static AuditTarget Target(const Workspace& w) {
    return {"workspace", w.meta.id, w.meta.name, w.meta.id, ""};
  }
};

template <>
struct TopLevelKind<ServiceAccount> {
  static constexpr const char* kKind = "service account";
  static constexpr const char* kAction = "service_account";
  static constexpr const char* kIdPrefix = kServiceAccountIdPrefix;
  static auto List(StoreTransaction& t, const std::string& org, const ListQuery& query) {
    return t.ListServiceAccounts(org, query);
  }
  static auto GetById(StoreTransaction& t, const std::string& org, const std::string& id) {
    return t.GetServiceAccountById(org, id);
  }
  static auto GetByName(StoreTransaction& t, const std::string& org, const std::string& name) {
    return t.GetServiceAccountByName(org, name);
  }
  static Status Insert(StoreTransaction& t, const ServiceAccount& a) {
    return t.InsertServiceAccount(a);
  }
  static Status Update(StoreTransaction& t, const ServiceAccount& a) {
    return t.UpdateServiceAccount(a);
  }
  static Status Delete(StoreTransaction& t, const std::string& org, const std::string& id) {
    return t.DeleteServiceAccount(org, id);
  }
  static AuditTarget Target(const ServiceAccount& a) {
    return {"service_account", a.meta.id, a.meta.name, "", ""};
  }
};

namespace top_level {

// The object `ref` (an id or a name) names in the caller's organization.
template <typename T>
Result<T> Resolve(StoreTransaction& transaction, const RequestContext& context,
                  const std::string& ref) {
  using Kind = TopLevelKind<T>;
  if (IsIdOf(ref, Kind::kIdPrefix)) return Kind::GetById(transaction, context.organization_id, ref);
  return Kind::GetByName(transaction, context.organization_id, ref);
}

template <typename T>
Result<T> Get(Store& store, const RequestContext& context, const std::string& ref) {
  std::optional<T> object;
  RAMPART_RETURN_IF_ERROR(store.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(object, Resolve<T>(transaction, context, ref));
    return Status::Ok();
  }));
  return std::move(*object);
}

template <typename T>
Result<Page<T>> List(Store& store, const RequestContext& context, const ListRequest& request) {
  RAMPART_ASSIGN_OR_RETURN(ListQuery query, ToListQuery(request));
  std::vector<T> rows;
  RAMPART_RETURN_IF_ERROR(store.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(rows, TopLevelKind<T>::List(transaction, context.organization_id, query));
    return Status::Ok();
  }));
  return ToPage(std::move(rows), request.page_size);
}

template <typename T>
Result<T> Create(Store& store, const Clock& clock, const RequestContext& context,
                 const ObjectSpec& spec) {
  using Kind = TopLevelKind<T>;
  RAMPART_RETURN_IF_ERROR(ValidateSpec(spec));
  const std::string action = std::string(Kind::kAction) + ".create";
  const std::string fingerprint = RequestFingerprint(action, "", spec);
  T object{NewMeta(context, Kind::kIdPrefix, spec, clock.Now())};
  RAMPART_RETURN_IF_ERROR(store.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                             FindEarlierCreate(transaction, context, action, fingerprint));
    if (earlier) {
      Result<T> first = Kind::GetById(transaction, context.organization_id, *earlier);
      if (!first.ok()) return CreatedThenDeleted(*earlier);
      object = std::move(first).value();
      return Status::Ok();
    }
    if (Kind::GetByName(transaction, context.organization_id, spec.name).ok()) {
      return NameTaken(Kind::kKind, spec.name, "this organization");
    }
    RAMPART_RETURN_IF_ERROR(Kind::Insert(transaction, object));
    RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, action, fingerprint,
                                           object.meta.id, clock.Now()));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock.Now(), action,
                                                       Kind::Target(object), nullptr,
                                                       ToJson(object)));
  }));
  return object;
}

template <typename T>
Result<T> Update(Store& store, const Clock& clock, const RequestContext& context,
                 const std::string& ref, const ObjectPatch& patch,
                 std::optional<int64_t> if_match) {
  using Kind = TopLevelKind<T>;
  RAMPART_RETURN_IF_ERROR(ValidatePatch(patch));
  std::optional<T> updated;
  RAMPART_RETURN_IF_ERROR(store.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(T object, Resolve<T>(transaction, context, ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, object.meta));
    if (patch.name && *patch.name != object.meta.name &&
        Kind::GetByName(transaction, context.organization_id, *patch.name).ok()) {
      return NameTaken(Kind::kKind, *patch.name, "this organization");
    }
    nlohmann::json before = ToJson(object);
    if (ApplyChange(patch, clock.Now(), object.meta)) {
      RAMPART_RETURN_IF_ERROR(Kind::Update(transaction, object));
      RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
          MakeAuditEvent(context, clock.Now(), std::string(Kind::kAction) + ".update",
                         Kind::Target(object), before, ToJson(object))));
    }
    updated = std::move(object);
    return Status::Ok();
  }));
  return std::move(*updated);
}

// `before_delete`, when given, runs in the deletion's transaction: it may veto the deletion
// (a workspace that still has projects) or change what depends on the object (revoke a
// service account's keys).
template <typename T>
Status Delete(Store& store, const Clock& clock, const RequestContext& context,
              const std::string& ref, std::optional<int64_t> if_match,
              const std::function<Status(StoreTransaction&, const T&)>& before_delete = nullptr) {
  using Kind = TopLevelKind<T>;
  return store.Write([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(T object, Resolve<T>(transaction, context, ref));
    RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, object.meta));
    if (before_delete) RAMPART_RETURN_IF_ERROR(before_delete(transaction, object));
    RAMPART_RETURN_IF_ERROR(Kind::Delete(transaction, context.organization_id, object.meta.id));
    return transaction.AppendAuditEvent(MakeAuditEvent(context, clock.Now(),
                                                       std::string(Kind::kAction) + ".delete",
                                                       Kind::Target(object), ToJson(object),
                                                       nullptr));
  });
}

}  // namespace top_level
}  // namespace rampart
