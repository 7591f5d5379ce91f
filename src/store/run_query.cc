// The run query compiler: a tokenizer and a recursive-descent parser that
// emit SQL with `?` placeholders as they go (the SQL follows the text left to
// right, so parameters are appended in placeholder order). User text never
// enters the SQL itself; only fixed fragments and `?` do.
#include "run_query.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <utility>

#include "mlpipe/core/time.h"

namespace mlpipe::store {
namespace {

// The deepest nesting of 'not' and parentheses, and the most conditions,
// accepted: within SQLite's parser stack and its expression depth of 1000
// (a chain of N conditions joined by OR is an expression N deep).
constexpr size_t kMaxQueryDepth = 32;
constexpr size_t kMaxConditions = 500;

// ---- tokens -------------------------------------------------------------------

enum class Tok { kWord, kQuotedName, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;   // word, unquoted name or string, number text, operator
  size_t column = 0;  // 1-based
};

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd:
      return "end of query";
    case Tok::kString: {
      std::string s = "string '";
      return s.append(t.text).append("'");
    }
    case Tok::kQuotedName: {
      std::string s = "quoted name \"";
      return s.append(t.text).append("\"");
    }
    default: {
      std::string s = "'";
      return s.append(t.text).append("'");
    }
  }
}

// Splits the text into tokens; errors name the column and use `context`
// ("query" or "order-by: ...") as the message prefix.
class Lexer {
 public:
  explicit Lexer(std::string_view text) : s_(text) {}

  Result<std::vector<Token>> Run(const std::string& context) {
    std::vector<Token> out;
    while (true) {
      while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
      Token t;
      t.column = i_ + 1;
      if (i_ >= s_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      char c = s_[i_];
      if (IsWordStart(c)) {
        size_t b = i_;
        while (i_ < s_.size() && IsWordChar(s_[i_])) ++i_;
        t.kind = Tok::kWord;
        t.text = std::string(s_.substr(b, i_ - b));
      } else if (c == '\'' || c == '"' || c == '`') {
        t.kind = c == '\'' ? Tok::kString : Tok::kQuotedName;
        ++i_;
        bool closed = false;
        while (i_ < s_.size()) {
          if (s_[i_] == c) {
            if (i_ + 1 < s_.size() && s_[i_ + 1] == c) {  // doubled quote: one quote
              t.text += c;
              i_ += 2;
              continue;
            }
            ++i_;
            closed = true;
            break;
          }
          t.text += s_[i_++];
        }
        if (!closed) {
          std::string msg = "unterminated ";
          msg.append(c == '\'' ? "string" : "quoted name").append(" (missing closing ");
          msg.append(1, c).append(")");
          return Error(context, t.column, msg);
        }
      } else if (IsDigit(c) || c == '.' ||
                 ((c == '-' || c == '+') && i_ + 1 < s_.size() &&
                  (IsDigit(s_[i_ + 1]) || s_[i_ + 1] == '.'))) {
        MLPIPE_RETURN_IF_ERROR(ScanNumber(context, &t));
      } else if (c == '(' || c == ')' || c == ',') {
        t.kind = c == '(' ? Tok::kLParen : c == ')' ? Tok::kRParen : Tok::kComma;
        t.text = std::string(1, c);
        ++i_;
      } else if (c == '=' || c == '<' || c == '>' || c == '!') {
        t.kind = Tok::kOp;
        std::string_view two = s_.substr(i_, 2);
        if (two == "<=" || two == ">=" || two == "!=" || two == "<>" || two == "==") {
          t.text = std::string(two);
          i_ += 2;
        } else if (c == '!') {
          return Error(context, t.column, "unexpected '!' (did you mean '!='?)");
        } else {
          t.text = std::string(1, c);
          ++i_;
        }
        if (t.text == "==") t.text = "=";
      } else {
        std::string msg = "unexpected character '";
        msg.append(1, c).append("'");
        return Error(context, t.column, msg);
      }
      out.push_back(std::move(t));
    }
  }

  static Status Error(const std::string& context, size_t column, const std::string& msg) {
    std::string full = context;
    full.append(": column ").append(std::to_string(column)).append(": ").append(msg);
    return InvalidArgumentError(std::move(full));
  }

 private:
  Status ScanNumber(const std::string& context, Token* t) {
    size_t b = i_;
    if (s_[i_] == '-' || s_[i_] == '+') ++i_;
    size_t digits = 0;
    while (i_ < s_.size() && IsDigit(s_[i_])) ++i_, ++digits;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      while (i_ < s_.size() && IsDigit(s_[i_])) ++i_, ++digits;
    }
    if (digits > 0 && i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      size_t e = i_ + 1;
      if (e < s_.size() && (s_[e] == '-' || s_[e] == '+')) ++e;
      if (e < s_.size() && IsDigit(s_[e])) {
        i_ = e;
        while (i_ < s_.size() && IsDigit(s_[i_])) ++i_;
      }
    }
    while (i_ < s_.size() && IsWordChar(s_[i_])) ++i_;  // swallow junk like 12abc
    t->kind = Tok::kNumber;
    t->text = std::string(s_.substr(b, i_ - b));
    char* end = nullptr;
    double v = std::strtod(t->text.c_str(), &end);
    if (digits == 0 || end != t->text.c_str() + t->text.size()) {
      return Error(context, t->column, "malformed number '" + t->text + "'");
    }
    if (std::isinf(v)) {
      return Error(context, t->column,
                   "number " + t->text + " is out of range (beyond a double, about 1.8e308)");
    }
    return Status::OK();
  }

