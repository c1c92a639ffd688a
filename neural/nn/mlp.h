// A multi-layer perceptron for CPU training whose parameters live in ONE flat
// array owned by the caller, so Adam, checkpoints and the .nmat writer all
// see the same vector.
//
// Parameter layout, layer after layer with no padding:
//   weights W[o * in + i] (row-major, out rows of `in` floats), then
//   bias[o] (out floats) when the layer has one.
// Inputs and outputs are batch-major: x[b * inputs() + i], y[b * outputs() + o].
//
// Internally the batch is processed in blocks of kMlpBlock rows kept
// feature-major ([feature][row], kMlpBlock rows contiguous), so every inner
// loop runs over a fixed 32 contiguous rows and GCC vectorises it; a block's
// activations (a few KB) stay in L1 while the weights are streamed once per
// block. A ragged last block is padded with zero rows whose gradient is zero.
//
// forward/backward are templates instantiated for float (training) and
// double (the gradient checks run the very same code in double).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nerva::nn {

enum class Activation : uint8_t {
    None,      // identity
    ReLU,      // max(x, 0)
    LeakyReLU, // x > 0 ? x : 0.01 x
    Exp3,      // exp(x - 3): the decoder's output, positive, e^-3 at x = 0
};

const char* activationName(Activation a);

constexpr float kLeakySlope = 0.01f;

// Rows per internal block (see the file comment).
constexpr size_t kMlpBlock = 32;

struct LayerSpec {
    uint32_t in = 0;
    uint32_t out = 0;
    bool bias = true;
    Activation activation = Activation::None;
};

// Where a layer's parameters start in the flat array (in floats).
struct LayerOffsets {
    size_t weights = 0;
    size_t bias = 0; // meaningful only when the layer has a bias
};

// Activations a forward pass keeps for backward, and backward's scratch.
// Layout of `acts`: for each block of kMlpBlock rows, the layer inputs
// a_0 = x, a_1, ..., a_L = y one after the other, each [width][kMlpBlock].
// Post-activation values suffice: every activation's derivative is a
// function of its output (ReLU/Leaky: sign, Exp3: the value itself).
template <class T> struct MlpWorkspace {
    size_t batch = 0;
    std::vector<T> acts;
    std::vector<T> gradA; // maxWidth x kMlpBlock
    std::vector<T> gradB;
};

class Mlp {
  public:
    // Consecutive layers must chain (out of one == in of the next); throws
    // nerva::Error naming the bad layer otherwise.
    explicit Mlp(std::vector<LayerSpec> layers);

    // widths = {in, h1, ..., out}: hidden layers use `hidden`, the last one
    // `output`; every layer has a bias iff `bias`.
    static Mlp chain(const std::vector<uint32_t>& widths, Activation hidden, Activation output,
                     bool bias = true);

    const std::vector<LayerSpec>& layers() const { return layers_; }
    uint32_t inputs() const { return layers_.front().in; }
    uint32_t outputs() const { return layers_.back().out; }
    size_t parameterCount() const { return paramCount_; }
    const LayerOffsets& offsets(size_t layer) const { return offsets_[layer]; }
    // "20-32(relu)-32(relu)-3(exp3)" for logs and bench reports.
    std::string describe() const;

    // Deterministic initialisation from `seed` (PCG32, identical on every
    // platform): weights uniform in +-sqrt(6 / in) for ReLU/LeakyReLU layers
    // (Kaiming-uniform, gain sqrt 2), +-sqrt(6 / (in + out)) otherwise
    // (Xavier-uniform); biases 0. zeroLastLayer zeroes the last layer's
    // weights too, so an Exp3 decoder starts at e^-3 everywhere.
    void initialise(std::span<float> params, uint64_t seed, bool zeroLastLayer = false) const;

    // y = f(x) for `batch` rows; keeps in `ws` what backward needs.
    template <class T>
    void forward(std::span<const T> params, const T* x, size_t batch, MlpWorkspace<T>& ws,
                 T* y) const;

    // Given dy = dL/dy (batch-major, as y) for the batch of the last forward
    // with `ws`, ADDS dL/dparams to dparams (same layout as params) and, when
    // dx is not null, WRITES dL/dx (batch-major, as x).
    template <class T>
    void backward(std::span<const T> params, MlpWorkspace<T>& ws, const T* dy, size_t batch,
                  std::span<T> dparams, T* dx) const;

  private:
    std::vector<LayerSpec> layers_;
    std::vector<LayerOffsets> offsets_;
    std::vector<size_t> actOffsets_; // a_l's offset inside one block, l = 0..L
    size_t blockStride_ = 0;         // floats per block in MlpWorkspace::acts
    size_t maxWidth_ = 0;
    size_t paramCount_ = 0;
};

} // namespace nerva::nn
