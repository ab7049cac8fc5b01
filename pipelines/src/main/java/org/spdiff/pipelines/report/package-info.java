/**
 * The study's report: {@link org.spdiff.pipelines.report.CellScore} rows and {@link
 * org.spdiff.pipelines.report.ReportWriter}, which renders {@code table.md}, {@code table.csv},
 * {@code scores.json} and a self-contained {@code report.html} (sample grids, FID-vs-CFG and loss
 * plots as inline SVG).
 */
package org.spdiff.pipelines.report;