  std::string_view s_;
  size_t i_ = 0;
};

// ---- operands -----------------------------------------------------------------

enum class Kind { kMetric, kParam, kTag, kAttribute };
enum class AttrType { kText, kStatus, kTime, kInt };

struct Attribute {
  const char* name;
  const char* column;
  AttrType type;
};

constexpr Attribute kAttributes[] = {
    {"run_id", "r.run_id", AttrType::kText},
    {"experiment", "e.name", AttrType::kText},
    {"name", "r.name", AttrType::kText},
    {"status", "r.status", AttrType::kStatus},
    {"start_time", "r.start_us", AttrType::kTime},
    {"end_time", "r.end_us", AttrType::kTime},
    {"user", "r.user_name", AttrType::kText},
    {"host", "r.host", AttrType::kText},
    {"git_commit", "r.git_commit", AttrType::kText},
    {"seed", "r.seed", AttrType::kInt},
};

constexpr const char* kStatuses[] = {"RUNNING", "FINISHED", "FAILED", "KILLED"};

std::string AttributeList() {
  std::string out;
  for (const Attribute& a : kAttributes) {
    if (!out.empty()) out += ", ";
    out += a.name;
  }
  return out;
}

struct Operand {
  Kind kind = Kind::kAttribute;
  std::string key;                  // metric/param/tag key
  const Attribute* attr = nullptr;  // for kAttribute
  std::string display;              // as written, for messages
  size_t column = 0;
};

const char* KindNoun(Kind k) {
  switch (k) {
    case Kind::kMetric:
      return "metric";
    case Kind::kParam:
      return "param";
    case Kind::kTag:
      return "tag";
    case Kind::kAttribute:
      return "attribute";
  }
  return "";
}

// ---- literals -----------------------------------------------------------------

struct Literal {
  bool is_number = false;
  double number = 0;
  std::string text;  // the string, or the number as written
  size_t column = 0;
};

// ---- LIKE patterns ------------------------------------------------------------

// A LIKE pattern (with backslash escapes, as PostgreSQL's default) as the
// equivalent case-sensitive SQLite GLOB pattern.
std::string LikeToGlob(std::string_view like) {
  std::string out;
  for (size_t i = 0; i < like.size(); ++i) {
    char c = like[i];
    if (c == '\\' && i + 1 < like.size()) {
      c = like[++i];
      if (c == '*' || c == '?' || c == '[') {
        out.append("[").append(1, c).append("]");
      } else {
        out += c;
      }
    } else if (c == '%') {
      out += '*';
    } else if (c == '_') {
      out += '?';
    } else if (c == '*' || c == '?' || c == '[') {
      out.append("[").append(1, c).append("]");
    } else {
      out += c;
    }
  }
  return out;
}

