#include "icn/analysis/incomplete_blocks.h"

#include <gtest/gtest.h>

namespace icn::analysis {
namespace {

design::Design saltelli(std::int64_t n, int d) {
  design::Design s;
  s.kind = design::DesignKind::kSaltelli;
  s.base_n = n;
  for (int i = 0; i < d; ++i) s.names.push_back("x" + std::to_string(i));
  s.points = Eigen::MatrixXd::Zero(n * (d + 2), d);
  s.unit_points = s.points;
  return s;
}

TEST(IncompleteBlocks, SaltelliBaseSamplesSplitIntoEmptiedAndThinned) {
  const design::Design d = saltelli(4, 2);  // blocks of 4 rows: A, AB_1, AB_2, B
  std::vector<std::int64_t> runs(16, 5), failed(16, 0);
  failed[1] = 2;   // block 0: a point lost some runs
  failed[10] = 5;  // block 2: a point lost all of them
  failed[11] = 1;  //          and another some
  const IncompleteBlocks b = incomplete_blocks(d, failed, runs);
  EXPECT_EQ(b.unit, "Saltelli base sample");
  EXPECT_EQ(b.partial, std::vector<std::int64_t>({0}));
  EXPECT_EQ(b.empty, std::vector<std::int64_t>({2}));
}

TEST(IncompleteBlocks, MorrisTrajectoriesHaveDPlusOnePoints) {
  design::Design d;
  d.kind = design::DesignKind::kMorris;
  d.names = {"a", "b", "c"};
  std::vector<std::int64_t> runs(12, 2), failed(12, 0);
  failed[7] = 2;  // trajectory 1 (rows 4..7)
  failed[8] = 1;  // trajectory 2 (rows 8..11)
  const IncompleteBlocks b = incomplete_blocks(d, failed, runs);
  EXPECT_EQ(b.unit, "Morris trajectory");
  EXPECT_EQ(b.empty, std::vector<std::int64_t>({1}));
  EXPECT_EQ(b.partial, std::vector<std::int64_t>({2}));
}

TEST(IncompleteBlocks, OtherDesignsHaveNoBlocks) {
  design::Design d;
  d.kind = design::DesignKind::kLhs;
  const IncompleteBlocks b = incomplete_blocks(d, {3, 0}, {3, 3});
  EXPECT_TRUE(b.unit.empty());
  EXPECT_TRUE(b.empty.empty() && b.partial.empty());
}

}  // namespace
}  // namespace icn::analysis
