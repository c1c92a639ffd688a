// Move-only owners of Vulkan objects. A Handle<T> destroys its object with the
// device-level destroy function it was given (core or extension), exactly
// once; copies are impossible, moves leave the source empty.
#pragma once

#include <vulkan/vulkan.h>

#include <utility>

namespace nerva::vk {

template <typename T> class Handle {
  public:
    using Destroy = void(VKAPI_PTR*)(VkDevice, T, const VkAllocationCallbacks*);

    Handle() = default;
    Handle(VkDevice device, T handle, Destroy destroy)
        : device_(device), handle_(handle), destroy_(destroy) {}
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    Handle(Handle&& o) noexcept { swap(o); }
    Handle& operator=(Handle&& o) noexcept {
        if (this != &o) {
            reset();
            swap(o);
        }
        return *this;
    }
    ~Handle() { reset(); }

    void reset() {
        if (handle_ != VK_NULL_HANDLE && destroy_) destroy_(device_, handle_, nullptr);
        handle_ = VK_NULL_HANDLE;
    }
    T get() const { return handle_; }
    operator T() const { return handle_; } // NOLINT: handles pass straight to vk* calls
    explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }

  private:
    void swap(Handle& o) noexcept {
        std::swap(device_, o.device_);
        std::swap(handle_, o.handle_);
        std::swap(destroy_, o.destroy_);
    }
    VkDevice device_ = VK_NULL_HANDLE;
    T handle_ = VK_NULL_HANDLE;
    Destroy destroy_ = nullptr;
};

} // namespace nerva::vk
