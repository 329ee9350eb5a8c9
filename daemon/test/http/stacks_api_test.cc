// Stack components, stacks and project-stack bindings over REST, through a real server on a
// real SQLite file: canonical configurations, references checked within the workspace,
// deletions refused while something depends on the object; and the organization object
// itself (update, deletion of an empty organization).
#include <httplib.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "support/api_server_fixture.h"

namespace rampart::http {
namespace {

using nlohmann::json;

constexpr char kComponents[] = "/v1/workspaces/alpha/components";
constexpr char kStacks[] = "/v1/workspaces/alpha/stacks";
constexpr char kBindings[] = "/v1/workspaces/alpha/projects/recsys/stacks";

class StacksApiTest : public testing::ApiServerFixture {
 protected:
  void SetUp() override {
    ApiServerFixture::SetUp();
    workspace_id_ = Create("/v1/workspaces", {{"name", "alpha"}})["id"];
  }

  // POSTs `body` as given (key order kept) and returns the created object (a failed test
  // unless 201).
  json CreateRaw(const std::string& path, const std::string& body,
                 httplib::Headers headers = {}) {
    auto created = Send("POST", path, body, std::move(headers));
    EXPECT_EQ(created.status, 201) << path << " " << created.body;
    return json::parse(created.body, nullptr, /*allow_exceptions=*/false);
  }
  json Create(const std::string& path, const json& body) { return CreateRaw(path, body.dump()); }

  // The body of a GET that must succeed.
  json Read(const std::string& path) {
    auto read = Send("GET", path);
    EXPECT_EQ(read.status, 200) << path << " " << read.body;
    return json::parse(read.body, nullptr, /*allow_exceptions=*/false);
  }

  std::string CreateComponent(const std::string& name, const std::string& type,
                              const std::string& flavor, const std::string& workspace = "alpha") {
    return Create("/v1/workspaces/" + workspace + "/components",
                  {{"name", name}, {"type", type}, {"flavor", flavor}})["id"];
  }

  std::vector<std::string> Names(const std::string& list_path) {
    std::vector<std::string> names;
    const json body = Read(list_path);  // outlives the loop over its items
    for (const json& item : body["items"]) names.push_back(item["name"]);
    return names;
  }

  // What a rejected request must leave as it was: the audit trail and the bodies of `paths`.
  struct Snapshot {
    size_t audit_events;
    std::vector<std::string> bodies;
  };
  Snapshot Take(const std::vector<std::string>& paths) {
    Snapshot snapshot{AuditEvents().size(), {}};
    for (const std::string& path : paths) snapshot.bodies.push_back(Send("GET", path).body);
    return snapshot;
  }
  void ExpectUnchanged(const Snapshot& before, const std::vector<std::string>& paths) {
    EXPECT_EQ(AuditEvents().size(), before.audit_events) << "a rejected request was audited";
    ASSERT_EQ(paths.size(), before.bodies.size());
    for (size_t i = 0; i < paths.size(); ++i) {
      EXPECT_EQ(Send("GET", paths[i]).body, before.bodies[i]) << paths[i] << " changed";
    }
  }

  // Stacks "production" (orchestrator k8s, artifact_store s3) and "development"
  // (artifact_store s3), and project "recsys", all in workspace alpha.
  void CreateStacksAndProject() {
    k8s_id_ = CreateComponent("k8s", "orchestrator", "kubernetes");
    s3_id_ = CreateComponent("s3", "artifact_store", "s3");
    production_id_ = Create(kStacks, {{"name", "production"},
                                      {"components", {{"orchestrator", "k8s"}, {"artifact_store", "s3"}}}})["id"];
    development_id_ = Create(kStacks, {{"name", "development"},
                                       {"components", {{"artifact_store", s3_id_}}}})["id"];
    project_id_ = Create("/v1/workspaces/alpha/projects", {{"name", "recsys"}})["id"];
  }

