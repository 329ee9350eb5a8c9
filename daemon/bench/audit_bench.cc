// rampart_audit_bench: the audit trail's costs, each next to a baseline measured in the same
// run on the same disk:
//   - appending events with durable commits (one fsynced transaction per event, as the
//     daemon writes them), by one writer and by four at once, against plain SQLite inserts
//     into a table of the same columns and indexes with the same durability (WAL,
//     synchronous=FULL) and no hash chain;
//   - verifying and exporting (JSON lines, CSV, OCSF) a trail of 1,000,000 events, against
//     reading the same rows without hashing or formatting;
//   - the latency of one project's day out of those events (first page, and the whole day),
//     against the newest page of the unfiltered trail.
//
// Prints plain text and asserts nothing. Run it with `make bench-audit` (a Release build of
// its own); `rampart_audit_bench EVENTS DURABLE_APPENDS` changes the sizes (defaults
// 1000000 and 2000). Works in a temporary directory under $TMPDIR, removed at the end.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_export.h"
#include "service/audit_log_service.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kOrganization[] = "org_bench";
constexpr TimestampMs kStartTime = 1790000000000;
constexpr int kDays = 30;
constexpr int kProjects = 50;
constexpr int kWriters = 4;

double Seconds(SteadyClock::time_point since) {
  return std::chrono::duration<double>(SteadyClock::now() - since).count();
}

std::string ProjectId(int i) { return "prj_bench" + std::to_string(i); }

// An event such as the daemon writes for a project change: ~400 bytes of JSON after it.
AuditEvent MakeEvent(int64_t n, TimestampMs time) {
  AuditEvent event;
  event.id = "evt_bench_" + std::to_string(n);
  event.organization_id = kOrganization;
  event.time = time;
  event.actor = "user:usr_bench" + std::to_string(n % 97);
  event.key_id = "key_bench" + std::to_string(n % 97);
  event.action = n % 3 == 0 ? "project.update" : "role_assignment.create";
  event.target_type = n % 3 == 0 ? "project" : "role_assignment";
  event.target_id = "ra_bench" + std::to_string(n);
  event.target_name = "target-" + std::to_string(n);
  event.workspace_id = "ws_bench" + std::to_string(n % kProjects / 10);
  event.project_id = ProjectId(static_cast<int>(n % kProjects));
  event.outcome = "success";
  event.after_json = R"({"id":"ra_bench)" + std::to_string(n) +
                     R"(","role":"project.contributor","team_id":"team_bench7","scope_type":"project",)"
                     R"("project_id":")" + event.project_id +
                     R"(","reason":"ticket OPS-1234: onboarding to the recommendation project",)"
                     R"("granted_by":"user:usr_admin","granted_at":"2026-09-21T14:13:20.000Z","revision":1})";
  event.request_id = "req_bench" + std::to_string(n);
  event.source_ip = "10.1.2.3";
  event.user_agent = "Terraform/1.9.8 terraform-provider-rampart/dev";
  return event;
}

// The baseline: a table of the audit trail's columns and indexes (migrations 1-10), written
// without a chain.
std::unique_ptr<SQLite::Database> OpenPlain(const std::string& path) {
  auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE |
                                                         SQLite::OPEN_FULLMUTEX);
  db->exec("PRAGMA busy_timeout = 60000");
  db->execAndGet("PRAGMA journal_mode = WAL");
  db->exec("PRAGMA synchronous = FULL");
  db->exec(
      "CREATE TABLE IF NOT EXISTS events (sequence INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
      "organization_id TEXT NOT NULL, time INTEGER NOT NULL, actor TEXT NOT NULL, key_id TEXT NOT NULL, "
      "action TEXT NOT NULL, target_type TEXT NOT NULL, target_id TEXT NOT NULL, target_name TEXT NOT NULL, "
      "workspace_id TEXT NOT NULL, project_id TEXT NOT NULL, outcome TEXT NOT NULL, before_json TEXT NOT NULL, "
      "after_json TEXT NOT NULL, request_id TEXT NOT NULL, source_ip TEXT NOT NULL, user_agent TEXT NOT NULL, "
      "chain_index INTEGER NOT NULL DEFAULT 0, prev_hash TEXT NOT NULL DEFAULT '', hash TEXT NOT NULL DEFAULT '');"
      "CREATE INDEX IF NOT EXISTS by_time ON events (organization_id, time);"
      "CREATE INDEX IF NOT EXISTS by_target ON events (organization_id, target_id);"
      "CREATE INDEX IF NOT EXISTS by_sequence ON events (organization_id, sequence);"
      "CREATE INDEX IF NOT EXISTS by_time_sequence ON events (organization_id, time, sequence);"
      "CREATE INDEX IF NOT EXISTS by_project ON events (organization_id, project_id, sequence);"
      "CREATE INDEX IF NOT EXISTS by_workspace ON events (organization_id, workspace_id, sequence);"
      "CREATE INDEX IF NOT EXISTS by_project_time ON events (organization_id, project_id, time, sequence);"
      "CREATE INDEX IF NOT EXISTS by_workspace_time ON events (organization_id, workspace_id, time, sequence);");
  return db;
}

