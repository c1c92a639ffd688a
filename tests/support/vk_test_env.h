// One Vulkan context per test binary, validation on; every test that uses it
// fails if the validation layer reported an error during that test.
#pragma once

#include "renderer/vk/context.h"

#include <gtest/gtest.h>

#include <memory>

namespace nerva::test {

inline vk::Context& sharedContext() {
    static std::unique_ptr<vk::Context> ctx = [] {
        vk::ContextOptions o;
        o.validation = true;
        return std::make_unique<vk::Context>(o);
    }();
    return *ctx;
}

// Fixture: records the validation error count before the test and asserts it
// did not grow.
class VulkanTest : public ::testing::Test {
  protected:
    void SetUp() override { errorsBefore_ = sharedContext().validationErrors(); }
    void TearDown() override {
        EXPECT_EQ(sharedContext().validationErrors(), errorsBefore_)
            << "Vulkan validation errors during this test (printed above)";
    }
    vk::Context& ctx() { return sharedContext(); }

  private:
    uint32_t errorsBefore_ = 0;
};

} // namespace nerva::test
