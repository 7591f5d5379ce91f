// Model card rendering: exact Markdown for a small card, a self-contained
// deterministic HTML document with every section, escaping.
#include "mlpipe/governance/model_card.h"

#include <gtest/gtest.h>

#include "mlpipe/report/check.h"

namespace mlpipe::governance {
namespace {

ModelCard SmallCard() {
  ModelCard c;
  c.model_name = "credit";
  c.model_version = "3";
  c.objective = "Classify applicants as good or bad credit risk (target class, positive good).";
  c.intended_use = "Decision support for loan officers.";
  c.data_versions = {{"train", "credit-g", "2", "ab12", 800}};
  c.features = {{"duration", "int64", ""}, {"purpose", "categorical", "one-hot | pooled"}};
  c.metrics = {{"roc_auc", 0.78125, 0.74, 0.815, 0.95, "test"},
               {"accuracy", 0.75, std::nullopt, std::nullopt, 0.95, "test"}};
  CardFairness f;
  f.column = "sex";
  f.groups = {{"female", 310, 0.61, 0.8, 0.5, true}, {"male", 690, 0.78, 0.9, 0.55, false}};
  f.metrics = {{"demographic_parity_difference", 0.17, 0.1, 0.24, 0.95, ""}};
  c.fairness = {f};
  c.limitations = {{"profile", "warning", "checking_status has 39% missing values"}};
  c.gates = {{"roc_auc >= 0.75", true, "roc_auc = 0.7812"}};
  return c;
}

TEST(ModelCardTest, MarkdownIsExact) {
  const std::string expected = R"md(# Model card: credit v3

## Objective

Classify applicants as good or bad credit risk (target class, positive good).

## Intended use

Decision support for loan officers.

## Data versions

| role | dataset | version | rows | sha256 |
| --- | --- | --- | --- | --- |
| train | credit-g | 2 | 800 | ab12 |

## Features

| feature | type | note |
| --- | --- | --- |
| duration | int64 |  |
| purpose | categorical | one-hot \| pooled |

## Metrics

| metric | split | value [interval] | interval |
| --- | --- | --- | --- |
| roc_auc | test | 0.7812 [0.7400, 0.8150] | 95% CI |
| accuracy | test | 0.7500 |  |

## Fairness

### sex

| group | rows | selection rate | TPR | FPR | flag |
| --- | --- | --- | --- | --- | --- |
| female | 310 | 0.6100 | 0.8000 | 0.5000 | below four-fifths |
| male | 690 | 0.7800 | 0.9000 | 0.5500 |  |

| metric | value [interval] | interval |
| --- | --- | --- |
| demographic_parity_difference | 0.1700 [0.1000, 0.2400] | 95% CI |

## Limitations

- **warning** (profile): checking_status has 39% missing values

## Gates

| gate | result | evidence |
| --- | --- | --- |
| roc_auc >= 0.75 | pass | roc_auc = 0.7812 |

## Approvals

None recorded.
)md";
  EXPECT_EQ(SmallCard().RenderMarkdown(), expected);
}

TEST(ModelCardTest, HtmlIsSelfContainedAndDeterministic) {
  ModelCard c = SmallCard();
  c.limitations.push_back({"validation", "error", "value <script>alert(1)</script> & more"});
  c.gates.push_back({"fairness: dp difference <= 0.1", false, "0.17"});
  c.approvals = {{"risk", "ana", "2024-05-01T10:00:00Z", "ok"}};
  const std::string html = c.RenderHtml();
  EXPECT_TRUE(report::CheckSelfContainedMarkup(html).ok())
      << report::CheckSelfContainedMarkup(html).ToString();
  EXPECT_EQ(html, c.RenderHtml());
  for (const char* s : {"Model card: credit v3", "Data versions", "0.7812 [0.7400, 0.8150]",
                        "below four-fifths", "FAIL", "&lt;script&gt;", "ana", "Approvals"}) {
    EXPECT_NE(html.find(s), std::string::npos) << s;
  }
  EXPECT_EQ(html.find("<script>"), std::string::npos);
}

TEST(ModelCardTest, EmptyCardSaysWhatIsMissing) {
  ModelCard c;
  c.model_name = "m";
  const std::string md = c.RenderMarkdown();
  EXPECT_NE(md.find("## Objective\n\nNot stated."), std::string::npos);
  EXPECT_NE(md.find("No protected columns were evaluated."), std::string::npos);
  EXPECT_NE(md.find("## Gates\n\nNone evaluated."), std::string::npos);
  EXPECT_TRUE(report::CheckSelfContainedMarkup(c.RenderHtml()).ok());
}

TEST(ModelCardTest, FairnessFromEvaluatedReport) {
  const std::vector<int32_t> labels = {1, 0, 1, 1, 0, 1, 0, 0};
  const std::vector<int32_t> predicted = {1, 0, 1, 0, 1, 1, 0, 0};
  const std::vector<int32_t> groups = {0, 0, 0, 0, 1, 1, 1, 1};
  auto report = eval::EvaluateFairness(labels, predicted, {"sex", groups, {"female", "male"}});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  const CardFairness f = FairnessFromReport(*report);
  EXPECT_EQ(f.column, "sex");
  ASSERT_EQ(f.groups.size(), 2u);
  EXPECT_EQ(f.groups[0].group, "female");
  EXPECT_EQ(f.groups[0].count, 4);
  EXPECT_DOUBLE_EQ(f.groups[0].selection_rate, 0.5);
  EXPECT_DOUBLE_EQ(f.groups[1].selection_rate, 0.5);
  ASSERT_EQ(f.metrics.size(), 5u);
  EXPECT_EQ(f.metrics[0].name, "demographic_parity_difference");
  EXPECT_DOUBLE_EQ(f.metrics[0].value, 0.0);
}

}  // namespace
}  // namespace mlpipe::governance
