package org.spdiff.pipelines.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * JSON of scores and comparisons as the store keeps them ({@code score.json}, {@code
 * comparison.json}): non-finite numbers allowed (NaN marks a statistic not computed), derived
 * properties such as {@code note} ignored when read back.
 */
public final class ReportJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Writes indented JSON. */
  public static final ObjectWriter WRITER =
      MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

  /** Reads what {@link #WRITER} wrote. */
  public static final ObjectReader READER = MAPPER.reader();

  private ReportJson() {}
}
