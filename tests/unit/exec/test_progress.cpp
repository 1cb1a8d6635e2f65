#include "icn/exec/progress.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "icn/core/error.h"

namespace icn::exec {
namespace {

TEST(Progress, LineShowsTasksRateEtaAndBusyShares) {
  Progress p(ProgressOptions{0, "", true}, 10, 2);
  p.add_done(3);
  p.set_busy(0, 0.0);
  p.set_busy(1, 1e9);  // clamped to 100 %
  const std::string line = p.line();
  EXPECT_NE(line.find("sweep: 3/10 tasks (30.0%)"), std::string::npos) << line;
  EXPECT_NE(line.find("runs/s"), std::string::npos);
  EXPECT_NE(line.find("ETA"), std::string::npos);
  EXPECT_NE(line.find("busy r0 0% r1 100%"), std::string::npos) << line;
  p.add_done(7);
  EXPECT_NE(p.line().find("10/10 tasks (100.0%)"), std::string::npos);
  EXPECT_NE(p.line().find("done in"), std::string::npos);
}

TEST(Progress, JsonLinesEndWithAFinalRecord) {
  const std::string path = ::testing::TempDir() + "progress.jsonl";
  {
    Progress p(ProgressOptions{0, path, true}, 4, 3);
    p.add_done(4);
    p.finish();
  }
  std::ifstream in(path);
  std::string line, last;
  int lines = 0;
  while (std::getline(in, line)) {
    last = line;
    ++lines;
  }
  EXPECT_EQ(lines, 1);
  EXPECT_EQ(last.front(), '{');
  EXPECT_NE(last.find("\"done\":4,\"total\":4"), std::string::npos) << last;
  EXPECT_NE(last.find("\"busy\":[0.000,0.000,0.000]"), std::string::npos) << last;
  EXPECT_NE(last.find("\"final\":true"), std::string::npos);
}

TEST(Progress, UnwritableJsonPathIsAnError) {
  EXPECT_THROW(Progress(ProgressOptions{0, "/nonexistent-dir/p.jsonl", true}, 1, 1), RuntimeError);
}

}  // namespace
}  // namespace icn::exec
