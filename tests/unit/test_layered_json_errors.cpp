// Bad layered-material JSON (docs/layered-materials.md): each kind of
// mistake gives one nerva::Error line "<file>: <json path>: <problem>".
#include "layered_json_fixture.h"

namespace {

using namespace nerva::layeredtest;
using nlohmann::json;

class LayeredJsonErrors : public LayeredJson {};

TEST_F(LayeredJsonErrors, UnknownLayerType) {
    expectError(material(json::array({diffuse(), {{"type", "glitter"}}})), "layers[1].type",
                "unknown layer type \"glitter\" (expected one of diffuse, specular, conductor, "
                "flakes, coat, sheen)");
}

TEST_F(LayeredJsonErrors, MissingTextureFile) {
    expectError(material(json::array(
                    {{{"type", "diffuse"}, {"color", {{"texture", "tex/../nothere.png"}}}}})),
                "layers[0].color.texture", "file not found: " + (dir_ / "nothere.png").string());
    expectError(material(json::array(
                    {diffuse(), {{"type", "coat"}, {"normal", {{"texture", "gone.png"}}}}})),
                "layers[1].normal.texture", "file not found: " + (dir_ / "gone.png").string());
}

TEST_F(LayeredJsonErrors, ScalarOutOfRange) {
    expectError(material(json::array(
                    {diffuse(), {{"type", "flakes"}}, {{"type", "coat"}, {"roughness", 1.4}}})),
                "layers[2].roughness", "1.4 is outside [0, 1]");
    expectError(material(json::array({diffuse(), {{"type", "specular"}, {"anisotropy", 0.96}}})),
                "layers[1].anisotropy", "0.96 is outside [0, 0.95]");
    expectError(material(json::array({diffuse(), {{"type", "flakes"}, {"density", 0.5}}})),
                "layers[1].density", "0.5 is outside [1, 100000]");
}

TEST_F(LayeredJsonErrors, ColourOutOfRange) {
    expectError(material(json::array({{{"type", "diffuse"}, {"color", {0.5, 1.2, 0.5}}}})),
                "layers[0].color[1]", "1.2 is outside [0, 1]");
    expectError(
        material(json::array(
            {{{"type", "conductor"}, {"ior", {0.2, 0.3, 0.4}}, {"extinction", {3, 25, 2}}}})),
        "layers[0].extinction[1]", "25 is outside [0, 20]");
}

TEST_F(LayeredJsonErrors, TextureFactorOutOfRange) {
    const json rough = {{"texture", "tex/rough.png"}, {"factor", 1.5}};
    expectError(material(json::array({{{"type", "diffuse"}, {"roughness", rough}}})),
                "layers[0].roughness.factor", "outside [0, 1]");
    const json colour = {{"texture", "tex/base.png"}, {"factor", {1, -0.5, 1}}};
    expectError(material(json::array({{{"type", "diffuse"}, {"color", colour}}})),
                "layers[0].color.factor[1]", "outside [0, 1]");
    // A texel of 0 times any factor leaves [1, 3]: an ior texture cannot keep its range.
    const json ior = {{"texture", "tex/rough.png"}};
    expectError(material(json::array({diffuse(), {{"type", "coat"}, {"ior", ior}}})),
                "layers[1].ior", "outside [1, 3]");
}

TEST_F(LayeredJsonErrors, WrongVersion) {
    json j = material(json::array({diffuse()}));
    j["nerva_layered_material"] = 2;
    expectError(j, "nerva_layered_material", "unsupported version 2 (expected 1)");
    j["nerva_layered_material"] = "1";
    expectError(j, "nerva_layered_material", "unsupported version \"1\" (expected 1)");
}

TEST_F(LayeredJsonErrors, MissingVersion) {
    json j = material(json::array({diffuse()}));
    j.erase("nerva_layered_material");
    expectError(j, "nerva_layered_material", "required key is missing");
    j = material(json::array({diffuse()}));
    j.erase("name");
    expectError(j, "name", "required key is missing");
}

TEST_F(LayeredJsonErrors, WrongOrder) {
    expectError(material(json::array({{{"type", "coat"}}, diffuse()})), "layers[1].type",
                "\"diffuse\" must come before \"coat\"");
}

TEST_F(LayeredJsonErrors, RepeatedLayer) {
    expectError(material(json::array({diffuse(), {{"type", "coat"}}, {{"type", "coat"}}})),
                "layers[2].type", "\"coat\" is repeated (also layers[1])");
}

TEST_F(LayeredJsonErrors, NoBase) {
    expectError(material(json::array({{{"type", "flakes"}}, {{"type", "coat"}}})), "layers",
                "needs a base: a \"diffuse\" or a \"conductor\" layer");
    expectError(material(json::array()), "layers", "expected a non-empty array of layers");
}

TEST_F(LayeredJsonErrors, SpecularWithoutDiffuse) {
    expectError(material(json::array({{{"type", "specular"}}, {{"type", "conductor"}}})),
                "layers[0].type", "\"specular\" needs a \"diffuse\" layer below it");
}

TEST_F(LayeredJsonErrors, UnknownKey) {
    expectError(material(json::array({{{"type", "diffuse"}, {"colour", {1, 1, 1}}}})),
                "layers[0].colour", "unknown key (expected one of type, color, roughness, normal)");
    json j = material(json::array({diffuse()}));
    j["nmae"] = "x";
    expectError(j, "nmae", "unknown key");
    const json uv = {{"texture", "tex/base.png"}, {"uv", {{"rotate", 10}}}};
    expectError(material(json::array({{{"type", "diffuse"}, {"color", uv}}})),
                "layers[0].color.uv.rotate", "unknown key");
}

TEST_F(LayeredJsonErrors, WrongValueKind) {
    expectError(material(json::array({{{"type", "diffuse"}, {"roughness", "0.5"}}})),
                "layers[0].roughness", "expected a number or a texture object, not a string");
    expectError(material(json::array({{{"type", "diffuse"}, {"color", 0.5}}})), "layers[0].color",
                "expected [r, g, b] or a texture object, not a number");
    expectError(material(json::array({{{"type", "diffuse"}, {"color", {0.5, 0.5}}}})),
                "layers[0].color", "expected [r, g, b]");
    expectError(material(json::array(
                    {diffuse(), {{"type", "flakes"}, {"density", {{"texture", "tex/base.png"}}}}})),
                "layers[1].density", "expected a number");
    expectError(material(json::array({{{"type", "diffuse"}, {"normal", "tex/normal.png"}}})),
                "layers[0].normal", "expected a normal-map texture object, not a string");
}

TEST_F(LayeredJsonErrors, InvalidJson) {
    expectError(std::string("{\"nerva_layered_material\": 1,"), "", "invalid JSON at byte 30");
    expectError(std::string("[1, 2]"), "", "expected a JSON object at the top level");
}

TEST_F(LayeredJsonErrors, BadChannelName) {
    const json rough = {{"texture", "tex/rough.png"}, {"channel", "x"}};
    expectError(material(json::array({{{"type", "diffuse"}, {"roughness", rough}}})),
                "layers[0].roughness.channel",
                "unknown channel \"x\" (expected \"r\", \"g\", \"b\" or \"a\")");
    const json colour = {{"texture", "tex/base.png"}, {"channel", "r"}};
    expectError(material(json::array({{{"type", "diffuse"}, {"color", colour}}})),
                "layers[0].color.channel", "only scalar parameters pick a channel");
}

TEST_F(LayeredJsonErrors, ComplexIorConflicts) {
    expectError(material(json::array({{{"type", "conductor"},
                                       {"ior", {0.2, 0.3, 0.4}},
                                       {"extinction", {3, 2, 2}},
                                       {"f0", {1, 1, 1}}}})),
                "layers[0].f0", "cannot be given with \"ior\" and \"extinction\"");
    expectError(material(json::array({{{"type", "conductor"}, {"ior", {0.2, 0.3, 0.4}}}})),
                "layers[0].extinction", "required key is missing");
}

TEST_F(LayeredJsonErrors, BaseNormalTwice) {
    const json n = {{"texture", "tex/normal.png"}};
    expectError(material(json::array({{{"type", "diffuse"}, {"normal", n}},
                                      {{"type", "conductor"}, {"normal", n}}})),
                "layers[1].normal", "the base normal map is already given at layers[0].normal");
}

} // namespace
