#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "mlpipe/core/random.h"
#include "mlpipe/table/csv.h"

namespace mlpipe::table {
namespace {

Result<Table> Read(std::string_view text, CsvReadOptions o = {}) {
  return ReadCsvString(text, "data.csv", o);
}

std::string ErrorOf(std::string_view text, CsvReadOptions o = {}) {
  Result<Table> t = Read(text, o);
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.status().message();
}

// Lines counted by hand: the header on 1, a blank line skipped, a quoted
// field spanning two lines, CRLF endings, a BOM.
TEST(CsvReaderTest, RowLinesNameTheLineEachRowStartsOn) {
  auto lines = CsvRowLines(
      "\xEF\xBB\xBF"
      "a,b\r\n1,2\r\n\r\n3,\"x\ny\"\r\n4,5\r\n6,7",
      "t.csv");
  ASSERT_TRUE(lines.ok()) << lines.status().ToString();
  EXPECT_EQ(*lines, (std::vector<size_t>{2, 4, 6, 7}));
  CsvReadOptions no_header;
  no_header.header = false;
  auto plain = CsvRowLines("1;2\n3;4\n", "t.csv", no_header);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, (std::vector<size_t>{1, 2}));
  EXPECT_FALSE(CsvRowLines("a,b\n1,\"open\n", "t.csv").ok());
}

// "1,5" in a ';' file is 1.5; a column with other text, or a ','-delimited
// file, keeps its text; an explicit type or decimal_comma false turn it off.
TEST(CsvReaderTest, DecimalCommasInSemicolonFilesAreNumbers) {
  const char* text = "a;b;c;d\n1,5;x;2;-0,25\n2;y;3,;+7\n;x,1;4;1,0\n";
  Result<Table> t = Read(text);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->column(0).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(0).float64s()[0], 1.5);
  EXPECT_EQ(t->column(0).float64s()[1], 2.0);
  EXPECT_FALSE(t->column(0).IsValid(2));
  EXPECT_NE(t->column(1).type(), DataType::kFloat64);  // x,1 is no number
  EXPECT_NE(t->column(2).type(), DataType::kFloat64);  // "3," has no digit after the comma
  ASSERT_EQ(t->column(3).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(3).float64s()[0], -0.25);
  EXPECT_EQ(t->column(3).float64s()[1], 7.0);
  CsvReadOptions off;
  off.decimal_comma = false;
  Result<Table> kept = ReadCsvString(text, "t.csv", off);
  ASSERT_TRUE(kept.ok());
  EXPECT_NE(kept->column(0).type(), DataType::kFloat64);
  Result<Table> comma = ReadCsvString("a,b\n\"1,5\",2\n\"2,5\",3\n", "t.csv");
  ASSERT_TRUE(comma.ok());
  EXPECT_NE(comma->column(0).type(), DataType::kFloat64);
}

