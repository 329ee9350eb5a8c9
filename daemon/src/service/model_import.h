// ModelImporter: cross-workspace promotion's first step (SPEC section 4). A version is
// copied into another workspace's project with its provenance (source workspace, project,
// model, version and run URL), at stage "none": promoting it there follows that project's
// policy. Thread-safe; borrows the store, clock and authorizer.
#pragma once

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "model/governance.h"
#include "service/authorizer.h"
#include "service/object_service.h"
#include "store/store.h"

namespace rampart {

class ModelImporter {
 public:
  ModelImporter(Store& store, const Clock& clock, const Authorizer& authorizer)
      : store_(store), clock_(clock), authorizer_(authorizer) {}

  // Copies the version `body.source` names (an id, or workspaces/W/projects/P/models/M/versions/V)
  // into the project at `project` ({workspace, project}), as version `body.version` (default:
  // the source's) of model `body.model` (default: the source model's name; made when missing).
  // Needs model_version:read on the source project, and model:create in the target when the
  // model must be made (the route checks model_version:create there).
  Result<ModelVersion> Import(const RequestContext& context, const ObjectPath& project,
                              const nlohmann::json& body);

 private:
  Store& store_;
  const Clock& clock_;
  const Authorizer& authorizer_;
};

}  // namespace rampart
