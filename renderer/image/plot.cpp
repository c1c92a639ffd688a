#include "plot.h"

#include "image.h"
#include "image_io.h"
#include "neural/core/error.h"

#include <stb/stb_easy_font.h>

#include <algorithm>
#include <cmath>

namespace nerva {
namespace {

struct Canvas {
    ImageRGBA32F img;
    void set(int x, int y, const std::array<float, 3>& c) {
        if (x < 0 || y < 0 || x >= int(img.width) || y >= int(img.height)) return;
        float* t = img.at(uint32_t(x), uint32_t(y));
        t[0] = c[0], t[1] = c[1], t[2] = c[2], t[3] = 1.0f;
    }
    // Thick line by stamping a small square along a DDA walk.
    void line(double x0, double y0, double x1, double y1, const std::array<float, 3>& c,
              int thick) {
        const int steps = int(std::max(std::abs(x1 - x0), std::abs(y1 - y0))) + 1;
        for (int i = 0; i <= steps; ++i) {
            const double t = double(i) / steps;
            const int x = int(std::lround(x0 + (x1 - x0) * t)),
                      y = int(std::lround(y0 + (y1 - y0) * t));
            for (int dy = -thick / 2; dy <= thick / 2; ++dy)
                for (int dx = -thick / 2; dx <= thick / 2; ++dx)
                    set(x + dx, y + dy, c);
        }
    }
    // stb_easy_font emits quads (4 vertices of x, y, z, colour) at 1 unit per
    // pixel; scale 2 keeps labels readable.
    void text(double x, double y, const std::string& s, const std::array<float, 3>& c,
              int scale = 2) {
        static char buffer[60000];
        std::string copy = s;
        const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, buffer, sizeof buffer);
        const float* v = reinterpret_cast<const float*>(buffer);
        for (int q = 0; q < quads; ++q) {
            const float* a = v + q * 16; // 4 vertices * (x, y, z, rgba as float-sized)
            const int qx0 = int(a[0]), qy0 = int(a[1]), qx1 = int(a[8]), qy1 = int(a[9]);
            for (int py = qy0 * scale; py < qy1 * scale; ++py)
                for (int px = qx0 * scale; px < qx1 * scale; ++px)
                    set(int(x) + px, int(y) + py, c);
        }
    }
};

std::string decadeLabel(int e) {
    if (e >= 0 && e <= 4) return std::to_string(int(std::pow(10, e)));
    return "1e" + std::to_string(e);
}

} // namespace

void writeLogLogPlot(const std::string& path, const std::vector<PlotSeries>& series,
                     const std::string& title, const std::string& xLabel, const std::string& yLabel,
                     int width, int height) {
    double xmin = 1e300, xmax = 0, ymin = 1e300, ymax = 0;
    for (const PlotSeries& s : series)
        for (auto [x, y] : s.points)
            if (x > 0 && y > 0 && std::isfinite(x) && std::isfinite(y))
                xmin = std::min(xmin, x), xmax = std::max(xmax, x), ymin = std::min(ymin, y),
                ymax = std::max(ymax, y);
    if (!(xmax > 0)) throw errorAt(path, "plot has no positive finite points");
    // Whole decades around the data.
    const int ex0 = int(std::floor(std::log10(xmin))),
              ex1 = std::max(ex0 + 1, int(std::ceil(std::log10(xmax))));
    const int ey0 = int(std::floor(std::log10(ymin))),
              ey1 = std::max(ey0 + 1, int(std::ceil(std::log10(ymax))));
    const double left = 90, right = width - 50, top = 56, bottom = height - 60;
    auto px = [&](double x) { return left + (std::log10(x) - ex0) / (ex1 - ex0) * (right - left); };
    auto py = [&](double y) {
        return bottom - (std::log10(y) - ey0) / (ey1 - ey0) * (bottom - top);
    };

    Canvas c{ImageRGBA32F(uint32_t(width), uint32_t(height))};
    std::fill(c.img.texels.begin(), c.img.texels.end(), 1.0f);
    const std::array<float, 3> grid{0.85f, 0.85f, 0.85f}, ink{0.1f, 0.1f, 0.1f};
    for (int e = ex0; e <= ex1; ++e) {
        c.line(px(std::pow(10, e)), top, px(std::pow(10, e)), bottom, grid, 1);
        c.text(px(std::pow(10, e)) - 10, bottom + 8, decadeLabel(e), ink);
    }
    for (int e = ey0; e <= ey1; ++e) {
        c.line(left, py(std::pow(10, e)), right, py(std::pow(10, e)), grid, 1);
        c.text(8, py(std::pow(10, e)) - 6, decadeLabel(e), ink);
    }
    c.line(left, bottom, right, bottom, ink, 1);
    c.line(left, top, left, bottom, ink, 1);
    c.text(left, 10, title, ink);
    c.text((left + right) / 2 - 40, height - 28, xLabel, ink);
    c.text(8, top - 30, yLabel, ink);
    for (size_t i = 0; i < series.size(); ++i) {
        const PlotSeries& s = series[i];
        for (size_t k = 0; k + 1 < s.points.size(); ++k)
            c.line(px(s.points[k].first), py(s.points[k].second), px(s.points[k + 1].first),
                   py(s.points[k + 1].second), s.color, 3);
        for (auto [x, y] : s.points)
            c.line(px(x) - 4, py(y), px(x) + 4, py(y), s.color, 5);
        c.line(right - 170, top + 14 + 22 * double(i), right - 140, top + 14 + 22 * double(i),
               s.color, 3);
        c.text(right - 130, top + 8 + 22 * double(i), s.name, ink);
    }
    // The canvas holds display values already.
    writeDisplayImage(path, c.img);
}

} // namespace nerva
