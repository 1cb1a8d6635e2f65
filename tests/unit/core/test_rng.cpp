#include <gtest/gtest.h>
#include "icn/core/rng.h"
TEST(Rng, Placeholder) { EXPECT_EQ(1, 1); }
