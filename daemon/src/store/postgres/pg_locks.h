// The advisory locks rampartd takes on a PostgreSQL database (pg_advisory_xact_lock keys;
// advisory locks are per database, so databases of one server do not contend).
#pragma once

#include <cstdint>

namespace rampart::postgres {

// Held by the transaction applying migrations: replicas starting at once take turns.
inline constexpr int64_t kMigrationLockKey = 0x72616d7061727401;  // "rampart" 1
// Held by every write transaction, first thing: one writer at a time across all replicas,
// as SQLite's write lock, so change numbers commit in order and each organization's audit
// chain has one head.
inline constexpr int64_t kWriterLockKey = 0x72616d7061727402;  // "rampart" 2

}  // namespace rampart::postgres