  std::string workspace_id_;
  std::string k8s_id_, s3_id_, production_id_, development_id_, project_id_;
};

// --- Stack components ---------------------------------------------------------------------

TEST_F(StacksApiTest, ComponentLifeCycleByNamePathAndId) {
  auto created = Send("POST", kComponents,
                      R"({"name":"s3","type":"artifact_store","flavor":"s3",)"
                      R"("labels":{"environment":"prod"},"configuration":{"bucket":"models"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.get_header_value("ETag"), "\"1\"");
  json component = json::parse(created.body);
  const std::string id = component["id"];
  EXPECT_EQ(id.rfind("cmp_", 0), 0u) << id;
  EXPECT_EQ(component["workspace_id"], workspace_id_);
  EXPECT_EQ(component["organization_id"], organization_.organization.meta.id);
  EXPECT_EQ(component["type"], "artifact_store");
  EXPECT_EQ(component["flavor"], "s3");
  EXPECT_EQ(component["configuration"], json({{"bucket", "models"}}));
  EXPECT_EQ(component["revision"], 1);

  EXPECT_EQ(Read(std::string(kComponents) + "/s3")["id"], id);
  EXPECT_EQ(Read(std::string(kComponents) + "/" + id)["name"], "s3");
  EXPECT_EQ(Read("/v1/workspaces/" + workspace_id_ + "/components/s3")["id"], id);
  EXPECT_EQ(Read("/v1/components/" + id)["name"], "s3");

  auto patched = Send("PATCH", std::string(kComponents) + "/s3",
                      R"({"description":"shared bucket","flavor":"gcs"})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(json::parse(patched.body)["flavor"], "gcs");
  EXPECT_EQ(json::parse(patched.body)["configuration"], json({{"bucket", "models"}}));

  auto renamed = Send("PATCH", std::string(kComponents) + "/" + id, R"({"name":"artifacts"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Read(std::string(kComponents) + "/artifacts")["id"], id);
  ExpectError(Send("GET", std::string(kComponents) + "/s3"), 404, "not_found", "");

  EXPECT_EQ(Send("DELETE", std::string(kComponents) + "/artifacts").status, 204);
  ExpectError(Send("GET", std::string(kComponents) + "/" + id), 404, "not_found", "");
  ExpectError(Send("GET", "/v1/components/" + id), 404, "not_found", "");

  json events = Read("/v1/audit-events?target_id=" + id)["items"];
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["action"], "stack_component.create");
  EXPECT_EQ(events[1]["action"], "stack_component.update");
  EXPECT_EQ(events[2]["action"], "stack_component.update");
  EXPECT_EQ(events[3]["action"], "stack_component.delete");
  EXPECT_EQ(events[0]["target_type"], "stack_component");
  EXPECT_EQ(events[0]["workspace_id"], workspace_id_);
}

TEST_F(StacksApiTest, StaleIfMatchOnComponentReturns412AndChangesNothing) {
  CreateComponent("s3", "artifact_store", "s3");
  ASSERT_EQ(Send("PATCH", std::string(kComponents) + "/s3", R"({"description":"a"})").status, 200);
  const std::vector<std::string> paths = {std::string(kComponents) + "/s3"};
  Snapshot before = Take(paths);
  ExpectError(Send("PATCH", std::string(kComponents) + "/s3", R"({"description":"b"})",
                   {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  ExpectError(Send("DELETE", std::string(kComponents) + "/s3", "", {{"If-Match", "\"1\""}}), 412,
              "precondition_failed", "If-Match");
  ExpectUnchanged(before, paths);
  EXPECT_EQ(Send("DELETE", std::string(kComponents) + "/s3", "", {{"If-Match", "\"2\""}}).status,
            204);
}

TEST_F(StacksApiTest, ComponentListFiltersByNamePrefixLabelAndIds) {
  std::string artifacts =
      Create(kComponents, {{"name", "s3-artifacts"}, {"type", "artifact_store"}, {"flavor", "s3"},
                           {"labels", {{"environment", "prod"}}}})["id"];
  Create(kComponents, {{"name", "s3-models"}, {"type", "artifact_store"}, {"flavor", "s3"},
                       {"labels", {{"environment", "dev"}}}});
  std::string k8s = Create(kComponents, {{"name", "k8s"}, {"type", "orchestrator"},
                                         {"flavor", "kubernetes"},
                                         {"labels", {{"environment", "prod"}}}})["id"];
  const std::string list = kComponents;
  EXPECT_EQ(Names(list), (std::vector<std::string>{"k8s", "s3-artifacts", "s3-models"}));
  EXPECT_EQ(Names(list + "?name_prefix=s3-"),
            (std::vector<std::string>{"s3-artifacts", "s3-models"}));
  EXPECT_EQ(Names(list + "?label=environment:prod"),
            (std::vector<std::string>{"k8s", "s3-artifacts"}));
  EXPECT_EQ(Names(list + "?name_prefix=s3-&label=environment:prod"),
            std::vector<std::string>{"s3-artifacts"});
  EXPECT_EQ(Names(list + "?ids=" + k8s + "," + artifacts),
            (std::vector<std::string>{"k8s", "s3-artifacts"}));
  EXPECT_TRUE(Names(list + "?name_prefix=gcs").empty());
}

TEST_F(StacksApiTest, ComponentPagesWalkEveryComponentOnce) {
  const std::vector<std::string> all = {"alerter", "ecr", "k8s", "mlflow", "s3"};
  CreateComponent("s3", "artifact_store", "s3");
  CreateComponent("k8s", "orchestrator", "kubernetes");
  CreateComponent("mlflow", "model_registry", "mlflow");
  CreateComponent("ecr", "container_registry", "ecr");
  CreateComponent("alerter", "alerter", "slack");
  std::vector<std::string> seen;
  std::set<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    json page = Read(std::string(kComponents) + "?page_size=1" +
                     (token.empty() ? "" : "&page_token=" + token));
    ASSERT_EQ(page["items"].size(), 1u) << page.dump();
    seen.push_back(page["items"][0]["name"]);
    ids.insert(page["items"][0]["id"].get<std::string>());
    token = page.value("next_page_token", "");
    ++pages;
  } while (!token.empty() && pages < 20);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen, all);
  EXPECT_EQ(ids.size(), all.size());
}

TEST_F(StacksApiTest, RetriedComponentCreateWithSameKeyReturnsTheFirstComponent) {
  const std::string body = R"({"name":"s3","type":"artifact_store","flavor":"s3"})";
  json first = CreateRaw(kComponents, body, {{"Idempotency-Key", "cmp-1"}});
  size_t events = AuditEvents().size();
  // The same request with its keys in another order is the same request.
  auto retry = Send("POST", kComponents, R"({"flavor":"s3","type":"artifact_store","name":"s3"})",
                    {{"Idempotency-Key", "cmp-1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(json::parse(retry.body)["id"], first["id"]);
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Names(kComponents), std::vector<std::string>{"s3"});

  ExpectError(Send("POST", kComponents, R"({"name":"gcs","type":"artifact_store","flavor":"gcs"})",
                   {{"Idempotency-Key", "cmp-1"}}),
              409, "conflict", "Idempotency-Key");
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Names(kComponents), std::vector<std::string>{"s3"});
}

TEST_F(StacksApiTest, ComponentConfigurationIsStoredWithSortedKeys) {
  json created = CreateRaw(
      kComponents,
      R"({"name":"k8s","type":"orchestrator","flavor":"kubernetes",)"
      R"("configuration":{"b":1,"a":{"y":2,"x":1}}})");
  const json expected = json::parse(R"({"b":1,"a":{"y":2,"x":1}})");
  EXPECT_EQ(created["configuration"], expected);

  auto read = Send("GET", std::string(kComponents) + "/k8s");
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(json::parse(read.body)["configuration"], expected);
  EXPECT_NE(read.body.find(R"("configuration":{"a":{"x":1,"y":2},"b":1})"), std::string::npos)
      << read.body;

  std::vector<AuditEvent> events = AuditEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "stack_component.create");
  EXPECT_NE(events.back().after_json.find(R"("a":{"x":1,"y":2},"b":1)"), std::string::npos)
      << events.back().after_json;
}

TEST_F(StacksApiTest, SameConfigurationInAnotherKeyOrderMakesNoNewRevision) {
  CreateComponent("k8s", "orchestrator", "kubernetes");
  const std::string path = std::string(kComponents) + "/k8s";
  auto first = Send("PATCH", path, R"({"configuration":{"z":1,"m":{"q":2,"p":[3,{"k":1,"j":2}]}}})");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.get_header_value("ETag"), "\"2\"");
  size_t events = AuditEvents().size();

  auto second = Send("PATCH", path, R"({"configuration":{"m":{"p":[3,{"j":2,"k":1}],"q":2},"z":1}})");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(json::parse(second.body)["revision"], 2);
  EXPECT_EQ(AuditEvents().size(), events);
  EXPECT_EQ(Read(path)["updated_at"], json::parse(first.body)["updated_at"]);
}

TEST_F(StacksApiTest, ComponentTypeIsFixedButFlavorCanChange) {
  CreateComponent("s3", "artifact_store", "s3");
  const std::string path = std::string(kComponents) + "/s3";
  const std::vector<std::string> paths = {path};
  Snapshot before = Take(paths);
  json error = ExpectError(Send("PATCH", path, R"({"type":"orchestrator"})"), 400,
                           "invalid_argument", "type");
  EXPECT_EQ(error["details"]["reason"], "immutable");
  ExpectUnchanged(before, paths);

  // Repeating the type is no change at all.
  auto same = Send("PATCH", path, R"({"type":"artifact_store"})");
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.get_header_value("ETag"), "\"1\"");
  ExpectUnchanged(before, paths);

  auto flavor = Send("PATCH", path, R"({"flavor":"gcs"})");
  ASSERT_EQ(flavor.status, 200) << flavor.body;
  EXPECT_EQ(flavor.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(Read(path)["flavor"], "gcs");
  EXPECT_EQ(Read(path)["type"], "artifact_store");
}

TEST_F(StacksApiTest, BadComponentInputIsNamedAndChangesNothing) {
  CreateComponent("s3", "artifact_store", "s3");
  const std::vector<std::string> paths = {kComponents};
  Snapshot before = Take(paths);

  json unknown = ExpectError(Send("POST", kComponents, R"({"name":"x","type":"gpu_pool","flavor":"k"})"),
                             400, "invalid_argument", "type");
  const std::string message = unknown["message"];
  for (const char* type : {"orchestrator", "artifact_store", "container_registry",
                           "model_registry", "step_operator", "experiment_tracker"}) {
    EXPECT_NE(message.find(type), std::string::npos) << message;
  }
  EXPECT_EQ(unknown["details"]["reason"], "unknown_component_type");

  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"name":"x","flavor":"s3"})", "type"},
      {R"({"name":"x","type":null,"flavor":"s3"})", "type"},
      {R"({"name":"x","type":"artifact_store"})", "flavor"},
      {R"({"type":"artifact_store","flavor":"s3"})", "name"},
      {R"({"name":"x","type":"artifact_store","flavor":"S3!"})", "flavor"},
      {R"({"name":"x","type":"artifact_store","flavor":""})", "flavor"},
      {R"({"name":"x","type":"artifact_store","flavor":7})", "flavor"},
      {R"({"name":"x","type":["artifact_store"],"flavor":"s3"})", "type"},
      {R"({"name":"X Y","type":"artifact_store","flavor":"s3"})", "name"},
      {R"({"name":"x","type":"artifact_store","flavor":"s3","configuration":[]})", "configuration"},
      {R"({"name":"x","type":"artifact_store","flavor":"s3","configuration":"x"})", "configuration"},
      {R"({"name":"x","type":"artifact_store","flavor":"s3","configuration":"{\"a\":1}"})",
       "configuration"},
      {R"({"name":"x","type":"artifact_store","flavor":"s3","region":"eu"})", "region"},
      {R"({"name":"x","type":"artifact_store","flavor":"s3","labels":{"Team":"a"}})", "labels.Team"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body);
    ExpectError(Send("POST", kComponents, body), 400, "invalid_argument", field);
  }
  // The same problems on an update of an existing component.
  for (const auto& [body, field] :
       std::vector<std::pair<std::string, std::string>>{{R"({"flavor":"S3!"})", "flavor"},
                                                         {R"({"configuration":[]})", "configuration"},
                                                         {R"({"type":"gpu_pool"})", "type"},
                                                         {R"({"name":null})", "name"}}) {
    SCOPED_TRACE(body);
    ExpectError(Send("PATCH", std::string(kComponents) + "/s3", body), 400, "invalid_argument",
                field);
  }
  ExpectError(Send("POST", kComponents, R"({"name":"s3","type":"artifact_store","flavor":"s3"})"),
              409, "already_exists", "name");
  ExpectUnchanged(before, paths);
}

