// PII handling: keyed pseudonyms against Python's hmac, bands, prefixes,
// drop, detection.
#include "mlpipe/governance/pii.h"

#include <gtest/gtest.h>

#include "json_fixture.h"
#include "test_data.h"

namespace mlpipe::governance {
namespace {

using table::Column;
using testing::CreditGWithSex;
using testing::Reference;

PiiRule Rule(std::string column, PiiHandling handling = PiiHandling::kDrop) {
  PiiRule r;
  r.column = std::move(column);
  r.handling = handling;
  return r;
}

TEST(PiiTest, PseudonymMatchesPythonHmac) {
  const core::Json& ref = Reference()["pii"];
  const std::string key = ref["key"].get<std::string>();
  ASSERT_EQ(ref["pseudonyms"].size(), 8u);
  test_support::ForEachCase(ref, "pseudonyms", 8, [&](const core::Json& p) {
    EXPECT_EQ(Pseudonym(key, p[0].get<std::string>()), p[1].get<std::string>()) << p.dump();
  });
  EXPECT_NE(Pseudonym("other key", "alice@example.com"), Pseudonym(key, "alice@example.com"));
}

TEST(PiiTest, ProtectCreditG) {
  const table::Table t = CreditGWithSex();
  const core::Json& ref = Reference()["pii"];
  const std::string key = ref["key"].get<std::string>();
  std::vector<PiiRule> rules(3);
  rules[0].column = "personal_status";
  rules[0].handling = PiiHandling::kDrop;
  rules[1].column = "credit_amount";
  rules[1].handling = PiiHandling::kPseudonymise;
  rules[2].column = "age";
  rules[2].handling = PiiHandling::kGeneralise;
  rules[2].quantile_bands = 4;
  auto out = ProtectPii(t, rules, key);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->num_rows(), t.num_rows());
  EXPECT_EQ(out->num_columns(), t.num_columns() - 1);
  EXPECT_EQ(out->FindColumn("personal_status"), nullptr);
  // Column order is kept (personal_status sat between credit_amount and age).
  EXPECT_EQ(out->ColumnIndex("credit_amount"), t.ColumnIndex("credit_amount"));
  EXPECT_EQ(out->ColumnIndex("age"), t.ColumnIndex("age") - 1);

  const Column* amount = out->FindColumn("credit_amount");
  ASSERT_NE(amount, nullptr);
  EXPECT_EQ(amount->type(), table::DataType::kString);
  EXPECT_EQ(amount->TextAt(0), "521f236c81ae6f0d");  // Python: hmac of "1169", row 0
  for (size_t i = 0; i < amount->size(); ++i) {
    ASSERT_EQ(amount->TextAt(i), Pseudonym(key, t.FindColumn("credit_amount")->ToStringAt(i)));
  }

  const Column* age = out->FindColumn("age");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->type(), table::DataType::kCategorical);
  EXPECT_EQ(age->categories(),
            (std::vector<std::string>{"(-inf, 27)", "[27, 33)", "[33, 42)", "[42, inf)"}));
  std::vector<int64_t> counts(4, 0);
  for (int32_t c : age->codes()) ++counts[static_cast<size_t>(c)];
  EXPECT_EQ(counts, ref["age_quartile_counts"].get<std::vector<int64_t>>());
  EXPECT_EQ(ref["age_quartile_edges"].get<std::vector<double>>(),
            (std::vector<double>{27, 33, 42}));
}

TEST(PiiTest, GeneraliseWithEdgesPrefixAndRareCategories) {
  table::Table t;
  ASSERT_TRUE(
      t.AddColumn(Column::Float64("age", {19, 20, 29.5, 30, 67, 0}, {1, 1, 1, 1, 1, 0})).ok());
  ASSERT_TRUE(
      t.AddColumn(Column::String("postcode", {"SW1A 1AA", "M1 1AE", "SW3 4XX", "B", "", "EC1A 1BB"},
                                 {1, 1, 1, 1, 0, 1}))
          .ok());
  ASSERT_TRUE(t.AddColumn(Column::CategoricalFromStrings(
                              "city", {"Leeds", "Leeds", "York", "Leeds", "Bath", "Leeds"}))
                  .ok());
  PiiRule age = Rule("age", PiiHandling::kGeneralise);
  age.edges = {20, 30.5};
  PiiRule pc = Rule("postcode", PiiHandling::kGeneralise);
  pc.prefix_length = 2;
  PiiRule city = Rule("city", PiiHandling::kGeneralise);
  city.min_count = 2;
  auto out = ProtectPii(t, {age, pc, city}, "");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const Column& a = out->column(0);
  EXPECT_EQ(a.ToStringAt(0), "(-inf, 20)");
  EXPECT_EQ(a.ToStringAt(1), "[20, 30.5)");
  EXPECT_EQ(a.ToStringAt(2), "[20, 30.5)");
  EXPECT_EQ(a.ToStringAt(3), "[20, 30.5)");
  EXPECT_EQ(a.ToStringAt(4), "[30.5, inf)");
  EXPECT_FALSE(a.IsValid(5));
  const Column& p = out->column(1);
  EXPECT_EQ(p.ToStringAt(0), "SW");
  EXPECT_EQ(p.ToStringAt(1), "M1");
  EXPECT_EQ(p.ToStringAt(3), "B");
  EXPECT_FALSE(p.IsValid(4));
  const Column& c = out->column(2);
  EXPECT_EQ(c.ToStringAt(0), "Leeds");
  EXPECT_EQ(c.ToStringAt(2), "other");
  EXPECT_EQ(c.ToStringAt(4), "other");
}

