// PromotionService: moving model versions between stages under the project's promotion
// policy (SPEC section 4), and importing versions from another workspace.
//
// A request is checked against the effective policy (the project's for the stage, else its
// workspace's, else none) when it is made: who may request it, the version's tags and
// description, the deployment windows. A request that needs no approval applies at once;
// otherwise distinct approvers (never the requester under four eyes) approve it, and the
// approval that satisfies the policy applies it unless a window blocks it then. Applying
// archives the version of the same model that held the stage. Each step is one transaction
// with its audit events. (Importing versions from another workspace: model_import.h.) Thread-safe; borrows the store, clock and authorizer.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "model/governance.h"
#include "service/authorizer.h"
#include "service/object_service.h"
#include "store/store.h"

namespace rampart {

class PromotionService {
 public:
  PromotionService(Store& store, const Clock& clock, const Authorizer& authorizer)
      : store_(store), clock_(clock), authorizer_(authorizer) {}

  // `project` is {workspace, project}; `body` is {model_version, target_stage, comment}.
  Result<PromotionRequest> Create(const RequestContext& context, const ObjectPath& project,
                                  const nlohmann::json& body);
  // `request` is {workspace, project, request}. Bodies: {type, comment} for approve,
  // {comment} (required) for reject, {comment} for cancel, {} for apply.
  Result<PromotionRequest> Approve(const RequestContext& context, const ObjectPath& request,
                                   const nlohmann::json& body);
  Result<PromotionRequest> Reject(const RequestContext& context, const ObjectPath& request,
                                  const nlohmann::json& body);
  Result<PromotionRequest> Cancel(const RequestContext& context, const ObjectPath& request,
                                  const nlohmann::json& body);
  Result<PromotionRequest> Apply(const RequestContext& context, const ObjectPath& request,
                                 const nlohmann::json& body);

  // The policy made for `stage` at `scope`: {workspace} or {workspace, project}.
  Result<PromotionPolicy> GetPolicyAt(const RequestContext& context, const ObjectPath& scope,
                                      const std::string& stage);

 private:
  using Step = std::function<Status(StoreTransaction&, const Project&, PromotionRequest&)>;
  // Ends an open request as `status` ("rejected", "cancelled"), recording the caller's
  // `decision` with the body's comment (required unless the requester may act). It takes an
  // approver, or the requester when `requester_may`.
  Result<PromotionRequest> Close(const RequestContext& context, const ObjectPath& path,
                                 const nlohmann::json& body, const std::string& decision,
                                 const std::string& status, bool requester_may);
  // Runs `step` on the request at `path` in one write transaction.
  Result<PromotionRequest> Act(const RequestContext& context, const ObjectPath& path, const Step& step);

  Store& store_;
  const Clock& clock_;
  const Authorizer& authorizer_;
};

}  // namespace rampart
