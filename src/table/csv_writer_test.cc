#include <cmath>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::table {
namespace {

// A random table of every type; text values include delimiters, quotes, line
// breaks, padding and missing tokens (but no empty string, see csv.h).
Table RandomTable(core::Rng& rng, size_t rows) {
  static const char* kTexts[] = {"a",  "b,c", "say \"hi\"", "l1\nl2", "cr\r", " pad", "pad ",
                                 "NA", "?",   "null",       "N/A",    "1.5",  "true", "\t"};
  auto valid = [&] {
    std::vector<uint8_t> v(rows);
    for (auto& x : v) x = rng.Below(8) != 0;
    return v;
  };
  std::vector<uint8_t> bools(rows);
  std::vector<int64_t> ints(rows);
  std::vector<double> doubles(rows);
  std::vector<std::string> texts(rows), cats(rows);
  const double specials[] = {0.0,
                             -0.0,
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::max(),
                             std::numeric_limits<double>::denorm_min(),
                             0.1,
                             1e22,
                             1e23};
  for (size_t r = 0; r < rows; ++r) {
    bools[r] = rng.Below(2);
    ints[r] = static_cast<int64_t>(rng.Next());
    uint64_t bits = rng.Next();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    doubles[r] = rng.Below(4) == 0 ? specials[rng.Below(10)] : (rng.Below(2) ? d : rng.Normal());
    texts[r] = kTexts[rng.Below(14)];
    if (rng.Below(3) == 0) texts[r] += std::to_string(rng.Below(1000));
    cats[r] = kTexts[rng.Below(5)];
  }
  Table t;
  EXPECT_TRUE(t.AddColumn(Column::Bool("b", bools, valid())).ok());
  EXPECT_TRUE(t.AddColumn(Column::Int64("i", ints, valid())).ok());
  // A NaN is written as nan, which reads back as missing: the table holds
  // NaN only as missing values.
  std::vector<uint8_t> float_valid = valid();
  for (size_t r = 0; r < rows; ++r) float_valid[r] &= !std::isnan(doubles[r]);
  EXPECT_TRUE(t.AddColumn(Column::Float64("f,\"x\"", doubles, float_valid)).ok());
  EXPECT_TRUE(t.AddColumn(Column::String("s", texts, valid())).ok());
  EXPECT_TRUE(t.AddColumn(Column::CategoricalFromStrings(" c ", cats, valid())).ok());
  return t;
}

CsvReadOptions TypesOf(const Table& t) {
  CsvReadOptions o;
  for (const auto& c : t.columns()) o.types[c.name()] = c.type();
  return o;
}

TEST(CsvWriterTest, RoundTripsRandomTables) {
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    core::Rng rng(seed);
    Table t = RandomTable(rng, 1 + rng.Below(200));
    for (char delim : {',', ';', '\t', '|'}) {
      CsvWriteOptions w;
      w.delimiter = delim;
      std::string text = WriteCsvString(t, w);
      CsvReadOptions o = TypesOf(t);
      o.delimiter = delim;
      o.threads = seed % 2 ? 1 : 4;
      o.chunk_bytes = seed % 2 ? 0 : 50;
      Result<Table> back = ReadCsvString(text, "w.csv", o);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_TRUE(back->Equals(t)) << "seed " << seed << " delimiter " << delim << "\n" << text;
    }
  }
}

TEST(CsvWriterTest, FormatsValues) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Float64("x", {0.1, 1e100, 2.0, 0.0}, {1, 1, 1, 0})).ok());
  ASSERT_TRUE(t.AddColumn(Column::String("s", {"a,b", "NA", " x", ""}, {1, 1, 1, 1})).ok());
  EXPECT_EQ(WriteCsvString(t), "x,s\n0.1,\"a,b\"\n1e+100,\"NA\"\n2,\" x\"\n,\"\"\n");
  CsvWriteOptions w;
  w.missing = "NA";
  EXPECT_EQ(WriteCsvString(t, w), "x,s\n0.1,\"a,b\"\n1e+100,\"NA\"\n2,\" x\"\nNA,\"\"\n");
}

TEST(CsvWriterTest, SingleColumnMissingIsNotABlankLine) {
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Int64("a", {1, 0, 3}, {1, 0, 1})).ok());
  std::string text = WriteCsvString(t);
  EXPECT_EQ(text, "a\n1\n\"\"\n3\n");
  Result<Table> back = ReadCsvString(text, "w.csv", TypesOf(t));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->Equals(t));
}

TEST(CsvWriterTest, WritesAtomicallyThroughEnv) {
  auto env = core::NewMemEnv();
  Table t;
  ASSERT_TRUE(t.AddColumn(Column::Int64("a", {1, 2})).ok());
  ASSERT_TRUE(WriteCsv(env.get(), t, "out.csv").ok());
  Result<Table> back = ReadCsv(env.get(), "out.csv");
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->Equals(t));
  env->SetWritesFail(true);
  EXPECT_FALSE(WriteCsv(env.get(), t, "out2.csv").ok());
}

}  // namespace
}  // namespace mlpipe::table
