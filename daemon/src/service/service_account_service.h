// ServiceAccountService: the use cases on service accounts, machine principals of the
// caller's organization (`service_accounts/NAME`). Thread-safe; borrows the Store and Clock.
#pragma once

#include <optional>
#include <string>

#include "common/clock.h"
#include "model/list_query.h"
#include "model/tenancy.h"
#include "service/request_context.h"
#include "store/store.h"

namespace rampart {

class ServiceAccountService {
 public:
  ServiceAccountService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Page<ServiceAccount>> List(const RequestContext& context, const ListRequest& request);
  Result<ServiceAccount> Get(const RequestContext& context, const std::string& ref);
  Result<ServiceAccount> Create(const RequestContext& context, const ObjectSpec& spec);
  Result<ServiceAccount> Update(const RequestContext& context, const std::string& ref,
                                const ObjectPatch& patch, std::optional<int64_t> if_match);
  Status Delete(const RequestContext& context, const std::string& ref,
                std::optional<int64_t> if_match);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace rampart
