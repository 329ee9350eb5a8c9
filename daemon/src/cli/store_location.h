// What the subcommands that read a data dir directly (audit export, check) share: opening
// its store, never creating it, and finding one organization in it.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "model/tenancy.h"
#include "store/sqlite/sqlite_store.h"

namespace rampart::cli {

struct OpenedOrganization {
  std::unique_ptr<sqlite::SqliteStore> store;
  Organization organization;
};

// kFailedState when DIR holds no database; kNotFound naming `organization` (a name or an
// id) when the store has no such organization.
Result<OpenedOrganization> OpenOrganization(const std::string& data_dir, const std::string& organization);

}  // namespace rampart::cli
