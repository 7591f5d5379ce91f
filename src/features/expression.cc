// expression: a derived float64 column from a muparser expression over
// numeric columns. This is the only file that includes muParser.h; every
// muparser exception is caught here and becomes a Status.
//
// Variables are column names (letters, digits, '_' and '.'); a row with a
// missing input, or whose result is NaN or infinite (e.g. division by zero),
// gives a missing value.
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>
#include <muParser.h>

#include "column_util.h"
#include "mlpipe/core/suggest.h"
#include "row_util.h"
#include "transforms.h"

namespace mlpipe::features::internal {
namespace {

using table::Column;

// Storage for the variables muparser discovers while parsing.
struct VarSlots {
  std::deque<double> values;
  std::map<std::string, double*> by_name;
};

double* NewVar(const char* name, void* user) {
  auto* slots = static_cast<VarSlots*>(user);
  slots->values.push_back(0.0);
  double* p = &slots->values.back();
  slots->by_name[name] = p;
  return p;
}

// A parser holding `expr`, with one slot per variable it uses.
struct Compiled {
  mu::Parser parser;
  VarSlots slots;
};

Status Compile(const std::string& expr, Compiled& c) {
  try {
    c.parser.DefineNameChars("0123456789_.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
    c.parser.SetVarFactory(&NewVar, &c.slots);
    c.parser.SetExpr(expr);
    (void)c.parser.GetUsedVar();  // parses, calling NewVar for each variable
  } catch (const mu::Parser::exception_type& e) {
    return InvalidArgumentError(fmt::format("expression: cannot parse '{}': {} (at position {})",
                                            expr, e.GetMsg(), e.GetPos()));
  }
  return Status::OK();
}

class Expression final : public Transform {
 public:
  std::string_view name() const override { return "expression"; }

  // The variables of the expression, sorted; known before fitting.
  std::vector<std::string> InputColumns() const override {
    if (fitted()) return inputs_;
    Compiled c;
    if (!Compile(expression_, c).ok()) return {};
    std::vector<std::string> out;
    for (const auto& [var, ptr] : c.slots.by_name) out.push_back(var);
    return out;
  }

 protected:
  std::vector<std::string_view> ParamKeys() const override { return {"output", "expression"}; }

  Status LoadParams(const core::Json& j, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(output_, core::GetField<std::string>(j, "output", ctx));
    MLPIPE_ASSIGN_OR_RETURN(expression_, core::GetField<std::string>(j, "expression", ctx));
    if (output_.empty()) return InvalidArgumentError(ctx + ".output: expected a column name");
    Compiled c;
    return Compile(expression_, c).WithContext(ctx);
  }

  core::Json ParamsJson() const override {
    return {{"output", output_}, {"expression", expression_}};
  }

  Status LoadState(const core::Json& s, const std::string& ctx) override {
    MLPIPE_ASSIGN_OR_RETURN(inputs_, RequiredStrings(s, "inputs", ctx));
    return Status::OK();
  }

  core::Json StateJson() const override { return {{"inputs", inputs_}}; }

  Status Fit(const Frame& frame, const FitContext&) override {
    Compiled c;
    MLPIPE_RETURN_IF_ERROR(Compile(expression_, c));
    inputs_.clear();
    for (const auto& [var, ptr] : c.slots.by_name) {
      if (frame.Find(var) < 0) {
        return NotFoundError(fmt::format(
            "expression '{}': no column named '{}'{} (columns: {})", expression_, var,
            core::DidYouMean(var, frame.ColumnNames()), fmt::join(frame.ColumnNames(), ", ")));
      }
      inputs_.push_back(var);
    }
    return Status::OK();
  }

  Status DoApply(Frame& frame) const override {
    Compiled c;
    MLPIPE_RETURN_IF_ERROR(Compile(expression_, c));
    std::vector<const Column*> cols;
    std::vector<double*> slots;
    for (const auto& var : inputs_) {
      MLPIPE_ASSIGN_OR_RETURN(const Column* col, RequireColumn(frame, "expression", var,
                                                               kNumericTypes, "encode it first"));
      auto it = c.slots.by_name.find(var);
      if (it == c.slots.by_name.end()) {
        return InternalError(fmt::format("expression: variable '{}' vanished", var));
      }
      cols.push_back(col);
      slots.push_back(it->second);
    }
    const size_t n = frame.num_rows();
    std::vector<double> out(n, 0.0);
    std::vector<uint8_t> valid(n, 1);
    try {
      for (size_t i = 0; i < n; ++i) {
        bool present = true;
        for (size_t v = 0; v < cols.size(); ++v) {
          if (!cols[v]->IsValid(i)) {
            present = false;
            break;
          }
          *slots[v] = cols[v]->NumericAt(i);
        }
        double r = present ? c.parser.Eval() : 0.0;
        if (!present || !std::isfinite(r)) {
          valid[i] = 0;
          r = 0.0;
        }
        out[i] = r;
      }
    } catch (const mu::Parser::exception_type& e) {
      return InvalidArgumentError(
          fmt::format("expression '{}': evaluation failed: {}", expression_, e.GetMsg()));
    }
    Column result = Column::Float64(output_, std::move(out), std::move(valid));
    const int at = frame.Find(output_);
    if (at >= 0) return frame.Replace(static_cast<size_t>(at), std::move(result));
    return frame.Insert(frame.num_columns(), std::move(result));
  }

 public:
  // muparser evaluates through variables it owns, so one parser serves one
  // row at a time: the kernel keeps a pool of compiled parsers and borrows
  // one per row (compiling another only when every one is in use).
  Result<std::unique_ptr<RowKernel>> CompileRow(RowCompiler& compiler) const override {
    auto kernel = std::make_unique<RowExpression>();
    kernel->expression = expression_;
    for (const auto& var : inputs_) {
      MLPIPE_ASSIGN_OR_RETURN(RowCompiler::Slot in, RequireSlot(compiler, "expression", var,
                                                                kNumericTypes, "encode it first"));
      kernel->vars.push_back(var);
      kernel->in.push_back(in.index);
    }
    MLPIPE_ASSIGN_OR_RETURN(auto first, kernel->NewParser());
    kernel->pool.push_back(std::move(first));
    kernel->out = compiler.Define(output_, table::DataType::kFloat64).index;
    return std::unique_ptr<RowKernel>(std::move(kernel));
  }

 private:
  struct RowExpression final : RowKernel {
    struct Parser {
      Compiled c;
      std::vector<double*> slots;  // per variable of `vars`
    };
    std::string expression;
    std::vector<std::string> vars;
    std::vector<uint32_t> in;
    uint32_t out = 0;
    mutable std::mutex mu;
    mutable std::vector<std::unique_ptr<Parser>> pool;

    Result<std::unique_ptr<Parser>> NewParser() const {
      auto p = std::make_unique<Parser>();
      MLPIPE_RETURN_IF_ERROR(Compile(expression, p->c));
      for (const auto& var : vars) {
        auto it = p->c.slots.by_name.find(var);
        if (it == p->c.slots.by_name.end()) {
          return InternalError(fmt::format("expression: variable '{}' vanished", var));
        }
        p->slots.push_back(it->second);
      }
      return p;
    }

    Status Run(RowCell* cells, size_t) const override {
      RowCell& b = cells[out];
      for (uint32_t i : in) {
        if (!cells[i].valid) {
          b.valid = false;
          b.num = 0;
          return Status::OK();
        }
      }
      std::unique_ptr<Parser> p;
      {
        std::lock_guard<std::mutex> lock(mu);
        if (!pool.empty()) {
          p = std::move(pool.back());
          pool.pop_back();
        }
      }
      if (p == nullptr) {
        MLPIPE_ASSIGN_OR_RETURN(p, NewParser());
      }
      double r = 0;
      Status st = Status::OK();
      try {
        for (size_t v = 0; v < in.size(); ++v) *p->slots[v] = cells[in[v]].num;
        r = p->c.parser.Eval();
      } catch (const mu::Parser::exception_type& e) {
        st = InvalidArgumentError(
            fmt::format("expression '{}': evaluation failed: {}", expression, e.GetMsg()));
      }
      {
        std::lock_guard<std::mutex> lock(mu);
        pool.push_back(std::move(p));
      }
      MLPIPE_RETURN_IF_ERROR(st);
      b.valid = std::isfinite(r);
      b.num = b.valid ? r : 0.0;
      return Status::OK();
    }
  };

  std::string output_;
  std::string expression_;
  std::vector<std::string> inputs_;  // the columns the expression reads, sorted
};

}  // namespace

std::unique_ptr<Transform> NewExpression() { return std::make_unique<Expression>(); }

}  // namespace mlpipe::features::internal