// ---- the parser ---------------------------------------------------------------

class Parser {
 public:
  Parser(std::vector<Token> tokens, SqlDialect dialect, std::string context)
      : t_(std::move(tokens)), dialect_(dialect), context_(std::move(context)) {}

  // filter := expr <end>
  Result<std::string> Filter(std::vector<SqlValue>* params) {
    params_ = params;
    if (Peek().kind == Tok::kEnd) return std::string("1=1");
    MLPIPE_ASSIGN_OR_RETURN(std::string sql, Or());
    if (Peek().kind != Tok::kEnd) {
      return Err(Peek(), "unexpected " + Describe(Peek()) +
                             " after a complete condition (expected 'and', 'or' or the end)");
    }
    std::string out = "(";
    return out.append(sql).append(")");
  }

  // One order-by entry: operand ['asc'|'desc'] (',' operand ['asc'|'desc'])*
  Status OrderBy(CompiledRunQuery* q, int* join_counter) {
    while (true) {
      MLPIPE_ASSIGN_OR_RETURN(Operand op, ParseOperand());
      bool desc = false;
      if (IsKeyword(Peek(), "asc") || IsKeyword(Peek(), "desc")) {
        desc = IsKeyword(Next(), "desc");
      }
      const char* dir = desc ? " DESC" : " ASC";
      std::string expr;
      if (op.kind == Kind::kAttribute) {
        expr = TextCollate(op.attr->column, op.attr->type);
      } else {
        std::string alias = "o" + std::to_string((*join_counter)++);
        const char* table = op.kind == Kind::kMetric  ? "latest_metrics"
                            : op.kind == Kind::kParam ? "params"
                                                      : "tags";
        q->joins.append(" LEFT JOIN ")
            .append(table)
            .append(" ")
            .append(alias)
            .append(" ON ")
            .append(alias)
            .append(".run_id = r.run_id AND ")
            .append(alias)
            .append(".key = ?");
        q->join_params.emplace_back(op.key);
        // Runs without the key sort last whichever the direction.
        std::string value = alias + ".value";
        q->order_by.append("(").append(value).append(" IS NULL), ");
        expr = op.kind == Kind::kMetric ? value : TextCollate(value, AttrType::kText);
      }
      q->order_by.append(expr).append(dir).append(", ");
      if (Peek().kind == Tok::kComma) {
        Next();
        continue;
      }
      if (Peek().kind != Tok::kEnd) {
        return Err(Peek(),
                   "expected ASC, DESC or ',' after " + op.display + ", found " + Describe(Peek()));
      }
      return Status::OK();
    }
  }

 private:
  const Token& Peek() const { return t_[pos_]; }
  const Token& Next() {
    const Token& t = t_[pos_];
    if (t.kind != Tok::kEnd) ++pos_;
    return t;
  }
  static bool IsKeyword(const Token& t, std::string_view kw) {
    return t.kind == Tok::kWord && Lower(t.text) == kw;
  }
  Status Err(size_t column, const std::string& msg) const {
    return Lexer::Error(context_, column, msg);
  }
  Status Err(const Token& t, const std::string& msg) const { return Err(t.column, msg); }

  std::string TextCollate(const std::string& column, AttrType type) const {
    // PostgreSQL sorts text by the database's locale; "C" makes both
    // backends order by code point.
    if (dialect_ == SqlDialect::kPostgres && type != AttrType::kTime && type != AttrType::kInt) {
      return column + " COLLATE \"C\"";
    }
    return column;
  }

