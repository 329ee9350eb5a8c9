#include "authz/text_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rampart::authz {
namespace {

TEST(TextTableTest, InternGivesOneDenseIdPerTextAndFindsItAgain) {
  TextTable texts;
  EXPECT_EQ(texts.Intern(""), 0u);
  uint32_t alpha = texts.Intern("alpha");
  uint32_t beta = texts.Intern("beta");
  EXPECT_EQ(alpha, 1u);
  EXPECT_EQ(beta, 2u);
  EXPECT_EQ(texts.Intern("alpha"), alpha);
  EXPECT_EQ(texts.Find("beta"), beta);
  EXPECT_EQ(texts.Find("gamma"), 0u);
  EXPECT_EQ(texts.Find(""), 0u);
  EXPECT_EQ(texts.Text(alpha), "alpha");
  EXPECT_EQ(texts.size(), 3u);
}

TEST(TextTableTest, ViewsStayValidAsTheTableGrowsAcrossChunksAndLongTexts) {
  TextTable texts;
  std::string_view first = texts.Text(texts.Intern("ra_00000000000000000000"));
  std::vector<std::string> added;
  for (int i = 0; i < 200000; ++i) {
    std::string tail = i % 1000 == 0 ? std::string(40000, 'x') : "";  // a text of its own
    added.push_back("ra_" + std::to_string(i * 7919) + tail);
    texts.Intern(added.back());
  }
  EXPECT_EQ(first, "ra_00000000000000000000");
  for (size_t i = 0; i < added.size(); i += 997) {
    uint32_t id = texts.Find(added[i]);
    ASSERT_NE(id, 0u) << added[i].substr(0, 40);
    EXPECT_EQ(texts.Text(id), added[i]);
  }
  EXPECT_EQ(texts.Find("ra_" + std::to_string(3 * 7919) + "y"), 0u);
}

TEST(TextTableTest, LookupFindsOnlyTheIdsInsertedIntoIt) {
  TextTable texts;
  uint32_t user = texts.Intern("usr_1");
  uint32_t assignment = texts.Intern("ra_1");
  TextLookup subjects;
  subjects.Insert(user, texts);
  subjects.Insert(user, texts);  // twice is once
  EXPECT_EQ(subjects.size(), 1u);
  EXPECT_EQ(subjects.Find("usr_1"), user);
  EXPECT_EQ(subjects.Find("ra_1"), TextLookup::kMissing);
  EXPECT_EQ(texts.Find("ra_1"), assignment);
  for (int i = 0; i < 1000; ++i) subjects.Insert(texts.Intern("team_" + std::to_string(i)), texts);
  EXPECT_EQ(subjects.size(), 1001u);
  EXPECT_EQ(subjects.Find("team_999"), texts.Find("team_999"));
  EXPECT_EQ(subjects.Find("usr_1"), user);
}

}  // namespace
}  // namespace rampart::authz
