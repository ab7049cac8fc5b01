package org.spdiff.pipelines.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes all dead letters, sorted by source, as JSON lines to {@code
 * dead-letters/dead-letters.jsonl} under {@code dir} (always written, possibly empty) and emits one
 * map of counts by reason.
 *
 * <p>Each line: {@code {"source", "reason", "error", "size", "firstBytesBase64"}}.
 */
public final class WriteDeadLetters
    extends PTransform<PCollection<DeadLetter>, PCollection<Map<String, Long>>> {
  /** Path of the dead-letter file relative to the output directory. */
  public static final String FILE = "dead-letters/dead-letters.jsonl";

  private final String dir;

  public WriteDeadLetters(String dir) {
    this.dir = dir;
  }

  @Override
  public PCollection<Map<String, Long>> expand(PCollection<DeadLetter> letters) {
    return letters
        .apply("CollectDeadLetters", Combine.globally(new CollectFn<DeadLetter>()))
        .apply("WriteDeadLetterFile", ParDo.of(new WriteFn(dir)))
        .setCoder(MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }

  static final class WriteFn extends DoFn<List<DeadLetter>, Map<String, Long>> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String dir;

    WriteFn(String dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element List<DeadLetter> letters, OutputReceiver<Map<String, Long>> out)
        throws IOException {
      List<DeadLetter> sorted = new ArrayList<>(letters);
      sorted.sort(
          Comparator.comparing(DeadLetter::source)
              .thenComparing(DeadLetter::reason)
              .thenComparing(DeadLetter::error));
      TreeMap<String, Long> counts = new TreeMap<>();
      StringBuilder text = new StringBuilder();
      for (DeadLetter d : sorted) {
        ObjectNode line = JSON.createObjectNode();
        line.put("source", d.source());
        line.put("reason", d.reason());
        line.put("error", d.error());
        line.put("size", d.size());
        line.put("firstBytesBase64", d.firstBytesBase64());
        text.append(JSON.writeValueAsString(line)).append('\n');
        counts.merge(d.reason(), 1L, Long::sum);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      PrepareFiles.writeAtomically(PrepareFiles.join(dir, FILE), o -> o.write(bytes));
      out.output(counts);
    }
  }
}