  // or := and ('or' and)*
  Result<std::string> Or() {
    MLPIPE_ASSIGN_OR_RETURN(std::string sql, And());
    while (IsKeyword(Peek(), "or")) {
      Next();
      MLPIPE_ASSIGN_OR_RETURN(std::string rhs, And());
      sql.append(" OR ").append(rhs);
    }
    return sql;
  }

  // and := unary ('and' unary)*
  Result<std::string> And() {
    MLPIPE_ASSIGN_OR_RETURN(std::string sql, Unary());
    while (IsKeyword(Peek(), "and")) {
      Next();
      MLPIPE_ASSIGN_OR_RETURN(std::string rhs, Unary());
      sql.append(" AND ").append(rhs);
    }
    return sql;
  }

  // unary := 'not' unary | '(' expr ')' | compare
  Result<std::string> Unary() {
    if (IsKeyword(Peek(), "not") || Peek().kind == Tok::kLParen) {
      // Each level recurses; a limit keeps a hostile query from overflowing
      // the stack (and SQLite's own expression depth limit of 1000).
      if (depth_ >= kMaxQueryDepth) {
        return Err(Peek(), "the query nests 'not' and parentheses deeper than " +
                               std::to_string(kMaxQueryDepth) + " levels");
      }
      ++depth_;
      Result<std::string> r = NestedUnary();
      --depth_;
      return r;
    }
    return Compare();
  }

  // 'not' unary | '(' expr ')', one level deeper.
  Result<std::string> NestedUnary() {
    if (IsKeyword(Peek(), "not")) {
      Next();
      MLPIPE_ASSIGN_OR_RETURN(std::string inner, Unary());
      std::string out = "NOT (";
      return out.append(inner).append(")");
    }
    if (Peek().kind == Tok::kLParen) {
      Token open = Next();
      MLPIPE_ASSIGN_OR_RETURN(std::string inner, Or());
      if (Peek().kind != Tok::kRParen) {
        return Err(Peek(), "expected ')' to close the '(' at column " +
                               std::to_string(open.column) + ", found " + Describe(Peek()));
      }
      Next();
      std::string out = "(";
      return out.append(inner).append(")");
    }
    return Compare();
  }

  Result<Operand> ParseOperand() {
    const Token& t = Peek();
    if (t.kind != Tok::kWord || IsKeyword(t, "and") || IsKeyword(t, "or") || IsKeyword(t, "not") ||
        IsKeyword(t, "in") || IsKeyword(t, "like") || IsKeyword(t, "ilike")) {
      std::string msg = "expected a metric, param, tag or attribute (e.g. metrics.rmse), found ";
      return Err(t, msg.append(Describe(t)));
    }
    Next();
    Operand op;
    op.column = t.column;
    op.display = t.text;
    size_t dot = t.text.find('.');
    if (dot == std::string::npos) return ResolveAttribute(t.text, op);
    std::string prefix = Lower(t.text.substr(0, dot));
    std::string key = t.text.substr(dot + 1);
    if (prefix == "metrics" || prefix == "metric") {
      op.kind = Kind::kMetric;
    } else if (prefix == "params" || prefix == "param") {
      op.kind = Kind::kParam;
    } else if (prefix == "tags" || prefix == "tag") {
      op.kind = Kind::kTag;
    } else if (prefix == "attributes" || prefix == "attribute" || prefix == "attr") {
      op.kind = Kind::kAttribute;
    } else {
      return Err(t, "unknown prefix '" + t.text.substr(0, dot) +
                        "' (expected metrics., params., tags. or attributes.)");
    }
    if (key.empty() && Peek().kind == Tok::kQuotedName) {
      key = Next().text;
      op.display.append("\"").append(key).append("\"");
    }
    if (key.empty()) {
      std::string msg = "expected a name after '";
      return Err(t, msg.append(t.text).append("'"));
    }
    if (op.kind == Kind::kAttribute) return ResolveAttribute(key, op);
    op.key = std::move(key);
    return op;
  }

