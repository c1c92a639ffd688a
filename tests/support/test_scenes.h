// Small scenes built in code for light-transport tests: the builders of
// renderer/scene/scene_builders.h under the names the tests use.
#pragma once

#include "renderer/scene/scene_builders.h"

namespace nerva::test {

using scene::addObject;
using scene::lambert;
using scene::lookAt;
using scene::quad;
using scene::uvSphere;

} // namespace nerva::test