void InsertPlain(SQLite::Database& db, const AuditEvent& e) {
  SQLite::Statement insert(db,
                           "INSERT INTO events (id, organization_id, time, actor, key_id, action, target_type, "
                           "target_id, target_name, workspace_id, project_id, outcome, before_json, after_json, "
                           "request_id, source_ip, user_agent) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  int i = 0;
  for (const std::string* text : {&e.id, &e.organization_id}) insert.bind(++i, *text);
  insert.bind(++i, static_cast<int64_t>(e.time));
  for (const std::string* text : {&e.actor, &e.key_id, &e.action, &e.target_type, &e.target_id, &e.target_name,
                                  &e.workspace_id, &e.project_id, &e.outcome, &e.before_json, &e.after_json,
                                  &e.request_id, &e.source_ip, &e.user_agent}) {
    insert.bind(++i, *text);
  }
  insert.exec();
}

// Events per second of `appends` durable single-event transactions made by `writers`
// threads at once, each through its own `make_writer()` (called on the thread).
using Writer = std::function<void(int64_t)>;
double AppendRate(int64_t appends, int writers, int64_t first, const std::function<Writer()>& make_writer) {
  std::atomic<int64_t> next{0};
  auto started = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&] {
      Writer append = make_writer();
      for (int64_t n; (n = next++) < appends;) append(first + n);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return static_cast<double>(appends) / Seconds(started);
}

void BenchAppends(const std::string& dir, int64_t appends) {
  auto store = sqlite::SqliteStore::Open(dir + "/durable", true);
  if (!store.ok()) std::abort();
  OpenPlain(dir + "/durable-plain.db");
  std::printf("append, durable commits (one fsynced transaction per event), %lld events each:\n",
              static_cast<long long>(appends));
  for (int writers : {1, kWriters}) {
    const int64_t offset = writers * 10'000'000LL;
    // The daemon's writers share its store, which serializes them.
    double rampart = AppendRate(appends, writers, offset, [&]() -> Writer {
      return [&](int64_t n) {
        AuditEvent event = MakeEvent(n, kStartTime + n);
        if (!(*store)->Write([&](StoreTransaction& t) { return t.AppendAuditEvent(event); }).ok()) std::abort();
      };
    });
    // Plain SQLite writers each hold a connection of their own; SQLite serializes them.
    double baseline = AppendRate(appends, writers, offset, [&]() -> Writer {
      std::shared_ptr<SQLite::Database> db = OpenPlain(dir + "/durable-plain.db");
      return [db](int64_t n) {
        SQLite::Transaction transaction(*db, SQLite::TransactionBehavior::IMMEDIATE);
        InsertPlain(*db, MakeEvent(n, kStartTime + n));
        transaction.commit();
      };
    });
    std::printf("  %d writer%s: rampart %.0f events/s, plain SQLite inserts %.0f events/s, ratio %.2f\n", writers,
                writers == 1 ? " " : "s", rampart, baseline, rampart / baseline);
  }
}

// Loads `events` events over kDays days into the store, in transactions of 10,000.
void Load(sqlite::SqliteStore& store, int64_t events) {
  auto started = SteadyClock::now();
  const TimestampMs step = std::max<TimestampMs>(1, kDays * kDayMs / events);
  for (int64_t first = 0; first < events; first += 10000) {
    Status written = store.Write([&](StoreTransaction& t) -> Status {
      for (int64_t n = first; n < std::min(events, first + 10000); ++n) {
        RAMPART_RETURN_IF_ERROR(t.AppendAuditEvent(MakeEvent(n, kStartTime + n * step)));
      }
      return Status::Ok();
    });
    if (!written.ok()) std::abort();
  }
  std::printf("loaded %lld events (chained, 10,000 per transaction) in %.1f s\n", static_cast<long long>(events),
              Seconds(started));
}

// Reads every row without hashing or formatting: what verify and export cannot beat.
double ScanRate(const std::string& path, int64_t events) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  auto started = SteadyClock::now();
  SQLite::Statement scan(db, "SELECT * FROM audit_events ORDER BY sequence");
  size_t bytes = 0;
  while (scan.executeStep()) {
    for (int column = 0; column < scan.getColumnCount(); ++column) bytes += scan.getColumn(column).getBytes();
  }
  if (bytes == 0) std::abort();
  return static_cast<double>(events) / Seconds(started);
}

