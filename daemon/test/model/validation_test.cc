#include "model/validation.h"

#include <gtest/gtest.h>

namespace rampart {
namespace {

TEST(Validation, AcceptsDnsLabels) {
  for (const char* name : {"a", "alpha-workspace", "recommendation-engine", "a1", "x-9-y"}) {
    EXPECT_TRUE(ValidateName("name", name).ok()) << name;
  }
  EXPECT_TRUE(ValidateName("name", std::string(63, 'a')).ok());
}

TEST(Validation, RejectsNamesThatAreNotDnsLabels) {
  for (const char* name : {"Alpha", "1abc", "-abc", "abc-", "a_b", "a.b", "a b", "ä"}) {
    Status status = ValidateName("name", name);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(status.field(), "name");
    EXPECT_EQ(status.reason(), "dns_label");
    EXPECT_NE(status.message().find("name: must be a DNS label"), std::string::npos);
  }
  EXPECT_EQ(ValidateName("name", std::string(64, 'a')).reason(), "dns_label");
}

TEST(Validation, EmptyNameIsRequired) {
  Status status = ValidateName("name", "");
  EXPECT_EQ(status.reason(), "required");
  EXPECT_EQ(status.message(), "name: is required");
}

TEST(Validation, LabelKeysNameTheOffendingKey) {
  Status status = ValidateLabels({{"cost_center", "cc-1"}, {"Bad Key", "x"}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.field(), "labels.Bad Key");
  EXPECT_EQ(status.reason(), "label_key");
  EXPECT_TRUE(ValidateLabels({{"cost_center", "cc-1"}, {"app.kubernetes.io", "x"}}).ok());
}

TEST(Validation, LabelValuesAreBounded) {
  Status status = ValidateLabels({{"team", std::string(kMaxLabelValueLength + 1, 'x')}});
  EXPECT_EQ(status.field(), "labels.team");
  EXPECT_EQ(status.reason(), "too_long");
}

TEST(Validation, TooManyLabels) {
  Labels labels;
  for (size_t i = 0; i <= kMaxLabels; ++i) labels["k" + std::to_string(i)] = "v";
  EXPECT_EQ(ValidateLabels(labels).field(), "labels");
}

TEST(Validation, TextRejectsControlCharactersButKeepsNewlines) {
  EXPECT_TRUE(ValidateText("description", "line one\nline two\ttabbed", 100).ok());
  EXPECT_EQ(ValidateText("display_name", "bell\a", 100).field(), "display_name");
}

TEST(Validation, EmailNeedsOneAtAndADomainWithADot) {
  EXPECT_TRUE(ValidateEmail("email", "dana@example.com").ok());
  for (const char* bad : {"dana", "dana@", "@example.com", "dana@example", "a@b@example.com",
                          "dana @example.com", "Dana@example.com", "dana@example."}) {
    Status status = ValidateEmail("email", bad);
    EXPECT_EQ(status.field(), "email") << bad;
    EXPECT_EQ(status.reason(), "email") << bad;
  }
}

}  // namespace
}  // namespace rampart