TEST_F(StacksApiTest, ComponentConfigurationRejectsSecretValuesButAcceptsReferences) {
  CreateComponent("s3", "artifact_store", "s3");
  const std::vector<std::string> paths = {kComponents};
  Snapshot before = Take(paths);

  json error = ExpectError(
      Send("POST", kComponents,
           R"({"name":"s3-secret","type":"artifact_store","flavor":"s3",)"
           R"("configuration":{"bucket":"b","aws_secret_access_key":"AKIAIOSFODNN7EXAMPLE"}})"),
      400, "invalid_argument", "configuration.aws_secret_access_key");
  EXPECT_EQ(error["details"]["reason"], "secret_value");
  EXPECT_EQ(error.dump().find("AKIAIOSFODNN7EXAMPLE"), std::string::npos)
      << "the error echoes the secret: " << error.dump();

  json nested = ExpectError(
      Send("POST", kComponents,
           R"({"name":"mlflow","type":"model_registry","flavor":"mlflow",)"
           R"("configuration":{"auth":{"password":"x"}}})"),
      400, "invalid_argument", "configuration.auth.password");
  EXPECT_EQ(nested["details"]["reason"], "secret_value");
  ExpectError(Send("POST", kComponents,
                   R"({"name":"mlflow","type":"model_registry","flavor":"mlflow",)"
                   R"("configuration":{"servers":[{"api_token":"t0k3n"}]}})"),
              400, "invalid_argument", "configuration.servers[0].api_token");
  ExpectError(Send("PATCH", std::string(kComponents) + "/s3",
                   R"({"configuration":{"Secret_Key":"plain"}})"),
              400, "invalid_argument", "configuration.Secret_Key");
  ExpectUnchanged(before, paths);

  json accepted = CreateRaw(
      kComponents, R"({"name":"s3-referenced","type":"artifact_store","flavor":"s3",)"
                   R"("configuration":{"aws_secret_access_key":"{{aws.secret}}"}})");
  EXPECT_EQ(accepted["configuration"]["aws_secret_access_key"], "{{aws.secret}}");
}

