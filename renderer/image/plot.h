// Minimal line plots written as PNG, for benchmark reports (RMSE versus
// samples or time): log-log axes with decade grid lines, one polyline per
// series, a legend and axis labels drawn with stb_easy_font.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace nerva {

struct PlotSeries {
    std::string name;
    std::array<float, 3> color;                    // linear RGB in [0, 1]
    std::vector<std::pair<double, double>> points; // (x, y), both > 0
};

// Writes a width x height PNG (atomically). Throws nerva::Error when there is
// nothing positive to plot or the file cannot be written.
void writeLogLogPlot(const std::string& path, const std::vector<PlotSeries>& series,
                     const std::string& title, const std::string& xLabel, const std::string& yLabel,
                     int width = 640, int height = 440);

} // namespace nerva
