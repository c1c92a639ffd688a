#include "check.h"

#include "neural/core/error.h"

#include <string>

namespace nerva::vk {

const char* resultName(VkResult result) {
    switch (result) {
#define NERVA_RESULT(r)                                                                            \
    case r:                                                                                        \
        return #r;
        NERVA_RESULT(VK_SUCCESS)
        NERVA_RESULT(VK_NOT_READY)
        NERVA_RESULT(VK_TIMEOUT)
        NERVA_RESULT(VK_EVENT_SET)
        NERVA_RESULT(VK_EVENT_RESET)
        NERVA_RESULT(VK_INCOMPLETE)
        NERVA_RESULT(VK_ERROR_OUT_OF_HOST_MEMORY)
        NERVA_RESULT(VK_ERROR_OUT_OF_DEVICE_MEMORY)
        NERVA_RESULT(VK_ERROR_INITIALIZATION_FAILED)
        NERVA_RESULT(VK_ERROR_DEVICE_LOST)
        NERVA_RESULT(VK_ERROR_MEMORY_MAP_FAILED)
        NERVA_RESULT(VK_ERROR_LAYER_NOT_PRESENT)
        NERVA_RESULT(VK_ERROR_EXTENSION_NOT_PRESENT)
        NERVA_RESULT(VK_ERROR_FEATURE_NOT_PRESENT)
        NERVA_RESULT(VK_ERROR_INCOMPATIBLE_DRIVER)
        NERVA_RESULT(VK_ERROR_TOO_MANY_OBJECTS)
        NERVA_RESULT(VK_ERROR_FORMAT_NOT_SUPPORTED)
        NERVA_RESULT(VK_ERROR_FRAGMENTED_POOL)
        NERVA_RESULT(VK_ERROR_UNKNOWN)
        NERVA_RESULT(VK_ERROR_OUT_OF_POOL_MEMORY)
        NERVA_RESULT(VK_ERROR_INVALID_EXTERNAL_HANDLE)
        NERVA_RESULT(VK_ERROR_FRAGMENTATION)
        NERVA_RESULT(VK_ERROR_INVALID_OPAQUE_CAPTURE_ADDRESS)
        NERVA_RESULT(VK_PIPELINE_COMPILE_REQUIRED)
        NERVA_RESULT(VK_ERROR_SURFACE_LOST_KHR)
        NERVA_RESULT(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
        NERVA_RESULT(VK_SUBOPTIMAL_KHR)
        NERVA_RESULT(VK_ERROR_OUT_OF_DATE_KHR)
        NERVA_RESULT(VK_ERROR_VALIDATION_FAILED_EXT)
        NERVA_RESULT(VK_OPERATION_DEFERRED_KHR)
        NERVA_RESULT(VK_OPERATION_NOT_DEFERRED_KHR)
#undef NERVA_RESULT
    default:
        return "VK_RESULT_UNKNOWN";
    }
}

void throwVkError(VkResult result, const char* call, const char* file, int line) {
    throw Error(std::string(file) + ":" + std::to_string(line) + ": " + call + " returned " +
                resultName(result) + " (" + std::to_string(int(result)) + ")");
}

} // namespace nerva::vk
