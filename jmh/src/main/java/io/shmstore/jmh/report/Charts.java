package io.shmstore.jmh.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The report's bar charts: one group of bars per category, one bar per series. */
final class Charts {
    private Charts() {
    }

    /**
     * Draws {@code series} (name, then category to value) over {@code categories} into {@code png}; on a
     * log scale the axis runs between powers of ten around the values. A {@code target} above zero is
     * drawn as a line across the groups, named {@code targetName}. Nothing is drawn without categories.
     */
    static void bars(String title, String yTitle, boolean log, List<String> categories, Map<String, Map<String, Double>> series,
                     double target, String targetName, Path png) throws IOException {
        if (categories.isEmpty()) {
            return;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700).title(title).xAxisTitle("")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisLogarithmic(log);
        chart.getStyler().setOverlapped(false);
        double min = Double.MAX_VALUE;
        double max = log ? 1 : 0;
        for (Map.Entry<String, Map<String, Double>> s : series.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String c : categories) {
                double y = s.getValue().getOrDefault(c, log ? 1.0 : 0.0);
                y = log ? Math.max(1.0, y) : y;
                ys.add(y);
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
            chart.addSeries(s.getKey(), categories, ys);
        }
        if (target > 0) {
            List<Double> ys = new ArrayList<>();
            categories.forEach(c -> ys.add(target));
            chart.addSeries(targetName, categories, ys).setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
            max = Math.max(max, target);
        }
        if (log) {
            chart.getStyler().setYAxisMin(Math.max(1, Math.pow(10, Math.floor(Math.log10(min)))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        } else {
            chart.getStyler().setYAxisMin(0.0);
            chart.getStyler().setYAxisMax(max * 1.1);
        }
        ChartEncoder.saveChart(chart, png.toString(), "png");
    }
}
