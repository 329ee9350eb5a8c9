#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <fstream>

namespace rampart::http {
namespace {

// The first error OpenSSL queued (and clears the queue), e.g. "no start line".
std::string OpenSslReason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  const char* reason = ERR_reason_error_string(code);
  return reason != nullptr ? reason : "error " + std::to_string(code);
}

Status Invalid(const std::string& flag, const std::string& problem) {
  return Status::InvalidArgument(flag, problem, "bad_tls_file");
}

}  // namespace

Status ConfigureTls(SSL_CTX& context, const TlsFiles& files) {
  for (const auto& [flag, path] : {std::pair{"--tls-cert", files.certificate_chain},
                                   std::pair{"--tls-key", files.private_key}}) {
    if (!std::ifstream(path).good()) return Invalid(flag, "cannot read " + path);
  }
  auto mismatch = [&] {
    ERR_clear_error();
    return Invalid("--tls-key", files.private_key + " does not match the certificate in " + files.certificate_chain);
  };
  ERR_clear_error();
  // An encrypted key would make OpenSSL prompt on the terminal; fail instead.
  SSL_CTX_set_default_passwd_cb(&context, [](char*, int, int, void*) { return 0; });
  if (SSL_CTX_use_certificate_chain_file(&context, files.certificate_chain.c_str()) != 1) {
    return Invalid("--tls-cert", files.certificate_chain + " holds no usable PEM certificate (" + OpenSslReason() + ")");
  }
  if (SSL_CTX_use_PrivateKey_file(&context, files.private_key.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate as it loads it.
    if (ERR_GET_REASON(ERR_peek_error()) == X509_R_KEY_VALUES_MISMATCH) return mismatch();
    return Invalid("--tls-key", files.private_key + " holds no usable unencrypted PEM private key (" +
                                    OpenSslReason() + ")");
  }
  if (SSL_CTX_check_private_key(&context) != 1) return mismatch();
  SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
  SSL_CTX_set_options(&context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  return Status::Ok();
}

}  // namespace rampart::http
