// Cryptographically secure randomness and digests (OpenSSL), for ids and API key secrets.
#pragma once

#include <string>
#include <string_view>

namespace rampart {

// `bytes` random bytes from the OS CSPRNG, hex-encoded (2 * bytes characters).
std::string RandomHex(size_t bytes);

// A new object id: `prefix` + "_" + 20 random hex characters, e.g. "ws_3f9a...".
// Ids always contain '_', which names never do, so a path segment is unambiguous.
std::string NewId(std::string_view prefix);

// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Compares in time independent of where the inputs differ (not of their lengths).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace rampart
