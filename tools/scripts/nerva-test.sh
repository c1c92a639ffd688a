#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run ctest (unit, gpu
# and golden-image tests, with the Vulkan validation layer on).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
nerva_setup_and_build
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