// --- Stacks -------------------------------------------------------------------------------

TEST_F(StacksApiTest, StackComponentsAreStoredAsIds) {
  std::string k8s = CreateComponent("k8s", "orchestrator", "kubernetes");
  std::string s3 = CreateComponent("s3", "artifact_store", "s3");
  auto created = Send("POST", kStacks,
                      json{{"name", "production"},
                           {"components", {{"orchestrator", "k8s"}, {"artifact_store", s3}}}}
                          .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.get_header_value("ETag"), "\"1\"");
  json stack = json::parse(created.body);
  const std::string id = stack["id"];
  EXPECT_EQ(id.rfind("stk_", 0), 0u) << id;
  EXPECT_EQ(stack["workspace_id"], workspace_id_);
  const json expected = {{"orchestrator", k8s}, {"artifact_store", s3}};
  EXPECT_EQ(stack["components"], expected);
  EXPECT_EQ(Read(std::string(kStacks) + "/production")["components"], expected);
  EXPECT_EQ(Read(std::string(kStacks) + "/" + id)["name"], "production");
  EXPECT_EQ(Read("/v1/stacks/" + id)["components"], expected);

  // Naming the same components by name again is no change.
  auto same = Send("PATCH", std::string(kStacks) + "/production",
                   R"({"components":{"orchestrator":"k8s","artifact_store":"s3"}})");
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.get_header_value("ETag"), "\"1\"");

  // The map is replaced whole.
  auto fewer = Send("PATCH", std::string(kStacks) + "/production",
                    R"({"components":{"orchestrator":"k8s"}})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(fewer.status, 200) << fewer.body;
  EXPECT_EQ(fewer.get_header_value("ETag"), "\"2\"");
  EXPECT_EQ(json::parse(fewer.body)["components"], json({{"orchestrator", k8s}}));
  ExpectError(Send("PATCH", std::string(kStacks) + "/production", R"({"description":"x"})",
                   {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");

  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha/stacks/" + id).status, 204);
  ExpectError(Send("GET", "/v1/stacks/" + id), 404, "not_found", "");
  json events = Read("/v1/audit-events?target_id=" + id)["items"];
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["action"], "stack.create");
  EXPECT_EQ(events[1]["action"], "stack.update");
  EXPECT_EQ(events[2]["action"], "stack.delete");
}

TEST_F(StacksApiTest, BadStackComponentReferencesAreNamedAndChangeNothing) {
  CreateComponent("k8s", "orchestrator", "kubernetes");
  std::string s3 = CreateComponent("s3", "artifact_store", "s3");
  Create("/v1/workspaces", {{"name", "beta"}});
  std::string beta_k8s = CreateComponent("beta-k8s", "orchestrator", "kubernetes", "beta");
  Create(kStacks, {{"name", "production"}, {"components", {{"orchestrator", "k8s"}}}});
  const std::vector<std::string> paths = {kStacks, std::string(kStacks) + "/production"};
  Snapshot before = Take(paths);

  for (const std::string verb : {"POST", "PATCH"}) {
    const std::string path =
        verb == "POST" ? std::string(kStacks) : std::string(kStacks) + "/production";
    auto body = [&](const json& components) {
      json request = {{"components", components}};
      if (verb == "POST") request["name"] = "staging";
      return request.dump();
    };
    SCOPED_TRACE(verb);
    json wrong = ExpectError(Send(verb, path, body({{"orchestrator", s3}})), 400,
                             "invalid_argument", "components.orchestrator");
    EXPECT_EQ(wrong["details"]["reason"], "wrong_component_type");
    ExpectError(Send(verb, path, body({{"orchestrator", "s3"}})), 400, "invalid_argument",
                "components.orchestrator");
    ExpectError(Send(verb, path, body({{"orchestrator", "missing"}})), 422, "unprocessable",
                "components.orchestrator");
    ExpectError(Send(verb, path, body({{"orchestrator", "cmp_0123456789abcdef"}})), 422,
                "unprocessable", "components.orchestrator");
    // A component of another workspace of the same organization, by id and by name.
    ExpectError(Send(verb, path, body({{"orchestrator", beta_k8s}})), 422, "unprocessable",
                "components.orchestrator");
    ExpectError(Send(verb, path, body({{"orchestrator", "beta-k8s"}})), 422, "unprocessable",
                "components.orchestrator");
    json unknown = ExpectError(Send(verb, path, body({{"foo", "k8s"}})), 400, "invalid_argument",
                               "components.foo");
    EXPECT_EQ(unknown["details"]["reason"], "unknown_component_type");
    ExpectError(Send(verb, path, body({{"orchestrator", 5}})), 400, "invalid_argument",
                "components.orchestrator");
    ExpectError(Send(verb, path, body(json::array({"k8s"}))), 400, "invalid_argument",
                "components");
  }
  ExpectUnchanged(before, paths);
  // Nor is the other workspace's component reachable under this one.
  ExpectError(Send("GET", std::string(kComponents) + "/" + beta_k8s), 404, "not_found", "");
  EXPECT_TRUE(Names(std::string(kComponents) + "?ids=" + beta_k8s).empty());
}

TEST_F(StacksApiTest, SharedComponentCannotBeDeletedWhileStacksUseIt) {
  std::string k8s = CreateComponent("k8s", "orchestrator", "kubernetes");
  std::string s3 = CreateComponent("s3", "artifact_store", "s3");
  Create(kStacks, {{"name", "dev-stack"}, {"components", {{"orchestrator", "k8s"}, {"artifact_store", "s3"}}}});
  Create(kStacks, {{"name", "prod-stack"}, {"components", {{"artifact_store", s3}}}});
  EXPECT_EQ(Read(std::string(kStacks) + "/dev-stack")["components"]["artifact_store"], s3);
  EXPECT_EQ(Read(std::string(kStacks) + "/prod-stack")["components"]["artifact_store"], s3);

  const std::vector<std::string> paths = {kComponents, kStacks};
  Snapshot before = Take(paths);
  json error = ExpectError(Send("DELETE", std::string(kComponents) + "/s3"), 409, "conflict", "");
  const std::string message = error["message"];
  EXPECT_NE(message.find("dev-stack"), std::string::npos) << message;
  EXPECT_NE(message.find("prod-stack"), std::string::npos) << message;
  ExpectError(Send("DELETE", std::string(kComponents) + "/" + s3), 409, "conflict", "");
  ExpectUnchanged(before, paths);

  ASSERT_EQ(Send("PATCH", std::string(kStacks) + "/dev-stack",
                 R"({"components":{"orchestrator":"k8s"}})").status,
            200);
  json still = ExpectError(Send("DELETE", std::string(kComponents) + "/s3"), 409, "conflict", "");
  EXPECT_EQ(still["message"].get<std::string>().find("dev-stack"), std::string::npos)
      << still["message"];
  ASSERT_EQ(Send("PATCH", std::string(kStacks) + "/prod-stack", R"({"components":null})").status,
            200);
  EXPECT_EQ(Read(std::string(kStacks) + "/prod-stack")["components"], json::object());
  EXPECT_EQ(Send("DELETE", std::string(kComponents) + "/s3").status, 204);
  EXPECT_EQ(Names(kComponents), std::vector<std::string>{"k8s"});
  EXPECT_EQ(Read(std::string(kStacks) + "/dev-stack")["components"], json({{"orchestrator", k8s}}));
}

// --- Project-stack bindings ---------------------------------------------------------------

TEST_F(StacksApiTest, BindingIsAddressedByStackNameStackIdAndItsOwnId) {
  CreateStacksAndProject();
  auto created = Send("POST", kBindings,
                      R"({"stack_id":"production",)"
                      R"("quota":{"cpu":"8","memory":"64Gi","gpu":2,"max_parallel_runs":4},)"
                      R"("execution_labels":{"cluster":"eks-prod","namespace":"recsys"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.get_header_value("ETag"), "\"1\"");
  json binding = json::parse(created.body);
  const std::string id = binding["id"];
  EXPECT_EQ(id.rfind("pst_", 0), 0u) << id;
  EXPECT_EQ(binding["stack_id"], production_id_);
  EXPECT_EQ(binding["project_id"], project_id_);
  EXPECT_EQ(binding["workspace_id"], workspace_id_);
  EXPECT_FALSE(binding.contains("name")) << binding.dump();
  EXPECT_EQ(binding["quota"],
            json({{"cpu", "8"}, {"memory", "64Gi"}, {"gpu", 2}, {"max_parallel_runs", 4}}));
  EXPECT_EQ(binding["execution_labels"], json({{"cluster", "eks-prod"}, {"namespace", "recsys"}}));

  for (const std::string& ref : {std::string("production"), production_id_, id}) {
    SCOPED_TRACE(ref);
    EXPECT_EQ(Read(std::string(kBindings) + "/" + ref), binding);
  }
  EXPECT_EQ(Read("/v1/workspaces/" + workspace_id_ + "/projects/" + project_id_ + "/stacks/" +
                 production_id_)["id"],
            id);
  EXPECT_EQ(Read("/v1/project_stacks/" + id), binding);
  json list = Read(kBindings);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["id"], id);
  ExpectError(Send("GET", std::string(kBindings) + "/development"), 404, "not_found", "");

  json events = Read("/v1/audit-events?target_id=" + id)["items"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["action"], "project_stack.create");
  EXPECT_EQ(events[0]["project_id"], project_id_);
  EXPECT_EQ(events[0]["workspace_id"], workspace_id_);
}

TEST_F(StacksApiTest, BindingTheSameStackTwiceConflicts) {
  CreateStacksAndProject();
  Create(kBindings, {{"stack_id", "production"}});
  const std::vector<std::string> paths = {kBindings};
  Snapshot before = Take(paths);
  ExpectError(Send("POST", kBindings, R"({"stack_id":"production"})"), 409, "already_exists",
              "stack_id");
  ExpectError(Send("POST", kBindings, json{{"stack_id", production_id_}}.dump()), 409,
              "already_exists", "stack_id");
  ExpectUnchanged(before, paths);
  // Another stack binds fine.
  EXPECT_EQ(Create(kBindings, {{"stack_id", development_id_}})["stack_id"], development_id_);
}

TEST_F(StacksApiTest, BindingToStackOfAnotherWorkspaceIsUnprocessable) {
  CreateStacksAndProject();
  Create("/v1/workspaces", {{"name", "beta"}});
  std::string beta_stack = Create("/v1/workspaces/beta/stacks", {{"name", "beta-stack"}})["id"];
  const std::vector<std::string> paths = {kBindings};
  Snapshot before = Take(paths);
  ExpectError(Send("POST", kBindings, json{{"stack_id", beta_stack}}.dump()), 422, "unprocessable",
              "stack_id");
  ExpectError(Send("POST", kBindings, R"({"stack_id":"beta-stack"})"), 422, "unprocessable",
              "stack_id");
  ExpectError(Send("POST", kBindings, R"({"stack_id":"stk_0123456789abcdef"})"), 422,
              "unprocessable", "stack_id");
  ExpectError(Send("GET", std::string(kBindings) + "/" + beta_stack), 404, "not_found", "");
  ExpectUnchanged(before, paths);
}

TEST_F(StacksApiTest, PatchingQuotaReplacesItWhole) {
  CreateStacksAndProject();
  Create(kBindings, json::parse(R"({"stack_id":"production",)"
                                R"("quota":{"cpu":"8","memory":"64Gi","gpu":2,"max_parallel_runs":4},)"
                                R"("execution_labels":{"cluster":"eks-prod","namespace":"recsys"}})"));
  const std::string path = std::string(kBindings) + "/production";
  auto patched = Send("PATCH", path, R"({"quota":{"gpu":1}})", {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  json binding = Read(path);
  EXPECT_EQ(binding["quota"], json({{"gpu", 1}}));
  EXPECT_EQ(binding["execution_labels"], json({{"cluster", "eks-prod"}, {"namespace", "recsys"}}));

  auto labels = Send("PATCH", path, R"({"execution_labels":{"cluster":"eks-dev"}})");
  ASSERT_EQ(labels.status, 200) << labels.body;
  EXPECT_EQ(Read(path)["execution_labels"], json({{"cluster", "eks-dev"}}));
  auto cleared = Send("PATCH", path, R"({"quota":null,"execution_labels":null})");
  ASSERT_EQ(cleared.status, 200) << cleared.body;
  EXPECT_EQ(Read(path)["quota"], json::object());
  EXPECT_EQ(Read(path)["execution_labels"], json::object());
  ExpectError(Send("PATCH", path, R"({"quota":{"gpu":3}})", {{"If-Match", "\"2\""}}), 412,
              "precondition_failed", "If-Match");
}

TEST_F(StacksApiTest, BindingStackCannotChange) {
  CreateStacksAndProject();
  Create(kBindings, {{"stack_id", "production"}, {"quota", {{"gpu", 2}}}});
  const std::string path = std::string(kBindings) + "/production";
  const std::vector<std::string> paths = {path, kBindings};
  Snapshot before = Take(paths);
  json error = ExpectError(Send("PATCH", path, R"({"stack_id":"development"})"), 400,
                           "invalid_argument", "stack_id");
  EXPECT_EQ(error["details"]["reason"], "immutable");
  ExpectError(Send("PATCH", path, json{{"stack_id", development_id_}}.dump()), 400,
              "invalid_argument", "stack_id");
  ExpectUnchanged(before, paths);

  // Naming the same stack, by name or id, is no change.
  for (const std::string& same : {std::string("production"), production_id_}) {
    auto repeated = Send("PATCH", path, json{{"stack_id", same}}.dump());
    ASSERT_EQ(repeated.status, 200) << repeated.body;
    EXPECT_EQ(repeated.get_header_value("ETag"), "\"1\"");
    EXPECT_EQ(json::parse(repeated.body)["stack_id"], production_id_);
  }
  ExpectUnchanged(before, paths);
}

TEST_F(StacksApiTest, BadBindingInputIsNamedAndChangesNothing) {
  CreateStacksAndProject();
  Create(kBindings, {{"stack_id", "production"}, {"quota", {{"gpu", 2}}}});
  const std::string path = std::string(kBindings) + "/production";
  const std::vector<std::string> paths = {path, kBindings};
  Snapshot before = Take(paths);

  struct Case {
    std::string patch;
    std::string field;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {R"({"quota":{"cpu":"eight"}})", "quota.cpu", "quantity"},
      {R"({"quota":{"cpu":8}})", "quota.cpu", "wrong_type"},
      {R"({"quota":{"memory":"64GB"}})", "quota.memory", "quantity"},
      {R"({"quota":{"gpu":-1}})", "quota.gpu", "out_of_range"},
      {R"({"quota":{"gpu":1.5}})", "quota.gpu", "wrong_type"},
      {R"({"quota":{"max_parallel_runs":"4"}})", "quota.max_parallel_runs", "wrong_type"},
      {R"({"quota":{"tpu":4}})", "quota.tpu", "unknown_field"},
      {R"({"quota":[]})", "quota", "wrong_type"},
      {R"({"execution_labels":{"Cluster":"eks"}})", "execution_labels.Cluster", "label_key"},
      {R"({"execution_labels":{"cluster":1}})", "execution_labels.cluster", "wrong_type"},
      {R"({"execution_labels":"eks"})", "execution_labels", "wrong_type"},
      {R"({"name":"prod"})", "name", "unknown_field"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.patch);
    json on_update = ExpectError(Send("PATCH", path, c.patch), 400, "invalid_argument", c.field);
    EXPECT_EQ(on_update["details"]["reason"], c.reason);
    json body = json::parse(c.patch);
    body["stack_id"] = "development";
    ExpectError(Send("POST", kBindings, body.dump()), 400, "invalid_argument", c.field);
  }
  ExpectError(Send("POST", kBindings, R"({"quota":{"gpu":1}})"), 400, "invalid_argument",
              "stack_id");
  ExpectError(Send("POST", kBindings, R"({"stack_id":""})"), 400, "invalid_argument", "stack_id");
  ExpectError(Send("POST", kBindings, R"({"stack_id":7})"), 400, "invalid_argument", "stack_id");
  ExpectUnchanged(before, paths);
}

TEST_F(StacksApiTest, BoundStackAndProjectCannotBeDeletedUntilTheBindingIsRemoved) {
  CreateStacksAndProject();
  std::string binding = Create(kBindings, {{"stack_id", "production"}})["id"];
  const std::vector<std::string> paths = {kStacks, "/v1/workspaces/alpha/projects", kBindings};
  Snapshot before = Take(paths);
  json stack_error = ExpectError(Send("DELETE", std::string(kStacks) + "/production"), 409,
                                 "conflict", "");
  EXPECT_NE(stack_error["message"].get<std::string>().find("recsys"), std::string::npos)
      << stack_error["message"];
  json project_error =
      ExpectError(Send("DELETE", "/v1/workspaces/alpha/projects/recsys"), 409, "conflict", "");
  EXPECT_NE(project_error["message"].get<std::string>().find("production"), std::string::npos)
      << project_error["message"];
  ExpectUnchanged(before, paths);

  EXPECT_EQ(Send("DELETE", std::string(kBindings) + "/" + binding).status, 204);
  ExpectError(Send("GET", std::string(kBindings) + "/production"), 404, "not_found", "");
  EXPECT_EQ(Send("DELETE", std::string(kStacks) + "/production").status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha/projects/recsys").status, 204);
  EXPECT_EQ(Names(kStacks), std::vector<std::string>{"development"});
}

// --- Workspace deletion -------------------------------------------------------------------

TEST_F(StacksApiTest, WorkspaceDeletionNamesTheStacksComponentsAndProjectsItStillHolds) {
  CreateComponent("s3", "artifact_store", "s3");
  const std::vector<std::string> paths = {"/v1/workspaces/alpha", kComponents, kStacks};
  auto refused = [&](const std::vector<std::string>& names) {
    Snapshot before = Take(paths);
    json error = ExpectError(Send("DELETE", "/v1/workspaces/alpha"), 409, "conflict", "");
    const std::string message = error["message"];
    for (const std::string& name : names) {
      EXPECT_NE(message.find("\"alpha\""), std::string::npos) << message;
      EXPECT_NE(message.find(name), std::string::npos) << name << " not in: " << message;
    }
    ExpectUnchanged(before, paths);
  };
  refused({"s3"});
  Create(kStacks, {{"name", "production"}, {"components", {{"artifact_store", "s3"}}}});
  Create(kStacks, {{"name", "development"}});
  refused({"production", "development"});
  Create("/v1/workspaces/alpha/projects", {{"name", "recsys"}});
  refused({"recsys"});

  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha/projects/recsys").status, 204);
  EXPECT_EQ(Send("DELETE", std::string(kStacks) + "/production").status, 204);
  EXPECT_EQ(Send("DELETE", std::string(kStacks) + "/development").status, 204);
  refused({"s3"});
  EXPECT_EQ(Send("DELETE", std::string(kComponents) + "/s3").status, 204);
  EXPECT_EQ(Send("DELETE", "/v1/workspaces/alpha").status, 204);
  EXPECT_EQ(WorkspaceCount(), 0u);
}

// --- The organization ---------------------------------------------------------------------

class OrganizationApiTest : public testing::ApiServerFixture {
 protected:
  // Creates another organization with the system administrator's token; returns its token.
  std::string CreateOrganization(const std::string& name) {
    auto created = Send("POST", "/v1/organizations", json{{"name", name}}.dump());
    EXPECT_EQ(created.status, 201) << created.body;
    json body = json::parse(created.body, nullptr, /*allow_exceptions=*/false);
    other_id_ = body.value("organization_id", "");
    return body.value("token", "");
  }

  std::unique_ptr<httplib::Client> ClientWith(const std::string& token) {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_bearer_token_auth(token.c_str());
    return client;
  }

  std::string other_id_;
};

TEST_F(OrganizationApiTest, PatchChangesDisplayNameAndLabels) {
  auto before = Send("GET", "/v1/organization");
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.get_header_value("ETag"), "\"1\"");
  auto patched = Send("PATCH", "/v1/organization",
                      R"({"display_name":"Acme Inc.","labels":{"cost_center":"cc-42"}})",
                      {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.get_header_value("ETag"), "\"2\"");
  json organization = json::parse(Send("GET", "/v1/organization").body);
  EXPECT_EQ(organization["name"], "acme");
  EXPECT_EQ(organization["display_name"], "Acme Inc.");
  EXPECT_EQ(organization["labels"], json({{"cost_center", "cc-42"}}));
  EXPECT_EQ(organization["revision"], 2);
  std::vector<AuditEvent> events = AuditEvents();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "organization.update");

  // Repeating the values is no change; null resets.
  auto same = Send("PATCH", "/v1/organization", R"({"display_name":"Acme Inc."})");
  EXPECT_EQ(same.get_header_value("ETag"), "\"2\"");
  auto reset = Send("PATCH", "/v1/organization", R"({"display_name":null,"labels":null})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(json::parse(reset.body)["display_name"], "");
  EXPECT_EQ(json::parse(reset.body)["labels"], json::object());
}

TEST_F(OrganizationApiTest, BadOrStalePatchChangesNothing) {
  ASSERT_EQ(Send("PATCH", "/v1/organization", R"({"description":"first"})").status, 200);
  std::string before = Send("GET", "/v1/organization").body;
  size_t events = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/organization", R"({"description":"x"})", {{"If-Match", "\"1\""}}),
              412, "precondition_failed", "If-Match");
  ExpectError(Send("PATCH", "/v1/organization", R"({"name":"Acme Corp"})"), 400,
              "invalid_argument", "name");
  ExpectError(Send("PATCH", "/v1/organization", R"({"plan":"gold"})"), 400, "invalid_argument",
              "plan");
  ExpectError(Send("PATCH", "/v1/organization", R"({"labels":{"team":1}})"), 400,
              "invalid_argument", "labels.team");
  EXPECT_EQ(Send("GET", "/v1/organization").body, before);
  EXPECT_EQ(AuditEvents().size(), events);
}

