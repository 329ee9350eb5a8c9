// Queries for lists: filters, cursor pagination and bulk reads by id (SPEC section 6).
//
// Lists are ordered by (name, id), a total order that does not move when rows are added, so
// a cursor is simply the last (name, id) a page ended with. Audit events are ordered by
// their append sequence instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/tenancy.h"

namespace rampart {

inline constexpr size_t kDefaultPageSize = 100;
inline constexpr size_t kMaxPageSize = 1000;

// What a caller asks of a list, before validation.
struct ListRequest {
  std::string name_prefix;
  Labels labels;                  // every pair must match
  std::vector<std::string> ids;   // when set: only these objects (bulk read)
  std::string page_token;         // from the previous page's next_page_token
  size_t page_size = kDefaultPageSize;
};

// The validated form the store executes; `limit` rows at most.
struct ListQuery {
  std::string name_prefix;
  Labels labels;
  std::vector<std::string> ids;
  std::optional<std::string> after_name;  // with after_id: rows strictly after this one
  std::string after_id;
  size_t limit = kDefaultPageSize;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;  // empty on the last page
};

// kInvalidArgument (field page_size) unless 1 <= page_size <= kMaxPageSize.
Status ValidatePageSize(size_t page_size);

// Validates `request` (fields named as in the query string) and turns it into a query for
// one row more than a page, so the caller can tell whether another page follows.
Result<ListQuery> ToListQuery(const ListRequest& request);

// Cuts the extra row fetched by ToListQuery and derives the next page's token.
template <typename T>
Page<T> ToPage(std::vector<T> rows, size_t page_size);

std::string EncodePageToken(const std::string& name, const std::string& id);

// Audit events: a time range [since, until), one target, oldest first.
// Which audit events a reader wants; empty fields match everything.
struct AuditFilter {
  std::optional<TimestampMs> since;  // inclusive
  std::optional<TimestampMs> until;  // exclusive
  std::string target_id;
  // Any of these actions: "workspace.create", or "workspace.*" for every action on a kind.
  std::vector<std::string> actions;
  std::string actor;  // "user:usr_...", "key:key_...", "service_account:sa_..."
  std::string workspace_id;
  std::string project_id;
  std::string outcome;  // "success" or "denied"
};

struct AuditQuery {
  AuditFilter filter;
  int64_t after_sequence = 0;
  size_t limit = kDefaultPageSize;
};

template <typename T>
Page<T> ToPage(std::vector<T> rows, size_t page_size) {
  Page<T> page;
  if (rows.size() > page_size) {
    rows.resize(page_size);
    page.next_page_token = EncodePageToken(rows.back().meta.name, rows.back().meta.id);
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace rampart
