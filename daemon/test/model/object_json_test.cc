// JSON merge patches and JSON forms of every kind of object, without a store or server:
// the rules every kind shares (required fields on create, null resets, unknown fields and
// wrong types named by their JSON path) and what each kind adds.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "model/principals_json.h"
#include "model/stacks_json.h"
#include "model/tenancy_json.h"

namespace rampart {
namespace {

using nlohmann::json;

// A minimal valid create body of each kind, and the field that identifies its object.
template <typename T>
struct Sample;
template <>
struct Sample<Organization> {
  static json Body() { return {{"name", "acme"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<Workspace> {
  static json Body() { return {{"name", "alpha"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<Project> {
  static json Body() { return {{"name", "recsys"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<User> {
  static json Body() { return {{"email", "dana@example.com"}}; }
  static constexpr const char* kIdentity = "email";
};
template <>
struct Sample<ServiceAccount> {
  static json Body() { return {{"name", "ci-bot"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<Team> {
  static json Body() { return {{"name", "ml-ops"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<StackComponent> {
  static json Body() { return {{"name", "s3"}, {"type", "artifact_store"}, {"flavor", "s3"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<Stack> {
  static json Body() { return {{"name", "production"}}; }
  static constexpr const char* kIdentity = "name";
};
template <>
struct Sample<ProjectStack> {
  static json Body() { return {{"stack_id", "production"}}; }
  static constexpr const char* kIdentity = "stack_id";
};

template <typename T>
T Created(const json& body) {
  T object{};
  Status status = ApplyPatch(body, PatchMode::kCreate, object);
  EXPECT_TRUE(status.ok()) << body.dump() << ": " << status.message();
  return object;
}

void ExpectInvalid(const Status& status, const std::string& field, const std::string& reason) {
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.message();
  EXPECT_EQ(status.field(), field) << status.message();
  EXPECT_EQ(status.reason(), reason) << status.message();
  EXPECT_EQ(status.message().rfind(field + ": ", 0), 0u)
      << "the message should name the field first: " << status.message();
}

template <typename T>
class ObjectJson : public ::testing::Test {};

using AllKinds = ::testing::Types<Organization, Workspace, Project, User, ServiceAccount, Team,
                                  StackComponent, Stack, ProjectStack>;

class KindNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, Organization>) return "Organization";
    if constexpr (std::is_same_v<T, Workspace>) return "Workspace";
    if constexpr (std::is_same_v<T, Project>) return "Project";
    if constexpr (std::is_same_v<T, User>) return "User";
    if constexpr (std::is_same_v<T, ServiceAccount>) return "ServiceAccount";
    if constexpr (std::is_same_v<T, Team>) return "Team";
    if constexpr (std::is_same_v<T, StackComponent>) return "StackComponent";
    if constexpr (std::is_same_v<T, Stack>) return "Stack";
    return "ProjectStack";
  }
};
TYPED_TEST_SUITE(ObjectJson, AllKinds, KindNames);

TYPED_TEST(ObjectJson, MinimalCreateBodyIsAccepted) {
  TypeParam object = Created<TypeParam>(Sample<TypeParam>::Body());
  EXPECT_FALSE(object.meta.name.empty());
  EXPECT_TRUE(object.meta.display_name.empty());
  EXPECT_TRUE(object.meta.labels.empty());
}

TYPED_TEST(ObjectJson, CreateNamesTheMissingIdentifyingField) {
  const std::string field = Sample<TypeParam>::kIdentity;
  json absent = Sample<TypeParam>::Body();
  absent.erase(field);
  TypeParam object{};
  ExpectInvalid(ApplyPatch(absent, PatchMode::kCreate, object), field, "required");
  json null = Sample<TypeParam>::Body();
  null[field] = nullptr;
  ExpectInvalid(ApplyPatch(null, PatchMode::kCreate, object), field, "required");
}

TYPED_TEST(ObjectJson, UpdateRequiresNothingAndLeavesAbsentFieldsAlone) {
  json body = Sample<TypeParam>::Body();
  body["display_name"] = "Shown";
  body["labels"] = {{"team", "platform"}};
  TypeParam object = Created<TypeParam>(body);
  const std::string name = object.meta.name;
  ASSERT_TRUE(ApplyPatch(json::object(), PatchMode::kUpdate, object).ok());
  ASSERT_TRUE(ApplyPatch({{"description", "why"}}, PatchMode::kUpdate, object).ok());
  EXPECT_EQ(object.meta.name, name);
  EXPECT_EQ(object.meta.display_name, "Shown");
  EXPECT_EQ(object.meta.description, "why");
  EXPECT_EQ(object.meta.labels, (Labels{{"team", "platform"}}));
}

TYPED_TEST(ObjectJson, NullResetsDisplayNameDescriptionAndLabelsOnUpdate) {
  json body = Sample<TypeParam>::Body();
  body["display_name"] = "Shown";
  body["description"] = "Long text";
  body["labels"] = {{"cost_center", "cc-1"}, {"environment", "prod"}};
  TypeParam object = Created<TypeParam>(body);
  ASSERT_EQ(object.meta.labels.size(), 2u);
  Status status = ApplyPatch({{"display_name", nullptr}, {"description", nullptr}, {"labels", nullptr}},
                             PatchMode::kUpdate, object);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(object.meta.display_name, "");
  EXPECT_EQ(object.meta.description, "");
  EXPECT_TRUE(object.meta.labels.empty());
}

TYPED_TEST(ObjectJson, UnknownFieldIsNamed) {
  json body = Sample<TypeParam>::Body();
  body["colour"] = "red";
  TypeParam object{};
  Status status = ApplyPatch(body, PatchMode::kCreate, object);
  ExpectInvalid(status, "colour", "unknown_field");
  EXPECT_NE(status.message().find("display_name"), std::string::npos)
      << "the message should list the accepted fields: " << status.message();
  ExpectInvalid(ApplyPatch({{"id", "x"}}, PatchMode::kUpdate, object), "id", "unknown_field");
  ExpectInvalid(ApplyPatch({{"revision", 3}}, PatchMode::kUpdate, object), "revision",
                "unknown_field");
  // Found by the request fuzzer: an empty key made a message that named no field.
  ExpectInvalid(ApplyPatch({{"", 1}}, PatchMode::kUpdate, object), "\"\"", "unknown_field");
}

TYPED_TEST(ObjectJson, WrongTypesAreNamedWithTheirJsonPath) {
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"display_name", 5}}, "display_name"},
      {{{"description", json::array()}}, "description"},
      {{{"labels", "team=a"}}, "labels"},
      {{{"labels", {{"team", 5}}}}, "labels.team"},
      {{{Sample<TypeParam>::kIdentity, 42}}, Sample<TypeParam>::kIdentity},
  };
  for (const auto& [patch, field] : cases) {
    SCOPED_TRACE(patch.dump());
    TypeParam object = Created<TypeParam>(Sample<TypeParam>::Body());
    ExpectInvalid(ApplyPatch(patch, PatchMode::kUpdate, object), field, "wrong_type");
    json body = Sample<TypeParam>::Body();
    body.update(patch);
    ExpectInvalid(ApplyPatch(body, PatchMode::kCreate, object), field, "wrong_type");
  }
  TypeParam object{};
  ExpectInvalid(ApplyPatch(json::array(), PatchMode::kCreate, object), "body", "wrong_type");
  ExpectInvalid(ApplyPatch({{"labels", {{"Team", "a"}}}}, PatchMode::kUpdate, object),
                "labels.Team", "label_key");
}

// --- Tenancy ------------------------------------------------------------------------------

TEST(TenancyJson, NamesMustBeDnsLabels) {
  Workspace workspace{};
  ExpectInvalid(ApplyPatch({{"name", "Alpha Workspace"}}, PatchMode::kCreate, workspace), "name",
                "dns_label");
  ExpectInvalid(ApplyPatch({{"name", ""}}, PatchMode::kCreate, workspace), "name", "required");
}

TEST(TenancyJson, OnlyObjectsWithAParentShowOrganizationId) {
  Organization organization{};
  organization.meta.id = organization.meta.organization_id = "org_1";
  json shown = ToJson(organization);
  EXPECT_FALSE(shown.contains("organization_id")) << shown.dump();
  for (const char* field : {"id", "name", "display_name", "description", "labels", "created_at",
                            "updated_at", "created_by", "revision"}) {
    EXPECT_TRUE(shown.contains(field)) << field;
  }
  Project project = Created<Project>({{"name", "recsys"}});
  project.meta.organization_id = "org_1";
  project.workspace_id = "ws_1";
  json project_json = ToJson(project);
  EXPECT_EQ(project_json["organization_id"], "org_1");
  EXPECT_EQ(project_json["workspace_id"], "ws_1");
  EXPECT_EQ(project_json["labels"], json::object());
}

// --- Principals ---------------------------------------------------------------------------

TEST(UserJson, EmailIsLowercased) {
  User user = Created<User>({{"email", "Dana.Scully@Example.COM"}});
  EXPECT_EQ(user.meta.name, "dana.scully@example.com");
  ASSERT_TRUE(ApplyPatch({{"email", "FOX@EXAMPLE.COM"}}, PatchMode::kUpdate, user).ok());
  EXPECT_EQ(user.meta.name, "fox@example.com");
}

TEST(UserJson, BadUserFieldsAreNamed) {
  User user{};
  ExpectInvalid(ApplyPatch({{"email", "not-an-email"}}, PatchMode::kCreate, user), "email",
                "email");
  ExpectInvalid(ApplyPatch({{"email", "dana@example.com"}, {"active", "yes"}}, PatchMode::kCreate,
                           user),
                "active", "wrong_type");
  // Users are named by their email alone.
  ExpectInvalid(ApplyPatch({{"email", "dana@example.com"}, {"name", "dana"}}, PatchMode::kCreate,
                           user),
                "name", "unknown_field");
}

TEST(UserJson, ShowsEmailInsteadOfName) {
  User user = Created<User>({{"email", "dana@example.com"}, {"active", false}});
  json shown = ToJson(user);
  EXPECT_EQ(shown["email"], "dana@example.com");
  EXPECT_FALSE(shown.contains("name")) << shown.dump();
  EXPECT_EQ(shown["active"], false);
  EXPECT_TRUE(shown.contains("organization_id"));
}

TEST(TeamJson, IdpGroupsAreSortedAndDeduplicated) {
  Team team = Created<Team>(
      {{"name", "ml-ops"}, {"idp_groups", {"ml-ops", "data-science", "ml-ops", "Admins"}}});
  EXPECT_EQ(team.idp_groups, (std::vector<std::string>{"Admins", "data-science", "ml-ops"}));
  EXPECT_EQ(ToJson(team)["idp_groups"], json({"Admins", "data-science", "ml-ops"}));
  ASSERT_TRUE(ApplyPatch({{"idp_groups", nullptr}}, PatchMode::kUpdate, team).ok());
  EXPECT_TRUE(team.idp_groups.empty());
}

TEST(TeamJson, BadTeamListsNameTheEntry) {
  Team team{};
  ExpectInvalid(ApplyPatch({{"name", "t"}, {"idp_groups", {"a", ""}}}, PatchMode::kCreate, team),
                "idp_groups[1]", "required");
  ExpectInvalid(ApplyPatch({{"name", "t"}, {"idp_groups", {"a", 7}}}, PatchMode::kCreate, team),
                "idp_groups[1]", "wrong_type");
  ExpectInvalid(ApplyPatch({{"name", "t"}, {"idp_groups", "admins"}}, PatchMode::kCreate, team),
                "idp_groups", "wrong_type");
  ExpectInvalid(ApplyPatch({{"name", "t"}, {"members", {"usr_1", 5}}}, PatchMode::kCreate, team),
                "members[1]", "wrong_type");
  ExpectInvalid(ApplyPatch({{"name", "t"}, {"idp_groups", {"bad\x01group"}}}, PatchMode::kCreate,
                           team),
                "idp_groups[0]", "control_character");
}

// --- Stack components ---------------------------------------------------------------------

TEST(StackComponentJson, CreateNamesEachMissingRequiredField) {
  for (const char* field : {"name", "type", "flavor"}) {
    json body = Sample<StackComponent>::Body();
    body.erase(field);
    StackComponent component{};
    ExpectInvalid(ApplyPatch(body, PatchMode::kCreate, component), field, "required");
  }
}

TEST(StackComponentJson, ConfigurationIsStoredAsCanonicalString) {
  json body = Sample<StackComponent>::Body();
  body["configuration"] = json::parse(R"({"b":1,"a":{"y":2,"x":[{"k":1,"j":2}]}})");
  StackComponent component = Created<StackComponent>(body);
  EXPECT_EQ(component.configuration, R"({"a":{"x":[{"j":2,"k":1}],"y":2},"b":1})");
  EXPECT_EQ(ToJson(component)["configuration"], body["configuration"]);

  EXPECT_EQ(Created<StackComponent>(Sample<StackComponent>::Body()).configuration, "{}");
  ASSERT_TRUE(ApplyPatch({{"configuration", nullptr}}, PatchMode::kUpdate, component).ok());
  EXPECT_EQ(component.configuration, "{}");
  EXPECT_EQ(ToJson(component)["configuration"], json::object());
}

TEST(StackComponentJson, ConfigurationMustBeAnObject) {
  for (const json& value : {json::array(), json("x"), json(1), json(true)}) {
    SCOPED_TRACE(value.dump());
    json body = Sample<StackComponent>::Body();
    body["configuration"] = value;
    StackComponent component{};
    ExpectInvalid(ApplyPatch(body, PatchMode::kCreate, component), "configuration", "wrong_type");
  }
}

TEST(StackComponentJson, SecretValuesAreNamedWithTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"aws_secret_access_key":"AKIAIOSFODNN7EXAMPLE"})", "configuration.aws_secret_access_key"},
      {R"({"auth":{"password":"x"}})", "configuration.auth.password"},
      {R"({"hosts":[{"url":"u"},{"API_TOKEN":"t"}]})", "configuration.hosts[1].API_TOKEN"},
      {R"({"gcp":{"private_key":"-----BEGIN"}})", "configuration.gcp.private_key"},
      // Whatever its shape, a value under a secret-looking key is a secret.
      {R"({"password":123456})", "configuration.password"},
      {R"({"api_tokens":["abc"]})", "configuration.api_tokens[0]"},
      {R"({"credentials":{"value":"x"}})", "configuration.credentials.value"},
  };
  for (const auto& [configuration, field] : cases) {
    SCOPED_TRACE(configuration);
    json body = Sample<StackComponent>::Body();
    body["configuration"] = json::parse(configuration);
    StackComponent component{};
    Status status = ApplyPatch(body, PatchMode::kCreate, component);
    ExpectInvalid(status, field, "secret_value");
    EXPECT_EQ(status.message().find("AKIAIOSFODNN7EXAMPLE"), std::string::npos) << status.message();
  }
  json referenced = Sample<StackComponent>::Body();
  referenced["configuration"] = {{"aws_secret_access_key", "{{aws.secret}}"},
                                 {"auth", {{"password", "{{mlflow.password}}"}}},
                                 {"use_token", true}};
  EXPECT_TRUE(Created<StackComponent>(referenced).configuration.find("{{aws.secret}}") !=
              std::string::npos);
}

TEST(StackComponentJson, UnknownTypeListsTheKnownTypes) {
  json body = Sample<StackComponent>::Body();
  body["type"] = "gpu_pool";
  StackComponent component{};
  Status status = ApplyPatch(body, PatchMode::kCreate, component);
  ExpectInvalid(status, "type", "unknown_component_type");
  for (const std::string& type : StackComponentTypes()) {
    EXPECT_NE(status.message().find(type), std::string::npos) << status.message();
  }
}

TEST(StackComponentJson, TypeIsFixedButFlavorMayChange) {
  StackComponent component = Created<StackComponent>(Sample<StackComponent>::Body());
  ExpectInvalid(ApplyPatch({{"type", "orchestrator"}}, PatchMode::kUpdate, component), "type",
                "immutable");
  EXPECT_EQ(component.type, "artifact_store");
  EXPECT_TRUE(ApplyPatch({{"type", "artifact_store"}}, PatchMode::kUpdate, component).ok());
  ASSERT_TRUE(ApplyPatch({{"flavor", "gcs"}}, PatchMode::kUpdate, component).ok());
  EXPECT_EQ(component.flavor, "gcs");
  for (const char* flavor : {"S3!", "", "3s", "s 3"}) {
    SCOPED_TRACE(flavor);
    ExpectInvalid(ApplyPatch({{"flavor", flavor}}, PatchMode::kUpdate, component), "flavor",
                  "flavor");
  }
}

TEST(StackComponentJson, ShowsTypeFlavorAndWorkspace) {
  StackComponent component = Created<StackComponent>(Sample<StackComponent>::Body());
  component.workspace_id = "ws_1";
  json shown = ToJson(component);
  EXPECT_EQ(shown["type"], "artifact_store");
  EXPECT_EQ(shown["flavor"], "s3");
  EXPECT_EQ(shown["workspace_id"], "ws_1");
  EXPECT_EQ(shown["name"], "s3");
}

// --- Stacks -------------------------------------------------------------------------------

TEST(StackJson, ComponentReferencesAreKeptAsGivenAndReplacedWhole) {
  Stack stack = Created<Stack>(
      {{"name", "production"}, {"components", {{"orchestrator", "k8s"}, {"artifact_store", "cmp_1"}}}});
  EXPECT_EQ(stack.components,
            (std::map<std::string, std::string>{{"artifact_store", "cmp_1"}, {"orchestrator", "k8s"}}));
  ASSERT_TRUE(ApplyPatch({{"components", {{"orchestrator", "k8s"}}}}, PatchMode::kUpdate, stack).ok());
  EXPECT_EQ(stack.components, (std::map<std::string, std::string>{{"orchestrator", "k8s"}}));
  ASSERT_TRUE(ApplyPatch({{"components", nullptr}}, PatchMode::kUpdate, stack).ok());
  EXPECT_TRUE(stack.components.empty());
  EXPECT_EQ(ToJson(stack)["components"], json::object());
}

TEST(StackJson, UnknownComponentTypeIsNamed) {
  Stack stack{};
  Status status =
      ApplyPatch({{"name", "production"}, {"components", {{"foo", "k8s"}}}}, PatchMode::kCreate, stack);
  ExpectInvalid(status, "components.foo", "unknown_component_type");
  EXPECT_NE(status.message().find("orchestrator"), std::string::npos) << status.message();
  ExpectInvalid(ApplyPatch({{"components", {{"orchestrator", 5}}}}, PatchMode::kUpdate, stack),
                "components.orchestrator", "wrong_type");
  ExpectInvalid(ApplyPatch({{"components", {"k8s"}}}, PatchMode::kUpdate, stack), "components",
                "wrong_type");
}

// --- Project-stack bindings ---------------------------------------------------------------

json BindingWithQuota(const json& quota) { return {{"stack_id", "production"}, {"quota", quota}}; }

TEST(ProjectStackJson, AcceptsKubernetesQuantities) {
  for (const char* cpu : {"8", "500m", "1.5", "0.25", "100"}) {
    SCOPED_TRACE(cpu);
    EXPECT_EQ(Created<ProjectStack>(BindingWithQuota({{"cpu", cpu}})).quota.cpu, cpu);
  }
  for (const char* memory : {"64Gi", "512Mi", "1.5Ti", "1000000", "128M"}) {
    SCOPED_TRACE(memory);
    EXPECT_EQ(Created<ProjectStack>(BindingWithQuota({{"memory", memory}})).quota.memory, memory);
  }
  ProjectStack full = Created<ProjectStack>(BindingWithQuota(
      {{"cpu", "8"}, {"memory", "64Gi"}, {"gpu", 2}, {"max_parallel_runs", 4}}));
  EXPECT_EQ(full.quota.gpu, 2);
  EXPECT_EQ(full.quota.max_parallel_runs, 4);
}

TEST(ProjectStackJson, BadQuotaIsNamedByItsKey) {
  struct Case {
    json quota;
    std::string field;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {{{"cpu", "eight"}}, "quota.cpu", "quantity"},
      {{{"cpu", "-1"}}, "quota.cpu", "quantity"},
      {{{"cpu", 8}}, "quota.cpu", "wrong_type"},
      {{{"memory", "64GB"}}, "quota.memory", "quantity"},
      {{{"memory", "64 Gi"}}, "quota.memory", "quantity"},
      {{{"gpu", -1}}, "quota.gpu", "out_of_range"},
      {{{"gpu", kMaxQuotaCount + 1}}, "quota.gpu", "out_of_range"},
      {{{"gpu", 1.5}}, "quota.gpu", "wrong_type"},
      {{{"gpu", "2"}}, "quota.gpu", "wrong_type"},
      {{{"max_parallel_runs", true}}, "quota.max_parallel_runs", "wrong_type"},
      {{{"tpu", 4}}, "quota.tpu", "unknown_field"},
      {json::array(), "quota", "wrong_type"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.quota.dump());
    ProjectStack binding{};
    ExpectInvalid(ApplyPatch(BindingWithQuota(c.quota), PatchMode::kCreate, binding), c.field,
                  c.reason);
  }
}

TEST(ProjectStackJson, QuotaAndExecutionLabelsAreReplacedWhole) {
  ProjectStack binding = Created<ProjectStack>(
      {{"stack_id", "production"},
       {"quota", {{"cpu", "8"}, {"memory", "64Gi"}, {"gpu", 2}}},
       {"execution_labels", {{"cluster", "eks-prod"}, {"namespace", "recsys"}}}});
  ASSERT_TRUE(ApplyPatch({{"quota", {{"gpu", 1}}}}, PatchMode::kUpdate, binding).ok());
  EXPECT_EQ(binding.quota, (StackQuota{std::nullopt, std::nullopt, 1, std::nullopt}));
  EXPECT_EQ(binding.execution_labels, (Labels{{"cluster", "eks-prod"}, {"namespace", "recsys"}}));
  ASSERT_TRUE(ApplyPatch({{"quota", nullptr}, {"execution_labels", nullptr}}, PatchMode::kUpdate,
                         binding)
                  .ok());
  EXPECT_EQ(binding.quota, StackQuota{});
  EXPECT_TRUE(binding.execution_labels.empty());
}

TEST(ProjectStackJson, BadBindingFieldsAreNamed) {
  ProjectStack binding{};
  ExpectInvalid(ApplyPatch({{"stack_id", ""}}, PatchMode::kCreate, binding), "stack_id",
                "required");
  ExpectInvalid(ApplyPatch({{"stack_id", "production"}, {"name", "prod"}}, PatchMode::kCreate,
                           binding),
                "name", "unknown_field");
  ExpectInvalid(ApplyPatch({{"stack_id", "production"}, {"execution_labels", {{"Cluster", "x"}}}},
                           PatchMode::kCreate, binding),
                "execution_labels.Cluster", "label_key");
  ExpectInvalid(ApplyPatch({{"stack_id", "production"}, {"execution_labels", {{"cluster", 1}}}},
                           PatchMode::kCreate, binding),
                "execution_labels.cluster", "wrong_type");
}

TEST(ProjectStackJson, ShowsStackIdInsteadOfNameAndOmitsAbsentQuota) {
  ProjectStack binding = Created<ProjectStack>(
      {{"stack_id", "stk_1"}, {"quota", {{"gpu", 2}, {"memory", "64Gi"}}},
       {"execution_labels", {{"cluster", "eks-prod"}}}});
  binding.project_id = "prj_1";
  binding.workspace_id = "ws_1";
  json shown = ToJson(binding);
  EXPECT_FALSE(shown.contains("name")) << shown.dump();
  EXPECT_EQ(shown["stack_id"], "stk_1");
  EXPECT_EQ(shown["project_id"], "prj_1");
  EXPECT_EQ(shown["workspace_id"], "ws_1");
  EXPECT_EQ(shown["quota"], json({{"gpu", 2}, {"memory", "64Gi"}}));
  EXPECT_FALSE(shown["quota"].contains("cpu"));
  EXPECT_FALSE(shown["quota"].contains("max_parallel_runs"));
  EXPECT_EQ(shown["execution_labels"], json({{"cluster", "eks-prod"}}));
  EXPECT_EQ(ToJson(Created<ProjectStack>({{"stack_id", "stk_1"}}))["quota"], json::object());
}

}  // namespace
}  // namespace rampart