void BenchVerifyAndExport(sqlite::SqliteStore& store, const std::string& path, int64_t events) {
  const double scan = ScanRate(path, events);
  std::printf("verify and export of %lld events (baseline: reading every row, %.0f events/s):\n",
              static_cast<long long>(events), scan);
  auto started = SteadyClock::now();
  auto reports = AuditLogService::VerifyEveryChain(store);
  const double verify = static_cast<double>(events) / Seconds(started);
  if (!reports.ok() || reports->size() != 1 || reports->front().broken) std::abort();
  std::printf("  verify: %.0f events/s, ratio %.2f\n", verify, verify / scan);
  for (auto [format, name] : {std::pair{AuditExportFormat::kJsonLines, "jsonl"}, {AuditExportFormat::kCsv, "csv"},
                              {AuditExportFormat::kOcsf, "ocsf"}}) {
    size_t bytes = ExportPreamble(format).size();
    started = SteadyClock::now();
    Status read = AuditLogService::ForEachEvent(store, kOrganization, {}, [&](const AuditEvent& event) {
      bytes += ExportRecord(format, event).size();
      return true;
    });
    const double rate = static_cast<double>(events) / Seconds(started);
    if (!read.ok()) std::abort();
    std::printf("  export %-5s: %.0f events/s (%.0f MB), ratio %.2f\n", name, rate, bytes / 1e6, rate / scan);
  }
}

double Percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * (values.size() - 1))];
}

void BenchQueries(sqlite::SqliteStore& store, int64_t events) {
  std::mt19937 random(7);
  const TimestampMs span = std::max<TimestampMs>(1, kDays * kDayMs / events) * events;
  const int days = static_cast<int>(std::max<TimestampMs>(1, span / kDayMs));
  std::vector<double> first_page, whole_day, newest;
  size_t rows = 0;
  for (int round = 0; round < 50; ++round) {
    AuditQuery day;
    day.filter.project_id = ProjectId(static_cast<int>(random() % kProjects));
    day.filter.since = kStartTime + static_cast<TimestampMs>(random() % days) * kDayMs;
    day.filter.until = *day.filter.since + kDayMs;
    day.limit = 100;
    auto started = SteadyClock::now();
    bool first = true;
    while (true) {
      std::vector<AuditEvent> page;
      if (!store.Read([&](StoreTransaction& t) -> Status {
            RAMPART_ASSIGN_OR_RETURN(page, t.ListAuditEvents(kOrganization, day));
            return Status::Ok();
          }).ok()) {
        std::abort();
      }
      if (first) first_page.push_back(Seconds(started) * 1e3), first = false;
      rows += page.size();
      if (page.size() < day.limit) break;
      day.after_sequence = page.back().sequence;
    }
    whole_day.push_back(Seconds(started) * 1e3);
    AuditQuery latest;
    latest.after_sequence = events - 100;  // the newest page of the whole trail
    latest.limit = 100;
    started = SteadyClock::now();
    if (!store.Read([&](StoreTransaction& t) { return t.ListAuditEvents(kOrganization, latest).status(); }).ok()) {
      std::abort();
    }
    newest.push_back(Seconds(started) * 1e3);
  }
  std::printf("query one project's day out of %lld events (50 random project-days, %zu events each on average):\n",
              static_cast<long long>(events), rows / 50);
  std::printf("  first page of 100: median %.2f ms, p99 %.2f ms\n", Percentile(first_page, 0.5),
              Percentile(first_page, 0.99));
  std::printf("  the whole day:     median %.2f ms, p99 %.2f ms\n", Percentile(whole_day, 0.5),
              Percentile(whole_day, 0.99));
  std::printf("  baseline, newest page of the unfiltered trail: median %.2f ms, p99 %.2f ms; ratio (first page) %.1f\n",
              Percentile(newest, 0.5), Percentile(newest, 0.99),
              Percentile(first_page, 0.5) / Percentile(newest, 0.5));
}

}  // namespace
}  // namespace rampart

int main(int argc, char** argv) {
  const int64_t events = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  const int64_t appends = argc > 2 ? std::atoll(argv[2]) : 2000;
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = std::string(tmp ? tmp : "/tmp") + "/rampart-audit-bench-" + std::to_string(getpid());
  std::filesystem::create_directories(dir);
  rampart::BenchAppends(dir, appends);
  auto store = rampart::sqlite::SqliteStore::Open(dir + "/trail", true);
  if (!store.ok()) std::abort();
  rampart::Load(**store, events);
  rampart::BenchVerifyAndExport(**store, rampart::sqlite::SqliteStore::DatabasePath(dir + "/trail"), events);
  rampart::BenchQueries(**store, events);
  std::filesystem::remove_all(dir);
  return 0;
}
