// ObjectService<T>: the use cases every kind of named object shares (get, list, create,
// update, delete, and audited changes of other shapes), each in one store transaction with
// its audit event, optimistic concurrency and idempotent creates. What differs per kind is
// in Kind<T> (object_kinds.h) and the kind's JSON patch (model/*_json.h).
//
// Objects are looked up within the caller's organization only: a foreign id answers
// kNotFound exactly like a missing one. Thread-safe; borrows the Store and Clock, which
// must outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "model/governance_json.h"
#include "model/list_query.h"
#include "model/principals_json.h"
#include "model/roles_json.h"
#include "model/stacks_json.h"
#include "model/tenancy_json.h"
#include "service/audit_recorder.h"
#include "service/idempotency.h"
#include "service/object_kinds.h"
#include "service/object_rules.h"
#include "store/store.h"

namespace rampart {

// References (ids or names) from the organization down to an object or a parent:
// {} is the organization, {"alpha"} workspaces/alpha, {"alpha", "recsys"} its project.
using ObjectPath = std::vector<std::string>;

// "this organization", "workspace \"alpha\"": where a name must be unique, for messages.
inline std::string Describe(const Organization&) { return "this organization"; }
template <typename T>
std::string Describe(const T& object) {
  return std::string(Kind<T>::kName) + " \"" + object.meta.name + "\"";
}

// The object `ref` names directly under `parent`. An id of an object under another parent
// does not exist at this path.
template <typename T>
Result<T> ResolveIn(StoreTransaction& transaction, const RequestContext& context,
                    const typename Kind<T>::Parent& parent, const std::string& ref) {
  using K = Kind<T>;
  if (IsIdOf(ref, K::kIdPrefix)) {
    RAMPART_ASSIGN_OR_RETURN(T object, K::Table(transaction).GetById(context.organization_id, ref));
    if (K::ParentId(object) != parent.meta.id) {
      return Status::NotFound(std::string(K::kName) + " " + ref + " not found in " +
                              Describe(parent));
    }
    return object;
  }
  RAMPART_ASSIGN_OR_RETURN(std::string name, K::NameOf(transaction, context, parent, ref));
  return K::Table(transaction).GetByName(context.organization_id, parent.meta.id, name);
}

// The object at `path`. REQUIRES: path.size() is T's depth below the organization.
template <typename T>
Result<T> ResolvePath(StoreTransaction& transaction, const RequestContext& context,
                      const ObjectPath& path) {
  if constexpr (std::is_same_v<T, Organization>) {
    return transaction.GetOrganization(context.organization_id);
  } else {
    using Parent = typename Kind<T>::Parent;
    ObjectPath parent_path(path.begin(), path.end() - 1);
    RAMPART_ASSIGN_OR_RETURN(Parent parent, ResolvePath<Parent>(transaction, context, parent_path));
    return ResolveIn<T>(transaction, context, parent, path.back());
  }
}

template <typename T>
class ObjectService {
 public:
  using K = Kind<T>;
  using Parent = typename K::Parent;
  // Changes `object` (already resolved under `parent`) in place; runs in the write
  // transaction, so it may read and check other objects.
  using Change = std::function<Status(StoreTransaction&, const Parent&, T&)>;

  // Vets a change once it is resolved, inside its transaction: a create (before null), an
  // update, or a delete (after null). Authorization of what the change grants lives here.
  using Guard = std::function<Status(const RequestContext&, const T* before, const T* after)>;

  // May the caller read this object? For kinds whose objects each sit at a scope of their
  // own (workspaces, projects, stacks, role assignments), where a permission on the list's
  // parent says nothing: lists keep only what the caller may read (SPEC section 3), and a
  // read of one object the caller may not read is denied.
  using ReadGuard = std::function<Status(const RequestContext&, const T&)>;

  ObjectService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  void SetGuard(Guard guard) { guard_ = std::move(guard); }
  void SetReadGuard(ReadGuard guard) { read_guard_ = std::move(guard); }
  // True when reads are authorized here, object by object, rather than by the route.
  bool GuardsReads() const { return read_guard_ != nullptr; }