TEST_F(OrganizationApiTest, RenameToAnotherOrganizationsNameConflicts) {
  CreateOrganization("globex");
  std::string before = Send("GET", "/v1/organization").body;
  size_t events = AuditEvents().size();
  ExpectError(Send("PATCH", "/v1/organization", R"({"name":"globex"})"), 409, "already_exists",
              "name");
  ExpectError(Send("POST", "/v1/organizations", R"({"name":"globex"})"), 409, "already_exists",
              "name");
  EXPECT_EQ(Send("GET", "/v1/organization").body, before);
  EXPECT_EQ(AuditEvents().size(), events);

  auto renamed = Send("PATCH", "/v1/organization", R"({"name":"acme-industries"})");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(json::parse(renamed.body)["name"], "acme-industries");
}

TEST_F(OrganizationApiTest, BootstrapOrganizationCannotBeDeleted) {
  std::string before = Send("GET", "/v1/organization").body;
  size_t events = AuditEvents().size();
  json error = ExpectError(Send("DELETE", "/v1/organization"), 409, "conflict", "");
  EXPECT_NE(error["message"].get<std::string>().find("system administrator"), std::string::npos)
      << error["message"];
  EXPECT_EQ(Send("GET", "/v1/organization").body, before);
  EXPECT_EQ(AuditEvents().size(), events);
}