  Result<Operand> ResolveAttribute(const std::string& name, Operand op) {
    std::string lname = Lower(name);
    for (const Attribute& a : kAttributes) {
      if (lname == a.name) {
        op.kind = Kind::kAttribute;
        op.attr = &a;
        return op;
      }
    }
    return Err(op.column, "unknown attribute '" + name + "' (valid: " + AttributeList() +
                              "; or use a metrics., params. or tags. prefix)");
  }

  Result<Literal> ParseLiteral(const std::string& after) {
    const Token& t = Peek();
    if (t.kind == Tok::kString || t.kind == Tok::kNumber) {
      Next();
      Literal lit;
      lit.column = t.column;
      lit.text = t.text;
      lit.is_number = t.kind == Tok::kNumber;
      if (lit.is_number) lit.number = std::strtod(t.text.c_str(), nullptr);
      return lit;
    }
    std::string msg = "expected a value after ";
    msg.append(after).append(", found ").append(Describe(t));
    if (t.kind == Tok::kQuotedName) msg.append(" (strings take single quotes)");
    return Err(t, msg);
  }

  // compare := operand op literal | operand ['not'] 'in' '(' literals ')'
  //          | operand ['not'] ('like'|'ilike') literal
  Result<std::string> Compare() {
    if (++conditions_ > kMaxConditions) {
      return Err(Peek(),
                 "the query has more than " + std::to_string(kMaxConditions) + " conditions");
    }
    MLPIPE_ASSIGN_OR_RETURN(Operand op, ParseOperand());
    const Token& t = Peek();
    bool negate = false;
    Token op_tok = t;
    if (IsKeyword(t, "not")) {
      Next();
      negate = true;
      op_tok = Peek();
      if (!IsKeyword(op_tok, "in") && !IsKeyword(op_tok, "like") && !IsKeyword(op_tok, "ilike")) {
        return Err(op_tok, "expected IN, LIKE or ILIKE after NOT, found " + Describe(op_tok));
      }
    }
    if (IsKeyword(op_tok, "in")) {
      Next();
      return In(op, negate, op_tok);
    }
    if (IsKeyword(op_tok, "like") || IsKeyword(op_tok, "ilike")) {
      Next();
      return Like(op, negate, IsKeyword(op_tok, "ilike"), op_tok);
    }
    if (op_tok.kind != Tok::kOp) {
      return Err(op_tok, "expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) after " +
                             op.display + ", found " + Describe(op_tok));
    }
    Next();
    std::string sql_op = op_tok.text == "!=" ? "<>" : op_tok.text;
    MLPIPE_ASSIGN_OR_RETURN(Literal lit, ParseLiteral("'" + op_tok.text + "'"));
    std::vector<Literal> lits{lit};
    MLPIPE_ASSIGN_OR_RETURN(std::string value, ValueExpr(op, lits, op_tok));
    return Condition(op, value + " " + sql_op + " ?");
  }

  Result<std::string> In(const Operand& op, bool negate, const Token& in_tok) {
    if (Peek().kind != Tok::kLParen) {
      return Err(Peek(), "expected '(' after IN, found " + Describe(Peek()));
    }
    Next();
    if (Peek().kind == Tok::kRParen) return Err(Peek(), "empty IN list");
    std::vector<Literal> lits;
    while (true) {
      MLPIPE_ASSIGN_OR_RETURN(Literal lit, ParseLiteral(lits.empty() ? "'('" : "','"));
      lits.push_back(std::move(lit));
      if (Peek().kind == Tok::kComma) {
        Next();
        continue;
      }
      if (Peek().kind == Tok::kRParen) {
        Next();
        break;
      }
      return Err(Peek(), "expected ',' or ')' in the IN list, found " + Describe(Peek()));
    }
    MLPIPE_ASSIGN_OR_RETURN(std::string value, ValueExpr(op, lits, in_tok));
    std::string marks;
    for (size_t i = 0; i < lits.size(); ++i) marks.append(i ? ", ?" : "?");
    return Condition(op, value + (negate ? " NOT IN (" : " IN (") + marks + ")");
  }

