// The OpenAPI document of the REST API, generated from proto/ (proto/generate.sh writes
// proto/openapi/rampart.v1.openapi.json) and compiled into the daemon at build time
// (daemon/cmake/embed_text.cmake), so GET /v1/openapi needs no file beside the binary.
#pragma once

#include <string_view>

namespace rampart::http {

// The document's JSON text; static, valid for the life of the process.
std::string_view OpenApiDocument();

}  // namespace rampart::http
