#include "service/audit_log_service.h"

#include <charconv>

namespace rampart {
namespace {

constexpr char kTokenPrefix[] = "seq_";

Result<int64_t> DecodeToken(const std::string& token) {
  const std::string prefix = kTokenPrefix;
  int64_t sequence = 0;
  if (token.compare(0, prefix.size(), prefix) == 0) {
    const char* begin = token.data() + prefix.size();
    const char* end = token.data() + token.size();
    auto [parsed_end, error] = std::from_chars(begin, end, sequence);
    if (error == std::errc() && parsed_end == end && sequence > 0) return sequence;
  }
  return Status::InvalidArgument("page_token",
                                 "is not a token from a previous page of this list",
                                 "invalid_page_token");
}

}  // namespace

Result<Page<AuditEvent>> AuditLogService::ListEvents(const RequestContext& context,
                                                     const AuditEventsRequest& request) {
  RAMPART_RETURN_IF_ERROR(ValidatePageSize(request.page_size));
  RAMPART_RETURN_IF_ERROR(ValidateFilter(request.filter));
  AuditQuery query;
  query.filter = request.filter;
  query.limit = request.page_size + 1;
  if (!request.page_token.empty()) {
    RAMPART_ASSIGN_OR_RETURN(query.after_sequence, DecodeToken(request.page_token));
  }
  std::vector<AuditEvent> events;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(events,
                             transaction.ListAuditEvents(context.organization_id, query));
    return Status::Ok();
  }));
  Page<AuditEvent> page;
  if (events.size() > request.page_size) {
    events.resize(request.page_size);
    page.next_page_token = kTokenPrefix + std::to_string(events.back().sequence);
  }
  page.items = std::move(events);
  return page;
}

namespace {

// Events per read while verifying or exporting: bounded memory, whatever the trail's length.
constexpr size_t kVerifyBatch = 1000;

}  // namespace

Status AuditLogService::ValidateFilter(const AuditFilter& filter) {
  if (filter.since && filter.until && *filter.until <= *filter.since) {
    return Status::InvalidArgument("until", "must be later than since", "empty_range");
  }
  return Status::Ok();
}

Status AuditLogService::ForEachEvent(Store& store, const std::string& organization_id, const AuditFilter& filter,
                                     const std::function<bool(const AuditEvent&)>& each) {
  RAMPART_RETURN_IF_ERROR(ValidateFilter(filter));
  AuditQuery query;
  query.filter = filter;
  query.limit = kVerifyBatch;
  while (true) {
    std::vector<AuditEvent> events;
    RAMPART_RETURN_IF_ERROR(store.Read([&](StoreTransaction& transaction) -> Status {
      RAMPART_ASSIGN_OR_RETURN(events, transaction.ListAuditEvents(organization_id, query));
      return Status::Ok();
    }));
    for (const AuditEvent& event : events) {
      if (!each(event)) return Status::Ok();
    }
    if (events.size() < kVerifyBatch) return Status::Ok();
    query.after_sequence = events.back().sequence;
  }
}

Result<ChainReport> AuditLogService::VerifyChain(const RequestContext& context) {
  ChainVerifier verifier;
  RAMPART_RETURN_IF_ERROR(store_.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<ChainCheckpoint> checkpoints, transaction.ListAuditCheckpoints());
    for (const ChainCheckpoint& checkpoint : checkpoints) {
      if (checkpoint.organization_id == context.organization_id) verifier.StartAt(checkpoint);
    }
    AuditQuery query;
    query.limit = kVerifyBatch;
    while (true) {
      RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                               transaction.ListAuditEvents(context.organization_id, query));
      for (const AuditEvent& event : events) verifier.Add(event);
      if (events.size() < kVerifyBatch) return Status::Ok();
      query.after_sequence = events.back().sequence;
    }
  }));
  std::vector<ChainReport> reports = verifier.Reports();
  if (reports.empty()) return ChainReport{context.organization_id, 0, kChainStart, std::nullopt};
  return reports.front();
}

Result<std::vector<ChainReport>> AuditLogService::VerifyEveryChain(Store& store) {
  ChainVerifier verifier;
  RAMPART_RETURN_IF_ERROR(store.Read([&](StoreTransaction& transaction) -> Status {
    RAMPART_ASSIGN_OR_RETURN(std::vector<ChainCheckpoint> checkpoints, transaction.ListAuditCheckpoints());
    for (const ChainCheckpoint& checkpoint : checkpoints) verifier.StartAt(checkpoint);
    int64_t after = 0;
    while (true) {
      RAMPART_ASSIGN_OR_RETURN(std::vector<AuditEvent> events,
                               transaction.ScanAuditEvents(after, kVerifyBatch));
      for (const AuditEvent& event : events) verifier.Add(event);
      if (events.size() < kVerifyBatch) return Status::Ok();
      after = events.back().sequence;
    }
  }));
  return verifier.Reports();
}

}  // namespace rampart