TEST(CsvReaderTest, InfersTypes) {
  Result<Table> t =
      Read("b,i,f,c,s\ntrue,1,1.5,x,p\nFalse,-2,2,x,q\nTRUE,+3,1e3,y,r\nTrue,4,.5,x,s\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(0).type(), DataType::kBool);
  EXPECT_EQ(t->column(1).type(), DataType::kInt64);
  EXPECT_EQ(t->column(1).int64s()[2], 3);
  EXPECT_EQ(t->column(2).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(2).float64s()[3], 0.5);
  EXPECT_EQ(t->column(3).type(), DataType::kCategorical);
  EXPECT_EQ(t->column(3).categories(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(t->column(4).type(), DataType::kString);
}

TEST(CsvReaderTest, BoolMixedWithNumbersIsText) {
  Result<Table> t = Read("a\ntrue\n1\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kString);
}

TEST(CsvReaderTest, IntOverflowBecomesFloat) {
  Result<Table> t = Read("a\n1\n99999999999999999999\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(0).float64s()[1], 1e20);
}

// NaN in any spelling is missing, never a value (pandas reads nan, NaN,
// -nan, -NaN as missing; the other spellings read as NaN floats, which the
// reader makes missing too). inf stays a value.
TEST(CsvReaderTest, NanIsMissingInEverySpelling) {
  Result<Table> t = Read("a,b,c,d\nnan,nan,NAN,x\n2.5,inf,1,NaN\n-NaN,-inf,+nan,y\n4,5,6,z\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  for (int c = 0; c < 3; ++c) ASSERT_EQ(t->column(c).type(), DataType::kFloat64) << c;
  EXPECT_EQ(t->column(0).null_count(), 2u);
  EXPECT_EQ(t->column(0).float64s()[1], 2.5);
  EXPECT_EQ(t->column(1).null_count(), 1u);
  EXPECT_EQ(t->column(1).float64s()[1], INFINITY);
  EXPECT_EQ(t->column(1).float64s()[2], -INFINITY);
  EXPECT_EQ(t->column(2).null_count(), 2u);
  EXPECT_EQ(t->column(3).null_count(), 1u);  // a text column: the token alone
}

TEST(CsvReaderTest, SpacesAroundNumbersAreIgnored) {
  Result<Table> t = Read("a,b\n 1 , x\n2,y \n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kInt64);
  EXPECT_EQ(t->column(1).TextAt(0), " x");
}

TEST(CsvReaderTest, MissingTokensAndQuoting) {
  Result<Table> t = Read("a,b\nNA,\"NA\"\n ? ,\"\"\nnull,x\nN/A,y\n5,\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kInt64);
  EXPECT_EQ(t->column(0).null_count(), 4u);
  const Column& b = t->column(1);
  EXPECT_EQ(b.null_count(), 2u);  // "" quoted and empty
  EXPECT_EQ(b.TextAt(0), "NA");
  EXPECT_FALSE(b.IsValid(1));

  CsvReadOptions o;
  o.missing_tokens = {"-"};
  t = Read("a,b\n-,\n1,x\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t->column(0).IsValid(0));
  EXPECT_TRUE(t->column(1).IsValid(0));  // "" is no longer a missing token
  EXPECT_EQ(t->column(1).TextAt(0), "");
}

TEST(CsvReaderTest, AllMissingColumnIsFloat) {
  Result<Table> t = Read("a,b\n,1\n,2\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(0).null_count(), 2u);
  t = Read("a,b\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 0u);
  EXPECT_EQ(t->num_columns(), 2u);
}

TEST(CsvReaderTest, BomCrlfAndQuotes) {
  Result<Table> t = Read("\xEF\xBB\xBFk,v\r\n1,\"a,b\"\r\n2,\"say \"\"x\"\"\"\r\n3,\"l1\nl2\"\r\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(0).name(), "k");
  EXPECT_EQ(t->num_rows(), 3u);
  EXPECT_EQ(t->column(1).TextAt(0), "a,b");
  EXPECT_EQ(t->column(1).TextAt(1), "say \"x\"");
  EXPECT_EQ(t->column(1).TextAt(2), "l1\nl2");
}

TEST(CsvReaderTest, TrailingDelimiterIsAnEmptyField) {
  Result<Table> t = Read("a,b\n1,\n2,");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 2u);
  EXPECT_EQ(t->column(1).null_count(), 2u);
}

TEST(CsvReaderTest, DetectsAndOverridesDelimiter) {
  for (char d : {',', ';', '\t', '|'}) {
    std::string text = std::string("a") + d + "b" + d + "c\n1" + d + "2" + d + "3\n";
    Result<Table> t = Read(text);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->num_columns(), 3u) << d;
  }
  // Commas in values, semicolons between them.
  Result<Table> t = Read("a;b\n1,5;2,5\n3,5;4,5\n");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_columns(), 2u);
  CsvReadOptions o;
  o.delimiter = ',';
  t = Read("a;b\n1;2\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_columns(), 1u);
  EXPECT_EQ(t->column(0).name(), "a;b");
}

TEST(CsvReaderTest, HeaderNamesAreMadeUnique) {
  Result<Table> t = Read("a,a,,a.1,a\n1,2,3,4,5\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->ColumnNames(), (std::vector<std::string>{"a", "a.1", "Unnamed: 2", "a.1.1", "a.2"}));
  CsvReadOptions o;
  o.header = false;
  t = Read("1,2\n3,4\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ColumnNames(), (std::vector<std::string>{"c0", "c1"}));
  EXPECT_EQ(t->num_rows(), 2u);
}

TEST(CsvReaderTest, ExplicitTypes) {
  CsvReadOptions o;
  o.types = {{"a", DataType::kString}, {"b", DataType::kFloat64}, {"c", DataType::kCategorical}};
  Result<Table> t = Read("a,b,c\n1,2,x\n2,3,y\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kString);
  EXPECT_EQ(t->column(1).type(), DataType::kFloat64);
  EXPECT_EQ(t->column(2).type(), DataType::kCategorical);
}

TEST(CsvReaderTest, MaxCategories) {
  CsvReadOptions o;
  o.max_categories = 2;
  Result<Table> t = Read("a\nx\ny\nz\nx\ny\nz\nx\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kString);
  o.max_categories = 3;
  t = Read("a\nx\ny\nz\nx\ny\nz\nx\n", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->column(0).type(), DataType::kCategorical);
}

TEST(CsvReaderTest, HugeField) {
  std::string big(10 << 20, 'x');
  big[12345] = ',';
  std::string text = "a,b\n1,\"" + big + "\"\n2,y\n";
  CsvReadOptions o;
  o.threads = 4;
  o.chunk_bytes = 1000;
  Result<Table> t = Read(text, o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->num_rows(), 2u);
  EXPECT_EQ(t->column(1).TextAt(0), big);
}

// Errors, with the exact messages of csv.h.

TEST(CsvReaderErrorTest, MissingFile) {
  auto env = core::NewMemEnv();
  Result<Table> t = ReadCsv(env.get(), "data.csv");
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t.status().message(), "data.csv: No such file or directory");
  t = ReadCsv(core::Env::Default(), "/nonexistent/data.csv");
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t.status().message(), "/nonexistent/data.csv: No such file or directory");
}

TEST(CsvReaderErrorTest, EmptyFile) {
  EXPECT_EQ(ErrorOf(""), "data.csv: the file is empty");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF"), "data.csv: the file is empty");
  EXPECT_EQ(ErrorOf("\n\r\n"), "data.csv: the file is empty");
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->WriteFileAtomic("e.csv", "").ok());
  EXPECT_EQ(ReadCsv(env.get(), "e.csv").status().message(), "e.csv: the file is empty");
}

TEST(CsvReaderErrorTest, RaggedRowNamesPhysicalLine) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3\n"), "data.csv:3: expected 2 fields, found 1");
  EXPECT_EQ(ErrorOf("a,b\n1,\"x\ny\"\n\n3,4,5\n"), "data.csv:5: expected 2 fields, found 3");
}

TEST(CsvReaderErrorTest, UnterminatedQuoteNamesOpeningLine) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\"x\n\n4,5\n"),
            "data.csv:3: unterminated quoted field (opened here)");
  EXPECT_EQ(ErrorOf("\"a,b\n1,2\n"), "data.csv:1: unterminated quoted field (opened here)");
}

TEST(CsvReaderErrorTest, ExplicitTypeViolation) {
  CsvReadOptions o;
  o.types = {{"age", DataType::kInt64}};
  EXPECT_EQ(ErrorOf("name,age\nx,1\ny,\"two\nlines\"\nz,abc\n", o),
            "data.csv:3: column 'age': 'two\nlines' is not a valid int64");
  EXPECT_EQ(ErrorOf("name,age\nx,1\n\nz,abc\n", o),
            "data.csv:4: column 'age': 'abc' is not a valid int64");
  EXPECT_EQ(ErrorOf("name,age\nx,1.5\n", o),
            "data.csv:2: column 'age': '1.5' is not a valid int64");
  EXPECT_EQ(ErrorOf("name,age\nx,99999999999999999999\n", o),
            "data.csv:2: column 'age': '99999999999999999999' is not a valid int64");
  o.types = {{"age", DataType::kBool}};
  EXPECT_EQ(ErrorOf("name,age\nx,yes\n", o), "data.csv:2: column 'age': 'yes' is not a valid bool");
  o.types = {{"nope", DataType::kBool}};
  EXPECT_EQ(ErrorOf("name,age\nx,1\n", o),
            "data.csv: explicit type for unknown column 'nope' (columns: name, age)");
}

// A 1 MB field is quoted by its first 80 bytes and its size, not whole.
TEST(CsvReaderErrorTest, HugeOffendingValueIsClipped) {
  CsvReadOptions o;
  o.types = {{"age", DataType::kInt64}};
  std::string big(1 << 20, '7');
  big += "x";
  EXPECT_EQ(ErrorOf("name,age\nx," + big + "\n", o),
            "data.csv:2: column 'age': '" + std::string(80, '7') +
                "\xE2\x80\xA6 (1048577 bytes)' is not a valid int64");
}

// A column name longer than kMaxColumnNameBytes is refused, naming the
// column by its 1-based position; one of exactly the limit is read.
TEST(CsvReaderErrorTest, OverlongColumnNameIsRefused) {
  std::string name(kMaxColumnNameBytes + 1, 'n');
  std::string error = ErrorOf("a," + name + "\n1,2\n");
  EXPECT_EQ(error.rfind("data.csv: column 2's name is 4097 bytes long; names are limited to "
                        "4096 bytes",
                        0),
            0u)
      << error;
  EXPECT_LT(error.size(), 200u);
  Result<Table> t = Read("a," + std::string(kMaxColumnNameBytes, 'n') + "\n1,2\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->column(1).name().size(), kMaxColumnNameBytes);
}

// 20,000 copies of one name: renamed a, a.1, ..., a.19999 (as pandas does),
// in linear time (quadratic took over a minute; bounded by the test timeout).
TEST(CsvReaderTest, ManyDuplicateNamesAreRenamedInLinearTime) {
  const size_t n = 20000;
  std::string header, row;
  for (size_t i = 0; i < n; ++i) {
    header += i ? ",a" : "a";
    row += i ? ",1" : "1";
  }
  Result<Table> t = Read(header + "\n" + row + "\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->num_columns(), n);
  EXPECT_EQ(t->column(0).name(), "a");
  EXPECT_EQ(t->column(1).name(), "a.1");
  EXPECT_EQ(t->column(n - 1).name(), "a.19999");
}

TEST(CsvReaderErrorTest, InvalidUtf8) {
  EXPECT_EQ(ErrorOf("a\nok\n\xC3\x28\n"), "data.csv: invalid UTF-8 at byte offset 5 (line 3)");
  EXPECT_EQ(ErrorOf("a\xFF\n1\n"), "data.csv: invalid UTF-8 at byte offset 1 (line 1)");
  // Overlong encoding and a surrogate.
  EXPECT_EQ(ErrorOf("a\n\xC0\xAF\n"), "data.csv: invalid UTF-8 at byte offset 2 (line 2)");
  EXPECT_EQ(ErrorOf("a\n\xED\xA0\x80\n"), "data.csv: invalid UTF-8 at byte offset 2 (line 2)");
  EXPECT_TRUE(Read("a\nh\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\n").ok());
}

// A random CSV exercising quotes, embedded newlines, CRLF, blank lines,
// missing values and mixed types.
std::string RandomCsv(core::Rng& rng, size_t rows, bool stray_quotes) {
  static const char* kTexts[] = {"plain",      "with,comma",     "with \"quote\"",
                                 "two\nlines", "crlf\r\ninside", "",
                                 "NA",         " padded "};
  std::string s = "i,f,t,b\n";
  for (size_t r = 0; r < rows; ++r) {
    s += rng.Below(10) == 0 ? ""
                            : std::to_string(static_cast<int64_t>(rng.Next() >> 20) - (1LL << 42));
    s += ",";
    s += rng.Below(10) == 0 ? "NA" : std::to_string(rng.Normal());
    s += ",";
    std::string t = kTexts[rng.Below(8)];
    bool quote = t.find_first_of(",\"\r\n") != std::string::npos || rng.Below(2) == 0;
    if (quote) {
      std::string q = "\"";
      for (char c : t) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      t = q + "\"";
    }
    if (stray_quotes && rng.Below(20) == 0) t = "ab\"c";
    s += t + ",";
    s += rng.Below(2) ? "true" : "false";
    s += rng.Below(3) == 0 ? "\r\n" : "\n";
    if (rng.Below(50) == 0) s += "\n";
  }
  return s;
}

TEST(CsvReaderTest, ParallelChunksGiveTheSequentialTable) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    core::Rng rng(seed);
    std::string text = RandomCsv(rng, 300, seed % 2 == 0);
    CsvReadOptions seq;
    seq.threads = 1;
    Result<Table> want = Read(text, seq);
    ASSERT_TRUE(want.ok()) << want.status().ToString();
    ASSERT_EQ(want->num_rows(), 300u);
    for (size_t chunk : {1, 7, 64, 1000}) {
      CsvReadOptions par;
      par.threads = 4;
      par.chunk_bytes = chunk;
      Result<Table> got = Read(text, par);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_TRUE(got->Equals(*want)) << "seed " << seed << " chunk " << chunk;
    }
  }
}

// Chunks convert into shared full-length columns, each as its own values
// allow: an int64 chunk of a float64 column, a numeric chunk of a text column
// and an all-missing chunk must still give the sequential table.
TEST(CsvReaderTest, ChunksOfDifferentTypesMakeOneColumn) {
  const std::string text = "f,t,e\n1,7,\n2,8,\n,,\n3,7,\n2.5,x,1\n,7,\n4,x,2\n5,,\n6,8,\n7,x,\n";
  CsvReadOptions seq;
  seq.threads = 1;
  Result<Table> want = Read(text, seq);
  ASSERT_TRUE(want.ok()) << want.status().ToString();
  EXPECT_EQ(want->column(0).type(), DataType::kFloat64);
  EXPECT_EQ(want->column(0).float64s()[3], 3.0);
  EXPECT_EQ(want->column(1).type(), DataType::kCategorical);
  EXPECT_EQ(want->column(1).TextAt(0), "7");
  EXPECT_EQ(want->column(2).type(), DataType::kInt64);
  for (size_t chunk : {1, 5, 12, 30}) {
    CsvReadOptions par;
    par.threads = 3;
    par.chunk_bytes = chunk;
    Result<Table> got = Read(text, par);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_TRUE(got->Equals(*want)) << "chunk " << chunk;
  }
}

TEST(CsvReaderTest, ParallelChunksReportTheFirstError) {
  core::Rng rng(7);
  std::string good = RandomCsv(rng, 200, false);
  std::string ragged = good + "1,2\n" + good.substr(good.find('\n') + 1) + "1\n";
  std::string unterminated = good + good.substr(good.find('\n') + 1) + "1,2,\"x,true\n4,5\n";
  for (const std::string* text : {&ragged, &unterminated}) {
    CsvReadOptions seq;
    seq.threads = 1;
    std::string want = ErrorOf(*text, seq);
    EXPECT_NE(want, "");
    for (size_t chunk : {1, 13, 200}) {
      CsvReadOptions par;
      par.threads = 4;
      par.chunk_bytes = chunk;
      EXPECT_EQ(ErrorOf(*text, par), want) << chunk;
    }
  }
}

TEST(CsvReaderTest, ReadsFromFile) {
  auto env = core::NewMemEnv();
  ASSERT_TRUE(env->WriteFileAtomic("d.csv", "a,b\n1,x\n").ok());
  Result<Table> t = ReadCsv(env.get(), "d.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->num_rows(), 1u);
}

}  // namespace
}  // namespace mlpipe::table

namespace mlpipe::table {
namespace {

// Random bytes from a CSV-hostile alphabet: never a crash, and the parallel
// read agrees with the sequential one (same table or same error).
TEST(CsvReaderTest, RandomInputsAgreeAcrossChunkings) {
  const char kAlphabet[] = {',', ',', '"', '\n', '\r', 'a', '1', ' ', ';', '\xC3', '\xA9', '.'};
  core::Rng rng(11);
  for (int iter = 0; iter < 2000; ++iter) {
    std::string text(rng.Below(120), ' ');
    for (char& c : text) c = kAlphabet[rng.Below(sizeof kAlphabet)];
    CsvReadOptions seq;
    seq.threads = 1;
    Result<Table> want = ReadCsvString(text, "r.csv", seq);
    CsvReadOptions par;
    par.threads = 3;
    par.chunk_bytes = 1 + rng.Below(16);
    Result<Table> got = ReadCsvString(text, "r.csv", par);
    ASSERT_EQ(got.ok(), want.ok()) << iter;
    if (want.ok()) {
      EXPECT_TRUE(got->Equals(*want)) << iter;
    } else {
      EXPECT_EQ(got.status().message(), want.status().message()) << iter;
    }
  }
}

}  // namespace
}  // namespace mlpipe::table