  Result<T> Get(const RequestContext& context, const ObjectPath& path) {
    std::optional<T> object;
    RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(object, ResolvePath<T>(transaction, context, path));
      return Status::Ok();
    }));
    if (read_guard_) RAMPART_RETURN_IF_ERROR(read_guard_(context, *object));
    return std::move(*object);
  }

  // Any object of this kind in the organization by id, whatever its parent.
  Result<T> GetById(const RequestContext& context, const std::string& id) {
    if (!IsIdOf(id, K::kIdPrefix)) {
      return Status::NotFound(std::string(K::kName) + " " + id + " not found (this path takes an id)");
    }
    std::optional<T> object;
    RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(object, K::Table(transaction).GetById(context.organization_id, id));
      return Status::Ok();
    }));
    if (read_guard_) RAMPART_RETURN_IF_ERROR(read_guard_(context, *object));
    return std::move(*object);
  }

  Result<Page<T>> List(const RequestContext& context, const ObjectPath& parent_path,
                       const ListRequest& request) {
    RAMPART_ASSIGN_OR_RETURN(ListQuery query, ToListQuery(request));
    std::vector<T> visible;
    RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(Parent parent, ResolvePath<Parent>(transaction, context, parent_path));
      // Batches of query.limit rows until a page and one more are visible, or none are left:
      // the page's token then follows its last visible row.
      while (true) {
        RAMPART_ASSIGN_OR_RETURN(
            std::vector<T> rows,
            K::Table(transaction).List(context.organization_id, parent.meta.id, query));
        bool more = rows.size() == query.limit;
        if (more) {
          query.after_name = rows.back().meta.name;
          query.after_id = rows.back().meta.id;
        }
        for (T& row : rows) {
          if (visible.size() > request.page_size) break;
          if (!read_guard_ || read_guard_(context, row).ok()) visible.push_back(std::move(row));
        }
        if (visible.size() > request.page_size || !more) return Status::Ok();
      }
    }));
    return ToPage(std::move(visible), request.page_size);
  }

  // `body` is the create request: the kind's writable fields.
  Result<T> Create(const RequestContext& context, const ObjectPath& parent_path,
                   const nlohmann::json& body) {
    T object{};
    RAMPART_RETURN_IF_ERROR(ApplyPatch(body, PatchMode::kCreate, object));
    const std::string action = std::string(K::kName) + ".create";
    RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(Parent parent, ResolvePath<Parent>(transaction, context, parent_path));
      const std::string fingerprint = RequestFingerprint(action, parent.meta.id, body);
      RAMPART_ASSIGN_OR_RETURN(std::optional<std::string> earlier,
                               FindEarlierCreate(transaction, context, action, fingerprint, clock_.Now()));
      if (earlier) {
        Result<T> first = K::Table(transaction).GetById(context.organization_id, *earlier);
        if (!first.ok()) return CreatedThenDeleted(*earlier);
        object = std::move(first).value();
        // A retry answers only a caller who could have made it (the key may be another's).
        if (guard_) RAMPART_RETURN_IF_ERROR(guard_(context, nullptr, &object));
        return Status::Ok();
      }
      StampNew(context, K::kIdPrefix, clock_.Now(), object.meta);
      K::Attach(parent, object);
      RAMPART_RETURN_IF_ERROR(K::Prepare(transaction, context, parent, static_cast<const T*>(nullptr), object,
                                         clock_.Now()));
      RAMPART_RETURN_IF_ERROR(CheckNameFree(transaction, context, parent, object));
      if (guard_) RAMPART_RETURN_IF_ERROR(guard_(context, nullptr, &object));
      RAMPART_RETURN_IF_ERROR(K::Table(transaction).Insert(object));
      RAMPART_RETURN_IF_ERROR(RememberCreate(transaction, context, action, fingerprint,
                                             object.meta.id, clock_.Now()));
      return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(), action,
                                                         K::Target(object), nullptr,
                                                         ToJson(object)));
    }));
    return object;
  }

  // `patch` is a JSON merge patch of the kind's writable fields. `if_match`: the revision
  // the caller last saw; kPreconditionFailed when stale.
  Result<T> Update(const RequestContext& context, const ObjectPath& path,
                   const nlohmann::json& patch, std::optional<int64_t> if_match) {
    return Modify(context, path, if_match, "update",
                  [&](StoreTransaction& transaction, const Parent& parent, T& object) -> Status {
                    const T before = object;
                    RAMPART_RETURN_IF_ERROR(ApplyPatch(patch, PatchMode::kUpdate, object));
                    return K::Prepare(transaction, context, parent, &before, object, clock_.Now());
                  });
  }

  // Applies `change` as a new revision audited as "<kind>.<action>". A change that leaves
  // the object as it was writes nothing: no new revision, no audit event, so ETags only
  // move on real changes.
  Result<T> Modify(const RequestContext& context, const ObjectPath& path,
                   std::optional<int64_t> if_match, const std::string& action,
                   const Change& change) {
    std::optional<T> result;
    RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
      ObjectPath parent_path(path.begin(), path.end() - 1);
      RAMPART_ASSIGN_OR_RETURN(Parent parent, ResolvePath<Parent>(transaction, context, parent_path));
      RAMPART_ASSIGN_OR_RETURN(T object, ResolveIn<T>(transaction, context, parent, path.back()));
      RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, object.meta));
      const nlohmann::json before = ToJson(object);
      const T original = object;
      RAMPART_RETURN_IF_ERROR(change(transaction, parent, object));
      if (guard_) RAMPART_RETURN_IF_ERROR(guard_(context, &original, &object));
      if (ToJson(object) == before) {
        result = std::move(object);
        return Status::Ok();
      }
      if (object.meta.name != original.meta.name) {
        RAMPART_RETURN_IF_ERROR(CheckNameFree(transaction, context, parent, object));
      }
      StampChanged(clock_.Now(), object.meta);
      RAMPART_RETURN_IF_ERROR(K::Table(transaction).Update(object));
      RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(
          MakeAuditEvent(context, clock_.Now(), std::string(K::kName) + "." + action,
                         K::Target(object), before, ToJson(object))));
      result = std::move(object);
      return Status::Ok();
    }));
    return std::move(*result);
  }

  Status Delete(const RequestContext& context, const ObjectPath& path,
                std::optional<int64_t> if_match) {
    return store_.Write([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(T object, ResolvePath<T>(transaction, context, path));
      RAMPART_RETURN_IF_ERROR(CheckRevision(if_match, object.meta));
      if (guard_) RAMPART_RETURN_IF_ERROR(guard_(context, &object, nullptr));
      RAMPART_RETURN_IF_ERROR(K::BeforeDelete(transaction, context, object, clock_.Now()));
      RAMPART_RETURN_IF_ERROR(K::Table(transaction).Delete(context.organization_id, object.meta.id));
      return transaction.AppendAuditEvent(MakeAuditEvent(context, clock_.Now(),
                                                         std::string(K::kName) + ".delete",
                                                         K::Target(object), ToJson(object),
                                                         nullptr));
    });
  }

 private:
  static Status CheckNameFree(StoreTransaction& transaction, const RequestContext& context,
                              const Parent& parent, const T& object) {
    Result<T> holder =
        K::Table(transaction).GetByName(context.organization_id, parent.meta.id, object.meta.name);
    if (holder.ok()) return NameTaken(K::kName, object.meta.name, Describe(parent), K::kNameField);
    if (holder.status().code() == StatusCode::kNotFound) return Status::Ok();
    return holder.status();
  }

  Store& store_;
  const Clock& clock_;
  Guard guard_;            // set once at wiring, before any use
  ReadGuard read_guard_;   // likewise
};

}  // namespace rampart
