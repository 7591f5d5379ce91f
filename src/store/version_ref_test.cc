// Unit tests of ParseVersionRef: the accepted forms and the error for each
// kind of malformed reference (with the column it names).
#include <gtest/gtest.h>

#include <string>

#include "mlpipe/store/metadata_store.h"

namespace mlpipe::store {
namespace {

TEST(VersionRefTest, NameAlone) {
  auto r = ParseVersionRef("credit", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "credit");
  EXPECT_FALSE(r->version.has_value());
  EXPECT_EQ(r->alias, "");
}

TEST(VersionRefTest, NameCharacters) {
  for (const char* text : {"credit-risk", "credit_risk.v2", "7days", "A", "a.b-c_d9"}) {
    auto r = ParseVersionRef(text, true);
    ASSERT_TRUE(r.ok()) << text << ": " << r.status().ToString();
    EXPECT_EQ(r->name, text);
  }
}

TEST(VersionRefTest, NumberedVersion) {
  auto r = ParseVersionRef("credit-risk@12", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "credit-risk");
  ASSERT_TRUE(r->version.has_value());
  EXPECT_EQ(*r->version, 12);
  EXPECT_EQ(r->alias, "");
}

TEST(VersionRefTest, Latest) {
  for (bool allow_alias : {false, true}) {
    auto r = ParseVersionRef("credit@latest", allow_alias);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->name, "credit");
    EXPECT_FALSE(r->version.has_value());
    EXPECT_EQ(r->alias, "");
  }
}

TEST(VersionRefTest, AliasWhenAllowed) {
  auto r = ParseVersionRef("credit-risk@champion_2-b", true);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "credit-risk");
  EXPECT_FALSE(r->version.has_value());
  EXPECT_EQ(r->alias, "champion_2-b");
}

TEST(VersionRefTest, AliasRefusedWhenNotAllowed) {
  auto r = ParseVersionRef("credit@champion", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("'credit@champion'"), std::string::npos);
  EXPECT_NE(r.status().message().find("aliases are not allowed"), std::string::npos);
  EXPECT_NE(r.status().message().find("column 8"), std::string::npos);
}

struct BadCase {
  const char* text;
  bool allow_alias;
  const char* expect_in_message;
};

TEST(VersionRefTest, MalformedReferences) {
  const BadCase cases[] = {
      {"", true, "bad reference '': expected a name"},
      {"credit@@2", true,
       "bad reference 'credit@@2': expected a version number or alias after '@' at column 8"},
      {"credit@@2", false, "expected a version number after '@' at column 8"},
      {"credit@", true,
       "bad reference 'credit@': expected a version number or alias after '@' "
       "at column 8"},
      {"@2", true, "bad reference '@2': expected a name before '@' at column 1"},
      {"credit@0", false, "bad reference 'credit@0': versions are numbered from 1 at column 8"},
      {"credit@-1", true, "bad reference 'credit@-1': expected a version number or alias"},
      {"credit@2x", false, "unexpected character 'x' in version number at column 9"},
      {"credit@2x", true, "unexpected character 'x' in version number at column 9"},
      {"cre dit", true, "unexpected character ' ' in name at column 4"},
      {"-credit", true, "a name must start with a letter or digit, found '-' at column 1"},
      {".credit@1", true, "a name must start with a letter or digit"},
      {"credit@champ!on", true, "unexpected character '!' in alias at column 13"},
      {"credit@1@2", true, "unexpected character '@' in version number at column 9"},
      {"credit@99999999999999999999", false, "version number is too large"},
      {"credit@_x", true, "expected a version number or alias after '@' at column 8"},
  };
  for (const BadCase& c : cases) {
    auto r = ParseVersionRef(c.text, c.allow_alias);
    ASSERT_FALSE(r.ok()) << "accepted '" << c.text << "'";
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(r.status().message().find(c.expect_in_message), std::string::npos)
        << "'" << c.text << "' gave: " << r.status().message();
  }
}

TEST(VersionRefTest, LargestVersionAccepted) {
  auto r = ParseVersionRef("credit@9223372036854775799", false);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r->version, 9223372036854775799LL);
}

}  // namespace
}  // namespace mlpipe::store
