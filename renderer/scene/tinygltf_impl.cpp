// The one translation unit that compiles tinygltf's implementation. It sits
// alone so that a program which compiles tinygltf itself (and links
// nerva_scene) does not pull in a second copy from this static library.
// stb_image/stb_image_write are not implemented here: Debian's libstb
// provides them (pkg-config stb, which also puts /usr/include/stb on the
// include path where tinygltf looks for <stb_image.h>).
#define TINYGLTF_IMPLEMENTATION
#include <tiny_gltf.h>
