#include "service/authenticator.h"

#include <gtest/gtest.h>

#include "support/tenancy_fixture.h"

namespace rampart {
namespace {

class AuthenticatorTest : public testing::TenancyFixture {};

// The fixture's store, counting read transactions.
class CountingStore final : public Store {
 public:
  explicit CountingStore(Store& inner) : inner_(inner) {}
  Status Read(const TransactionFunction& work) override {
    ++reads;
    return inner_.Read(work);
  }
  Status Write(const TransactionFunction& work) override { return inner_.Write(work); }
  uint64_t CommitCount() const override { return inner_.CommitCount(); }
  int reads = 0;

 private:
  Store& inner_;
};

TEST_F(AuthenticatorTest, AKeyIsReadOnceUntilSomethingIsCommitted) {
  CountingStore counting(*store_);
  Authenticator authenticator(counting, clock_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(authenticator.Authenticate("Bearer " + organization_.token).ok());
  }
  // The first use stamps last_used_at, a commit; the second reads the key again, then no more.
  EXPECT_EQ(counting.reads, 2);
  // Any commit may have changed the key: the next request reads it again, once.
  ASSERT_TRUE(counting.Write([](StoreTransaction&) { return Status::Ok(); }).ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(authenticator.Authenticate("Bearer " + organization_.token).ok());
  }
  EXPECT_EQ(counting.reads, 3);
  // A wrong secret is refused even when the key is known.
  std::string wrong = organization_.token;
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  EXPECT_EQ(authenticator.Authenticate("Bearer " + wrong).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, AKeyRevokedAfterUseIsRefusedAtOnce) {
  Authenticator authenticator(*store_, clock_);
  ASSERT_TRUE(authenticator.Authenticate("Bearer " + organization_.token).ok());
  ASSERT_TRUE(store_->Write([&](StoreTransaction& transaction) {
    return transaction.RevokeApiKey(organization_.organization.meta.id, organization_.key_id,
                                    clock_.Now());
  }).ok());
  EXPECT_EQ(authenticator.Authenticate("Bearer " + organization_.token).status().code(),
            StatusCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, BootstrapTokenAuthenticatesAsSystemAdminOfItsOrganization) {
  Authenticator authenticator(*store_, clock_);
  auto context = authenticator.Authenticate("Bearer " + organization_.token);
  ASSERT_TRUE(context.ok()) << context.status().message();
  EXPECT_EQ(context->organization_id, organization_.organization.meta.id);
  EXPECT_EQ(context->key_id, organization_.key_id);
  EXPECT_TRUE(context->system_admin);
}

TEST_F(AuthenticatorTest, SchemeIsCaseInsensitive) {
  Authenticator authenticator(*store_, clock_);
  EXPECT_TRUE(authenticator.Authenticate("bearer " + organization_.token).ok());
  EXPECT_TRUE(authenticator.Authenticate("BEARER " + organization_.token).ok());
}

TEST_F(AuthenticatorTest, SecretIsStoredOnlyAsHash) {
  store_->Read([&](StoreTransaction& t) -> Status {
    auto key = t.GetApiKey(organization_.key_id);
    EXPECT_TRUE(key.ok());
    std::string secret = organization_.token.substr(organization_.token.find('.') + 1);
    EXPECT_EQ(key->secret_hash.find(secret), std::string::npos);
    EXPECT_EQ(key->secret_hash.size(), 64u);
    return Status::Ok();
  });
}

TEST_F(AuthenticatorTest, RejectsMissingMalformedAndWrongTokensAlike) {
  Authenticator authenticator(*store_, clock_);
  std::string wrong_secret = organization_.token;
  wrong_secret.back() = wrong_secret.back() == '0' ? '1' : '0';
  for (const std::string& header :
       {std::string(""), std::string("Basic abc"), std::string("Bearer "),
        std::string("Bearer nonsense"), "Bearer " + wrong_secret,
        std::string("Bearer rmp_key_00000000000000000000.abc"),
        std::string("Bearer rmp_key_") + organization_.key_id.substr(4) + ".x"}) {
    auto context = authenticator.Authenticate(header);
    EXPECT_EQ(context.status().code(), StatusCode::kUnauthenticated) << header;
  }
  // A well-formed token tells nothing about which part was wrong: unknown key, wrong
  // secret and garbage get the very same answer.
  std::string unknown_key = "Bearer rmp_key_00000000000000000000.abc";
  std::string message = authenticator.Authenticate(unknown_key).status().message();
  EXPECT_EQ(authenticator.Authenticate("Bearer " + wrong_secret).status().message(), message);
  EXPECT_EQ(authenticator.Authenticate("Bearer nonsense").status().message(), message);
}

TEST_F(AuthenticatorTest, SecondOrganizationKeyIsNotSystemAdmin) {
  auto globex = tenancy_->CreateOrganization(admin_, {{"name", "globex"}});
  ASSERT_TRUE(globex.ok()) << globex.status().message();
  Authenticator authenticator(*store_, clock_);
  auto context = authenticator.Authenticate("Bearer " + globex->token);
  ASSERT_TRUE(context.ok());
  EXPECT_EQ(context->organization_id, globex->organization.meta.id);
  EXPECT_FALSE(context->system_admin);
}

}  // namespace
}  // namespace rampart