  Result<std::string> Like(const Operand& op, bool negate, bool ilike, const Token& like_tok) {
    const char* what = ilike ? "ILIKE" : "LIKE";
    bool text = op.kind == Kind::kParam || op.kind == Kind::kTag ||
                (op.kind == Kind::kAttribute &&
                 (op.attr->type == AttrType::kText || op.attr->type == AttrType::kStatus));
    if (!text) {
      return Err(like_tok, std::string(what) +
                               " applies to params, tags and text attributes, not " +
                               KindNoun(op.kind) + " " + op.display);
    }
    MLPIPE_ASSIGN_OR_RETURN(Literal lit, ParseLiteral(std::string("'") + what + "'"));
    if (lit.is_number) {
      return Err(lit.column, std::string(what) + " needs a quoted pattern, found " + lit.text);
    }
    std::string column = op.kind == Kind::kAttribute ? op.attr->column : "x.value";
    std::string pattern = lit.text;
    if (op.kind == Kind::kAttribute && op.attr->type == AttrType::kStatus) pattern = Upper(pattern);
    std::string sql;
    // Both dialects: LIKE is case-sensitive, ILIKE is not (ASCII on SQLite),
    // and a backslash escapes % or _.
    if (dialect_ == SqlDialect::kPostgres) {
      sql = column + (negate ? " NOT " : " ") + what + " ?";
    } else if (ilike) {
      sql = column + (negate ? " NOT" : "") + " LIKE ? ESCAPE '\\'";
    } else {
      sql = column + (negate ? " NOT" : "") + " GLOB ?";
      pattern = LikeToGlob(pattern);
    }
    params_->emplace_back(pattern);
    return Condition(op, sql);
  }

  // Pushes the literals' parameters and returns the SQL value compared with
  // them: a column, or a numeric view of a param/tag when compared with numbers.
  Result<std::string> ValueExpr(const Operand& op, const std::vector<Literal>& lits,
                                const Token& op_tok) {
    bool all_numbers =
        std::all_of(lits.begin(), lits.end(), [](const Literal& l) { return l.is_number; });
    if (op.kind == Kind::kMetric) {
      for (const Literal& l : lits) {
        if (!l.is_number) {
          return Err(l.column,
                     "metric " + op.display + " is compared with a number, not '" + l.text + "'");
        }
        params_->emplace_back(l.number);
      }
      return std::string("x.value");
    }
    if (op.kind == Kind::kParam || op.kind == Kind::kTag) {
      if (all_numbers) {
        for (const Literal& l : lits) params_->emplace_back(l.number);
        return NumericView("x.value");
      }
      for (const Literal& l : lits) params_->emplace_back(l.text);
      return std::string("x.value");
    }
    const Attribute& a = *op.attr;
    switch (a.type) {
      case AttrType::kText:
        for (const Literal& l : lits) params_->emplace_back(l.text);
        break;
      case AttrType::kStatus:
        for (const Literal& l : lits) {
          std::string s = Upper(l.text);
          if (std::none_of(std::begin(kStatuses), std::end(kStatuses),
                           [&](const char* k) { return s == k; })) {
            return Err(l.column, "unknown status '" + l.text +
                                     "' (valid: RUNNING, FINISHED, FAILED, KILLED)");
          }
          params_->emplace_back(std::move(s));
        }
        break;
      case AttrType::kTime:
        for (const Literal& l : lits) {
          if (l.is_number) {
            // Microseconds since the epoch must fit in int64: 2^63 is exactly
            // representable, so the bounds are exact.
            if (!(l.number >= -0x1p63 && l.number < 0x1p63)) {
              return Err(l.column, "time " + l.text + " for " + op.display +
                                       " is out of range (microseconds since the epoch must "
                                       "lie within a signed 64-bit integer)");
            }
            params_->emplace_back(static_cast<int64_t>(std::llround(l.number)));
            continue;
          }
          std::optional<int64_t> us = core::ParseIsoTime(l.text);
          if (!us) {
            return Err(l.column, "'" + l.text + "' is not a time for " + op.display +
                                     ": use microseconds since the epoch or an ISO-8601 date "
                                     "such as '2026-11-26' or '2026-11-26T10:00:00Z'");
          }
          params_->emplace_back(*us);
        }
        break;
      case AttrType::kInt:
        for (const Literal& l : lits) {
          if (!l.is_number) {
            return Err(l.column, "attribute " + op.display + " is compared with a number, not '" +
                                     l.text + "'");
          }
          if (l.number == std::floor(l.number) && std::fabs(l.number) < 9.2e18) {
            params_->emplace_back(static_cast<int64_t>(l.number));
          } else {
            params_->emplace_back(l.number);
          }
        }
        break;
    }
    (void)op_tok;
    return std::string(a.column);
  }

