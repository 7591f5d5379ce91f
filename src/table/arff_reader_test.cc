#include "mlpipe/table/arff.h"

#include <gtest/gtest.h>

#include "mlpipe/table/csv.h"
#include "mlpipe/table/read.h"

namespace mlpipe::table {
namespace {

const std::string kData = std::string(MLPIPE_SOURCE_DIR) + "/";

TEST(ArffReaderTest, MatchesTheIrisCsvRows) {
  Result<Table> arff = ReadArff(core::Env::Default(), kData + "src/table/testdata/iris_head.arff");
  ASSERT_TRUE(arff.ok()) << arff.status().ToString();
  Result<Table> csv = ReadCsv(core::Env::Default(), kData + "examples/data/iris.csv");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  Table want = csv->Take({0, 1, 50, 51, 100, 101});
  EXPECT_TRUE(arff->Equals(want));
  const Column& cls = arff->column(4);
  EXPECT_EQ(cls.type(), DataType::kCategorical);
  EXPECT_EQ(cls.categories(),
            (std::vector<std::string>{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}));
  // ReadTableFile picks the ARFF reader by extension.
  Result<Table> any =
      ReadTableFile(core::Env::Default(), kData + "src/table/testdata/iris_head.arff");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(any->Equals(*arff));
}

TEST(ArffReaderTest, TypesMissingAndQuotes) {
  Result<Table> t = ReadArffString(
      "% header\n@relation r\n@attribute n integer\n@attribute x real\n"
      "@attribute s string\n@attribute \"c d\" {lo, 'mid x', hi}\n@attribute when date "
      "\"yyyy-MM-dd\"\n@data\n1,?,'it\\'s',hi,2020-01-01\n?,2.5,'?',?,?\n",
      "t.arff");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->ColumnNames(), (std::vector<std::string>{"n", "x", "s", "c d", "when"}));
  EXPECT_EQ(t->column(0).type(), DataType::kInt64);
  EXPECT_EQ(t->column(1).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(2).type(), DataType::kString);
  EXPECT_EQ(t->column(3).type(), DataType::kCategorical);
  EXPECT_EQ(t->column(4).type(), DataType::kString);
  EXPECT_EQ(t->column(3).categories(), (std::vector<std::string>{"lo", "mid x", "hi"}));
  EXPECT_EQ(t->column(2).TextAt(0), "it's");
  EXPECT_EQ(t->column(2).TextAt(1), "?");  // quoted: a value
  EXPECT_FALSE(t->column(0).IsValid(1));
  EXPECT_FALSE(t->column(3).IsValid(1));
}

std::string ErrorOf(std::string_view text) {
  Result<Table> t = ReadArffString(text, "t.arff");
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.status().message();
}

TEST(ArffReaderTest, Errors) {
  EXPECT_EQ(ErrorOf(""), "t.arff: the file is empty");
  EXPECT_EQ(ErrorOf("@relation r\n@attribute a foo\n@data\n"),
            "t.arff:2: unknown attribute type 'foo' (valid: numeric, real, integer, string, date, "
            "{...})");
  EXPECT_EQ(ErrorOf("@relation r\n@attribute a real\n@attribute b real\n@data\n1,2\n3\n"),
            "t.arff:6: expected 2 values, found 1");
  EXPECT_EQ(ErrorOf("@attribute c {x,y}\n@data\nx\nz\n"),
            "t.arff:4: column 'c': 'z' is not one of the declared values");
  EXPECT_EQ(ErrorOf("@attribute n real\n@data\n1\nabc\n"),
            "t.arff:4: column 'n': 'abc' is not a valid float64");
  EXPECT_EQ(ErrorOf("@attribute n integer\n@data\n1.5\n"),
            "t.arff:3: column 'n': '1.5' is not a valid int64");
  EXPECT_EQ(ErrorOf("@attribute n real\n@data\n{0 1}\n"),
            "t.arff:3: sparse ARFF rows are not supported");
  EXPECT_EQ(ErrorOf("@attribute s string\n@data\n'abc\n"), "t.arff:3: unterminated quoted value");
  EXPECT_EQ(ErrorOf("@attribute n real\n"), "t.arff: no @data section");
  EXPECT_EQ(ErrorOf("@attribute n real\n@attribute n real\n@data\n"),
            "t.arff:2: attribute 'n' declared twice");
  EXPECT_EQ(ErrorOf("hello\n"), "t.arff:1: expected @relation, @attribute or @data");
  EXPECT_EQ(ErrorOf("@attribute s string\n@data\n\xFF\n"),
            "t.arff: invalid UTF-8 at byte offset 26 (line 3)");
}

}  // namespace
}  // namespace mlpipe::table
