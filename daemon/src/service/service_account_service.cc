#include "service/service_account_service.h"

#include "service/api_key_service.h"
#include "service/top_level_objects.h"

namespace rampart {

Result<Page<ServiceAccount>> ServiceAccountService::List(const RequestContext& context,
                                                         const ListRequest& request) {
  return top_level::List<ServiceAccount>(store_, context, request);
}

Result<ServiceAccount> ServiceAccountService::Get(const RequestContext& context,
                                                  const std::string& ref) {
  return top_level::Get<ServiceAccount>(store_, context, ref);
}

Result<ServiceAccount> ServiceAccountService::Create(const RequestContext& context,
                                                     const ObjectSpec& spec) {
  return top_level::Create<ServiceAccount>(store_, clock_, context, spec);
}

Result<ServiceAccount> ServiceAccountService::Update(const RequestContext& context,
                                                     const std::string& ref,
                                                     const ObjectPatch& patch,
                                                     std::optional<int64_t> if_match) {
  return top_level::Update<ServiceAccount>(store_, clock_, context, ref, patch, if_match);
}

Status ServiceAccountService::Delete(const RequestContext& context, const std::string& ref,
                                     std::optional<int64_t> if_match) {
  // A deleted account's keys must stop working with it, in the same transaction.
  auto revoke_keys = [&](StoreTransaction& transaction, const ServiceAccount& account) {
    return ApiKeyService::RevokeAllOf(transaction, context, account.meta.id, clock_.Now());
  };
  return top_level::Delete<ServiceAccount>(store_, clock_, context, ref, if_match, revoke_keys);
}

}  // namespace rampart