  // A param or tag value as a number when it reads as one, else NULL (so the
  // comparison is false). CASE keeps PostgreSQL from casting non-numbers.
  std::string NumericView(const std::string& v) const {
    if (dialect_ == SqlDialect::kPostgres) {
      return "(CASE WHEN " + v +
             " ~ '^ *[-+]{0,1}([0-9]+[.]{0,1}[0-9]*|[.][0-9]+)([eE][-+]{0,1}[0-9]+){0,1} *$' "
             "THEN CAST(" +
             v + " AS DOUBLE PRECISION) END)";
    }
    // SQLite has no regular expressions: a value made only of number
    // characters and holding a digit is cast (its longest numeric prefix).
    return "(CASE WHEN " + v + " GLOB '*[0-9]*' AND " + v +
           " NOT GLOB '*[^0-9.eE+ -]*' THEN CAST(" + v + " AS REAL) END)";
  }

  // Wraps a condition on `x.value` into a membership test over the key's
  // table. IN (not a correlated EXISTS) lets SQLite read the matching run ids
  // off the (key, value, run_id) index once instead of probing every run; run
  // ids are never NULL, so NOT IN means the same as NOT EXISTS.
  std::string Condition(const Operand& op, const std::string& cond) {
    if (op.kind == Kind::kAttribute) return cond;
    const char* table = op.kind == Kind::kMetric  ? "latest_metrics"
                        : op.kind == Kind::kParam ? "params"
                                                  : "tags";
    params_->insert(params_->end() - CountMarks(cond), SqlValue(op.key));
    std::string out = "r.run_id IN (SELECT x.run_id FROM ";
    return out.append(table).append(" x WHERE x.key = ? AND ").append(cond).append(")");
  }

  static std::ptrdiff_t CountMarks(const std::string& sql) {
    return std::count(sql.begin(), sql.end(), '?');
  }

  std::vector<Token> t_;
  size_t pos_ = 0;
  size_t depth_ = 0;       // 'not' and '(' being parsed
  size_t conditions_ = 0;  // comparisons parsed
  SqlDialect dialect_;
  std::string context_;
  std::vector<SqlValue>* params_ = nullptr;
};

}  // namespace

Result<CompiledRunQuery> CompileRunQuery(std::string_view filter,
                                         const std::vector<std::string>& order_by,
                                         SqlDialect dialect) {
  CompiledRunQuery q;
  {
    MLPIPE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(filter).Run("query"));
    Parser p(std::move(tokens), dialect, "query");
    MLPIPE_ASSIGN_OR_RETURN(q.where, p.Filter(&q.where_params));
  }
  int joins = 0;
  for (const std::string& entry : order_by) {
    std::string context = "order-by: '";
    context.append(entry).append("'");
    MLPIPE_ASSIGN_OR_RETURN(std::vector<Token> tokens, Lexer(entry).Run(context));
    if (tokens.size() == 1) continue;  // an empty entry
    Parser p(std::move(tokens), dialect, context);
    MLPIPE_RETURN_IF_ERROR(p.OrderBy(&q, &joins));
  }
  if (q.order_by.empty()) q.order_by = "r.start_us DESC, ";
  q.order_by.append("r.run_id");
  return q;
}

}  // namespace mlpipe::store
