#include "http/route.h"

namespace rampart::http {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

bool MatchSegments(const std::vector<std::string>& pattern,
                   const std::vector<std::string>& path,
                   std::map<std::string, std::string>& params) {
  if (pattern.size() != path.size()) return false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& expected = pattern[i];
    if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
      if (path[i].empty()) return false;
      params[expected.substr(1, expected.size() - 2)] = path[i];
    } else if (expected != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteMatcher::RouteMatcher(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const Route& route : routes_) patterns_.push_back(SplitPath(route.pattern));
}

RouteMatcher::Match RouteMatcher::Find(const std::string& method, const std::string& path) const {
  Match match;
  if (path.empty() || path.front() != '/') return match;
  std::vector<std::string> segments = SplitPath(path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    std::map<std::string, std::string> params;
    if (!MatchSegments(patterns_[i], segments, params)) continue;
    if (route.method == method) {
      match.outcome = Outcome::kMatched;
      match.route = &route;
      match.path_params = std::move(params);
      return match;
    }
    match.outcome = Outcome::kMethodNotAllowed;
    match.allowed_methods += (match.allowed_methods.empty() ? "" : ", ") + route.method;
  }
  return match;
}

}  // namespace rampart::http