TEST_F(OrganizationApiTest, EmptyOrganizationIsDeletedAndItsTokenStopsWorking) {
  std::string token = CreateOrganization("globex");
  ASSERT_FALSE(token.empty());
  auto other = ClientWith(token);
  auto workspace = other->Post("/v1/workspaces", R"({"name":"research"})", "application/json");
  ASSERT_TRUE(workspace);
  ASSERT_EQ(workspace->status, 201) << workspace->body;

  // Only the system administrator's key creates organizations.
  ExpectError(other->Post("/v1/organizations", R"({"name":"initech"})", "application/json"), 403,
              "permission_denied", "");

  size_t events = AuditEventsOf(other_id_).size();
  json error = ExpectError(other->Delete("/v1/organization"), 409, "conflict", "");
  EXPECT_NE(error["message"].get<std::string>().find("research"), std::string::npos)
      << error["message"];
  EXPECT_EQ(AuditEventsOf(other_id_).size(), events);
  auto still = other->Get("/v1/organization");
  ASSERT_TRUE(still);
  EXPECT_EQ(still->status, 200);
  EXPECT_EQ(json::parse(still->body)["name"], "globex");

  auto removed = other->Delete("/v1/workspaces/research");
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->status, 204) << removed->body;
  auto deleted = other->Delete("/v1/organization");
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, 204) << deleted->body;

  ExpectError(other->Get("/v1/organization"), 401, "unauthenticated", "Authorization");
  ExpectError(other->Get("/v1/workspaces"), 401, "unauthenticated", "Authorization");
  // The system administrator's organization is untouched, and the name is free again.
  EXPECT_EQ(json::parse(Send("GET", "/v1/organization").body)["name"], "acme");
  EXPECT_EQ(Send("POST", "/v1/organizations", R"({"name":"globex"})").status, 201);
}

}  // namespace
}  // namespace rampart::http
