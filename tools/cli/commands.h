// Subcommands of the `nerva` tool. Each takes the arguments after its name and
// returns the process exit code: 0 success, 1 a check failed (e.g. compare
// thresholds), 2 bad input or usage. nerva::Error escaping a command is caught
// in main() and printed as one line, exit code 2.
#pragma once

#include <string>
#include <vector>

namespace nerva::cli {

using Args = std::vector<std::string>;

int cmdRender(const Args& args);
int cmdCompare(const Args& args);
int cmdInfo(const Args& args);
int cmdBench(const Args& args);
int cmdBake(const Args& args);
int cmdFit(const Args& args);

// `nerva info FILE.json`: prints a layered material (info_material.cpp).
int infoLayeredMaterial(const std::string& path);

// `nerva info FILE.nmat`: prints a neural material (info_nmat.cpp).
int infoNeuralMaterial(const std::string& path);

// `nerva info FILE.ntri`: prints a tri-plane field (info_ntri.cpp).
int infoTriplaneField(const std::string& path);

} // namespace nerva::cli
