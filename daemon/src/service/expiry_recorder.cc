#include "service/expiry_recorder.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/logging.h"
#include "model/roles_json.h"
#include "service/audit_recorder.h"
#include "service/object_kinds.h"

namespace rampart {

Result<size_t> ExpiryRecorder::RecordDue() {
  size_t recorded = 0;
  RAMPART_RETURN_IF_ERROR(store_.Write([&](StoreTransaction& transaction) -> Status {
    recorded = 0;
    TimestampMs now = clock_.Now();
    RAMPART_ASSIGN_OR_RETURN(std::vector<Organization> organizations,
                             transaction.ListOrganizations());
    ListQuery all;
    all.limit = 0;
    for (const Organization& organization : organizations) {
      RAMPART_ASSIGN_OR_RETURN(
          std::vector<RoleAssignment> assignments,
          transaction.RoleAssignments().List(organization.meta.id, organization.meta.id, all));
      for (RoleAssignment& assignment : assignments) {
        if (!assignment.expires_at || *assignment.expires_at > now ||
            assignment.expiry_recorded_at) {
          continue;
        }
        assignment.expiry_recorded_at = now;
        RAMPART_RETURN_IF_ERROR(transaction.RoleAssignments().Update(assignment));
        RequestContext system;
        system.organization_id = organization.meta.id;
        system.actor = "system:expiry";
        AuditEvent event = MakeAuditEvent(system, now, "role_assignment.expire",
                                          Kind<RoleAssignment>::Target(assignment),
                                          ToJson(assignment), nullptr);
        RAMPART_RETURN_IF_ERROR(transaction.AppendAuditEvent(event));
        ++recorded;
      }
    }
    return Status::Ok();
  }));
  return recorded;
}

struct ExpiryTimer::Loop {
  boost::asio::io_context io;
  boost::asio::steady_timer timer{io};
  ExpiryRecorder& recorder;
  std::chrono::milliseconds period;

  Loop(ExpiryRecorder& recorder, std::chrono::milliseconds period)
      : recorder(recorder), period(period) {}

  void Schedule() {
    timer.expires_after(period);
    timer.async_wait([this](const boost::system::error_code& error) {
      if (error) return;  // cancelled: shutting down
      Result<size_t> recorded = recorder.RecordDue();
      if (!recorded.ok()) {
        NamedLogger("authz")->warn("cannot record expired assignments: {}",
                                   recorded.status().message());
      }
      Schedule();
    });
  }
};

ExpiryTimer::ExpiryTimer(ExpiryRecorder& recorder, std::chrono::milliseconds period)
    : loop_(std::make_unique<Loop>(recorder, period)) {
  loop_->Schedule();
  thread_ = std::thread([this] { loop_->io.run(); });
}

ExpiryTimer::~ExpiryTimer() {
  loop_->io.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rampart
