// Where a subcommand finds its store: `--data-dir DIR`, the embedded SQLite default, or
// `--database-url postgres://USER@HOST:PORT/DB`, the PostgreSQL that several replicas share.
// Every subcommand that touches the store takes exactly one of the two.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "cli/flags.h"
#include "common/status.h"
#include "model/tenancy.h"
#include "store/store.h"

namespace rampart::cli {

// A subcommand's own flags and the two that locate its store.
std::set<std::string> WithStoreFlags(std::set<std::string> flags);

struct StoreLocation {
  std::string data_dir;      // SQLite, when set
  std::string database_url;  // PostgreSQL, when set

  // kInvalidArgument unless exactly one of --data-dir and --database-url is given.
  static Result<StoreLocation> FromFlags(const Flags& flags);
  // For messages and logs: the data dir, or the URL without its password.
  std::string Describe() const;
};

// Whether a commit waits for the disk. PostgreSQL commits durably whatever this says (its
// own synchronous_commit decides).
enum class Durability { kFsync, kNoFsync };

struct OpenedStore {
  std::unique_ptr<Store> store;
  int schema_version = 0;
};

// Opens the store, applying pending migrations; creates a missing SQLite database (or
// PostgreSQL schema) only when `create_if_missing`. kFailedState, fit for an operator, when
// it cannot.
Result<OpenedStore> OpenStore(const StoreLocation& location, bool create_if_missing,
                              Durability durability = Durability::kFsync);

struct OpenedOrganization {
  std::unique_ptr<Store> store;
  Organization organization;
};

// The subcommands that read a store directly (audit export, check): opens it, never
// creating it, and finds `organization` (a name or an id) in it; kNotFound naming it.
Result<OpenedOrganization> OpenOrganization(const StoreLocation& location, const std::string& organization);

}  // namespace rampart::cli
