#!/usr/bin/env bash
# Regenerates the golden images in tests/golden/ on purpose. Run it after a
# change that is meant to alter images, look at the new PNGs, and say why in
# the commit message. Optional argument: a gtest filter, e.g. 'Goldens/*demo*'.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/common.sh"
nerva_setup_and_build
NERVA_UPDATE_GOLDENS=1 NERVA_VALIDATION=1 "$build/tests/nerva_render_tests" \
  --gtest_filter="${1:-Goldens/*}"
git -C "$repo" status --short tests/golden
