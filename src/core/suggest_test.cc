#include "mlpipe/core/suggest.h"

#include <gtest/gtest.h>

namespace mlpipe::core {
namespace {

TEST(SuggestTest, EditDistanceCountsEdits) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("trian", "train"), 2u);
  EXPECT_EQ(EditDistance("gdbt", "gbdt"), 2u);
}

TEST(SuggestTest, ClosestNamePrefersACaseInsensitiveMatch) {
  // "Class" is one edit from both; the same word in another case wins.
  EXPECT_EQ(ClosestName("Class", {"glass", "class"}), "class");
  EXPECT_EQ(DidYouMean("Class", {"glass", "class"}), " (did you mean 'class'?)");
}

TEST(SuggestTest, TyposAreSuggestedAndFarNamesAreNot) {
  EXPECT_EQ(DidYouMean("trian", {"init", "train", "run"}), " (did you mean 'train'?)");
  EXPECT_EQ(DidYouMean("gdbt", {"logreg", "gbdt", "rf"}), " (did you mean 'gbdt'?)");
  EXPECT_EQ(DidYouMean("--tagret", {"--target", "--data"}), " (did you mean '--target'?)");
  EXPECT_EQ(DidYouMean("zzzzzz", {"train", "run"}), "");
  EXPECT_EQ(DidYouMean("train", {"train", "run"}), "");  // not a typo
  EXPECT_EQ(DidYouMean("x", {}), "");
}

}  // namespace
}  // namespace mlpipe::core
