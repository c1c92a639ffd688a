// The one Vulkan error path: every VkResult goes through VK_CHECK, which
// throws nerva::Error naming the call, the source file and line, and the
// VkResult by name.
#pragma once

#include <vulkan/vulkan.h>

namespace nerva::vk {

const char* resultName(VkResult result);

[[noreturn]] void throwVkError(VkResult result, const char* call, const char* file, int line);

inline void check(VkResult result, const char* call, const char* file, int line) {
    if (result != VK_SUCCESS) throwVkError(result, call, file, line);
}

} // namespace nerva::vk

#define VK_CHECK(call) ::nerva::vk::check((call), #call, __FILE__, __LINE__)
