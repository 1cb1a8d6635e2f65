#include "icn/exec/comm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "icn/core/error.h"
#include "icn/exec/detail/wire.h"
#include "local_comm.h"

namespace icn::exec {
namespace {

TEST(SerialComm, IsOneRankThatDeliversToItselfInOrder) {
  const auto c = make_serial_comm();
  EXPECT_EQ(c->rank(), 0);
  EXPECT_EQ(c->size(), 1);
  EXPECT_EQ(c->name(), "serial");
  EXPECT_FALSE(c->poll());
  c->send(0, Tag::kRequest, {});
  c->send(0, Tag::kWork, Bytes(3, std::byte{7}));
  const auto a = c->poll();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->tag, Tag::kRequest);
  const auto b = c->wait(1.0);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->tag, Tag::kWork);
  EXPECT_EQ(b->payload.size(), 3u);
  // Nobody else can ever send: waiting would hang, so it is an error.
  EXPECT_THROW(c->wait(0.01), RuntimeError);
  EXPECT_THROW(c->send(1, Tag::kStop, {}), RuntimeError);
  Bytes data(2, std::byte{1});
  c->broadcast(data, 0);
  EXPECT_EQ(data.size(), 2u);
}

TEST(LocalComm, MessagesBetweenTwoRanksKeepTheirOrder) {
  testing::LocalWorld world(2);
  world.run([](Comm& c) {
    if (c.rank() == 1) {
      for (std::int64_t i = 0; i < 100; ++i) {
        detail::Writer w;
        w.put(i);
        c.send(0, Tag::kResult, w.take());
      }
      c.send(0, Tag::kDone, {});
      return;
    }
    for (std::int64_t i = 0; i < 100; ++i) {
      const auto m = c.wait(10.0);
      ASSERT_TRUE(m);
      detail::Reader r(m->payload);
      EXPECT_EQ(r.get<std::int64_t>(), i);
    }
    EXPECT_EQ(c.wait(10.0)->tag, Tag::kDone);
  });
}

TEST(Wire, RoundTripsValuesBitExactly) {
  detail::Writer w;
  const std::vector<double> v = {0.1, -0.0, std::nan(""), 1e308, 5e-324};
  w.put<std::int64_t>(-42);
  w.put_span(std::span<const double>(v));
  w.put_string("chunk");
  const Bytes b = w.take();
  detail::Reader r(b);
  EXPECT_EQ(r.get<std::int64_t>(), -42);
  const std::vector<double> back = r.get_vector<double>();
  ASSERT_EQ(back.size(), v.size());
  EXPECT_EQ(std::memcmp(back.data(), v.data(), v.size() * sizeof(double)), 0);
  EXPECT_EQ(r.get_string(), "chunk");
  EXPECT_TRUE(r.at_end());
}

TEST(Wire, TruncatedPayloadIsAnError) {
  detail::Writer w;
  w.put_span(std::span<const double>(std::vector<double>(4, 1.0)));
  Bytes b = w.take();
  b.resize(b.size() - 1);
  detail::Reader r(b);
  EXPECT_THROW(r.get_vector<double>(), RuntimeError);
  detail::Reader empty(Bytes{});
  EXPECT_THROW(empty.get<double>(), RuntimeError);
}

TEST(Comm, LaunchedByMpiFollowsTheLauncherEnvironment) {
  // The unit tests are not started by mpirun unless someone does so on purpose.
  if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK") ||
      std::getenv("PMI_RANK") || std::getenv("MPI_LOCALNRANKS")) {
    GTEST_SKIP() << "running under an MPI launcher";
  }
  EXPECT_FALSE(launched_by_mpi());
  EXPECT_EQ(make_world_comm()->name(), "serial");
}

}  // namespace
}  // namespace icn::exec
