package org.spdiff.pipelines.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.pipelines.cli.CliOptions;
import org.spdiff.pipelines.cli.Command;
import org.spdiff.pipelines.prepare.records.RecordShards;

/** {@code spdiff prepare}: raw data set to record shards, then a summary. */
public final class PrepareCommand implements Command {
  private final PrintStream out;

  public PrepareCommand() {
    this(System.out);
  }

  public PrepareCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "prepare";
  }

  @Override
  public String summary() {
    return "turn raw data sets (IDX, image folders, CIFAR-10) into record shards + manifest";
  }

  @Override
  public Class<? extends PipelineOptions> optionsClass() {
    return PrepareOptions.class;
  }

  @Override
  public int run(List<String> positionals, String[] flags) throws Exception {
    long start = System.nanoTime();
    PrepareOptions options = CliOptions.parse(flags, PrepareOptions.class);
    PreparePipeline.Built built = PreparePipeline.build(options);
    PipelineResult.State state;
    try {
      state = built.pipeline().run().waitUntilFinish();
    } catch (RuntimeException e) {
      built.prepare().cleanUp();
      throw e;
    }
    if (state != PipelineResult.State.DONE) {
      built.prepare().cleanUp();
      throw new IllegalStateException("pipeline ended in state " + state);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    printSummary(RecordShards.manifest(options.getOutput()), options.getOutput(), seconds);
    return 0;
  }

  private void printSummary(JsonNode m, String output, double seconds) {
    out.printf(
        "prepared %s -> %s (%dx%d, %d channel%s)%n",
        m.path("sourceFormat").asText(),
        output,
        m.path("resolution").asInt(),
        m.path("resolution").asInt(),
        m.path("channels").asInt(),
        m.path("channels").asInt() == 1 ? "" : "s");
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("splits").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> s = it.next();
      out.printf(
          "  %-8s %8d records in %d shard(s)%n",
          s.getKey(), s.getValue().path("count").asLong(), s.getValue().path("shards").size());
    }
    JsonNode dead = m.path("deadLetters");
    out.printf("  dead letters: %d", dead.path("count").asLong());
    if (dead.path("count").asLong() > 0) {
      StringBuilder b = new StringBuilder();
      dead.path("byReason")
          .fields()
          .forEachRemaining(
              e ->
                  b.append(b.length() == 0 ? "" : ", ")
                      .append(e.getKey())
                      .append('=')
                      .append(e.getValue().asLong()));
      out.printf(" (%s) in %s/%s", b, output, WriteDeadLetters.FILE);
    }
    out.println();
    out.printf("  content hash: %s%n", m.path("contentHash").asText());
    out.printf("  wall time: %.1f s%n", seconds);
  }
}