TEST(PiiTest, PseudonymiseKeepsMissingAndJoins) {
  table::Table t;
  ASSERT_TRUE(
      t.AddColumn(Column::String("email", {"a@x.org", "b@x.org", "a@x.org", ""}, {1, 1, 1, 0}))
          .ok());
  auto out = ProtectPii(t, {Rule("email", PiiHandling::kPseudonymise)}, "k");
  ASSERT_TRUE(out.ok());
  const Column& e = out->column(0);
  EXPECT_EQ(e.TextAt(0), e.TextAt(2));
  EXPECT_NE(e.TextAt(0), e.TextAt(1));
  EXPECT_EQ(e.TextAt(0).size(), 16u);
  EXPECT_FALSE(e.IsValid(3));
}

TEST(PiiTest, Errors) {
  const table::Table t = CreditGWithSex();
  auto no_key = ProtectPii(t, {Rule("age", PiiHandling::kPseudonymise)}, "");
  EXPECT_EQ(no_key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_key.status().message().find("needs a key"), std::string::npos);
  EXPECT_EQ(ProtectPii(t, {Rule("email")}, "k").status().code(), StatusCode::kNotFound);
  auto twice = ProtectPii(t, {Rule("age"), Rule("age")}, "k");
  EXPECT_NE(twice.status().message().find("more than one rule"), std::string::npos);
  PiiRule bad_edges = Rule("age", PiiHandling::kGeneralise);
  bad_edges.edges = {30, 20};
  auto edges = ProtectPii(t, {bad_edges}, "k");
  EXPECT_NE(edges.status().message().find("strictly increasing"), std::string::npos);
  table::Table b;
  ASSERT_TRUE(b.AddColumn(Column::Bool("flag", {1, 0})).ok());
  auto flag = ProtectPii(b, {Rule("flag", PiiHandling::kGeneralise)}, "k");
  EXPECT_NE(flag.status().message().find("cannot generalise a bool column"), std::string::npos);
  EXPECT_EQ(*ParsePiiHandling("pseudonymize"), PiiHandling::kPseudonymise);
  EXPECT_NE(ParsePiiHandling("hash").status().message().find("drop, pseudonymise, generalise"),
            std::string::npos);
}

TEST(PiiTest, DetectCandidates) {
  table::Table t;
  ASSERT_TRUE(t.AddColumn(Column::String("contact", {"ann@example.com", "bo@example.org",
                                                     "cy@mail.example.net"}))
                  .ok());
  ASSERT_TRUE(
      t.AddColumn(Column::String("tel", {"+44 20 7946 0958", "020 7946 0000", "(555) 123-4567"}))
          .ok());
  ASSERT_TRUE(
      t.AddColumn(Column::String("acct", {"GB82 WEST 1234 5698 7654 32", "DE89370400440532013000",
                                          "FR1420041010050500013M02606"}))
          .ok());
  ASSERT_TRUE(t.AddColumn(Column::String("First_Name", {"Ann", "Bo", "Cy"})).ok());
  ASSERT_TRUE(t.AddColumn(Column::String("own_telephone", {"yes", "none", "yes"})).ok());
  ASSERT_TRUE(t.AddColumn(Column::Float64("amount", {1, 2, 3})).ok());
  const auto found = DetectPiiCandidates(t);
  ASSERT_EQ(found.size(), 4u);
  EXPECT_EQ(found[0].column, "contact");
  EXPECT_EQ(found[0].kind, "email");
  EXPECT_EQ(found[0].reason, "100% of 3 sampled values look like e-mail addresses");
  EXPECT_EQ(found[1].column, "tel");
  EXPECT_EQ(found[1].kind, "phone");
  EXPECT_EQ(found[2].column, "acct");
  EXPECT_EQ(found[2].kind, "iban");
  EXPECT_EQ(found[3].column, "First_Name");
  EXPECT_EQ(found[3].kind, "name");
  EXPECT_EQ(found[3].reason, "column name 'First_Name'");

  // credit-g holds no PII.
  EXPECT_TRUE(DetectPiiCandidates(CreditGWithSex()).empty());
}

}  // namespace
}  // namespace mlpipe::governance
