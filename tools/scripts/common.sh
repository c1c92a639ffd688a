# Shared by the README's two commands: installs what is missing, configures
# and builds. Sourced, not run.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build="${NERVA_BUILD:-$repo/build}"

# Vulkan tools want a private runtime folder.
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -d "$XDG_RUNTIME_DIR" ]; then
  export XDG_RUNTIME_DIR="${TMPDIR:-/tmp}/nerva-runtime-$(id -u)"
  mkdir -p -m 0700 "$XDG_RUNTIME_DIR"
fi
# lavapipe JIT-compiles shaders with LLVM: keep its cache with the build.
export MESA_SHADER_CACHE_DIR="${MESA_SHADER_CACHE_DIR:-$build/mesa-shader-cache}"
export NERVA_CACHE_DIR="${NERVA_CACHE_DIR:-$build/nerva-cache}"

nerva_setup_and_build() {
  bash "$repo/tools/scripts/setup-debian.sh"
  # Warnings are errors in CI; elsewhere the build folder keeps its setting,
  # so the demo and test commands never force each other to rebuild.
  local flags=()
  if [ "${CI:-}" = true ]; then flags+=(-DNERVA_WERROR=ON); fi
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}" >/dev/null
  cmake --build "$build" -j "$(nproc)"
}
