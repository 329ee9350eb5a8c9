// The TLS settings `serve --tls-cert/--tls-key` give the server: the certificate chain and
// its key from PEM files, TLS 1.2 at least, no compression and no renegotiation.
#pragma once

#include <string>

#include <openssl/ssl.h>

#include "common/status.h"

namespace rampart::http {

struct TlsFiles {
  std::string certificate_chain;  // PEM: the server certificate first, then intermediates
  std::string private_key;        // PEM, unencrypted
};

// Loads `files` into `context`. The error names the flag and the file at fault and says
// what is wrong with it (unreadable, not PEM, key not matching the certificate).
Status ConfigureTls(SSL_CTX& context, const TlsFiles& files);

}  // namespace rampart::http
