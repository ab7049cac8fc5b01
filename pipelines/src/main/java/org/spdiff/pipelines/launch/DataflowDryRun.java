package org.spdiff.pipelines.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Builds the Dataflow job a pipeline would submit, without contacting Google Cloud.
 *
 * <p>The real {@link DataflowRunner} runs unchanged (option validation, runner v2 experiments,
 * transform overrides, portable proto, {@code DataflowPipelineTranslator} steps, worker pool and
 * container settings) with four substitutions that keep it off the network: credentials are {@link
 * NoopCredentialFactory}'s, gs:// paths are not checked ({@link NoopPathValidator}), files are
 * "staged" by {@link OfflineStager} (named, never uploaded), and {@code --templateLocation} points
 * at a local file, which makes the runner write the job JSON there and return before {@code
 * createJob}. The report lists the job's steps and the resource hints each carries.
 */
public final class DataflowDryRun {
  /** File name of the job JSON inside the work folder. */
  public static final String JOB_FILE = "dataflow-job.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DataflowDryRun() {}

  /**
   * One step of the job graph: a primitive transform of the portable pipeline (runner v2) or a step
   * of the v1 job JSON.
   *
   * @param name the step id (proto transform id, or v1 step name such as {@code s3})
   * @param kind the transform URN (runner v2) or the v1 step kind (e.g. {@code ParallelDo})
   * @param userName the full user name of the transform (e.g. {@code SumOfSquares/ParMultiDo(...)})
   * @param resourceHints decoded resource hints by URN; empty when the step carries none
   */
  public record Step(String name, String kind, String userName, Map<String, String> resourceHints) {
    /** True when this step asks for an accelerator. */
    public boolean hasAccelerator() {
      return resourceHints.containsKey(GpuHints.ACCELERATOR_URN);
    }
  }

  /**
   * What the dry run built.
   *
   * @param jobName the Dataflow job name
   * @param runnerV2 whether the job runs on Dataflow runner v2 (the graph is then the portable
   *     pipeline proto, staged next to the job; the v1 job JSON has no steps)
   * @param steps the primitive transforms of the portable pipeline proto the runner staged, with
   *     the resource hints of their environment (what runner v2 executes)
   * @param jobSteps the steps of the v1 job JSON with their {@code resource_hints} property (empty
   *     on runner v2; Dataflow honours resource hints on runner v2 only, and Beam 2.70's v1
   *     translation of a ParDo does not carry them)
   * @param jobEnvironment the job JSON's environment (experiments, service options, worker pools)
   * @param stagedFiles local files the runner would have uploaded
   * @param jobFile the job JSON written by the runner
   */
  public record Report(
      String jobName,
      boolean runnerV2,
      List<Step> steps,
      List<Step> jobSteps,
      JsonNode jobEnvironment,
      List<String> stagedFiles,
      Path jobFile) {
    /** The graph Dataflow executes: portable steps on runner v2, v1 job steps otherwise. */
    public List<Step> executedSteps() {
      return runnerV2 ? steps : jobSteps;
    }

    /** Executed steps that carry any resource hint. */
    public List<Step> stepsWithHints() {
      return executedSteps().stream()
          .filter(s -> !s.resourceHints().isEmpty())
          .collect(Collectors.toList());
    }

    /** A human-readable listing: one line per executed step, hints last. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      b.append("Dataflow job ")
          .append(jobName)
          .append(runnerV2 ? " (runner v2, portable graph)" : " (runner v1 job steps)")
          .append(": ")
          .append(executedSteps().size())
          .append(" steps\n");
      for (Step s : executedSteps()) {
        b.append("  ").append(s.userName()).append("  [").append(s.kind()).append(']');
        if (!s.resourceHints().isEmpty()) {
          b.append("  hints ").append(s.resourceHints());
        }
        b.append('\n');
      }
      b.append("experiments: ").append(jobEnvironment.path("experiments")).append('\n');
      b.append("service options: ").append(jobEnvironment.path("serviceOptions")).append('\n');
      for (JsonNode pool : jobEnvironment.path("workerPools")) {
        b.append("worker pool: machine ")
            .append(pool.path("machineType").asText("(default)"))
            .append(", disk ")
            .append(pool.path("diskSizeGb").asText("(default)"))
            .append(" GB, image ")
            .append(pool.path("workerHarnessContainerImage").asText())
            .append('\n');
      }
      b.append("would stage: ").append(stagedFiles).append('\n');
      b.append("job JSON: ").append(jobFile).append('\n');
      return b.toString();
    }
  }

  /**
   * Checks the Dataflow options a real launch needs and turns {@code options} into offline ones (in
   * place; they are the pipeline's options). Requires {@code --project}, {@code --region} and a
   * gs:// {@code --tempLocation} (or {@code --gcpTempLocation}).
   *
   * @throws IllegalArgumentException naming the first missing or malformed option
   */
  public static DataflowPipelineOptions offline(PipelineOptions options, Path workDir) {
    DataflowPipelineOptions df = options.as(DataflowPipelineOptions.class);
    // First, before any getter can run a default factory that reaches Google Cloud (the gs://
    // path validator checks buckets; the credential factory asks the metadata server).
    df.setCredentialFactoryClass(NoopCredentialFactory.class);
    df.setPathValidatorClass(NoopPathValidator.class);
    require(df.getProject(), "--project");
    require(df.getRegion(), "--region");
    String temp = df.getTempLocation();
    require(temp, "--tempLocation");
    if (!temp.startsWith("gs://")) {
      throw new IllegalArgumentException("--tempLocation must be a gs:// path, got " + temp);
    }
    df.setGcpTempLocation(temp);
    if (df.getStagingLocation() == null) {
      df.setStagingLocation(temp.replaceAll("/+$", "") + "/staging");
    }
    df.setRunner(DataflowRunner.class);
    df.setStager(new OfflineStager(df.getStagingLocation()));
    df.setTemplateLocation(workDir.toAbsolutePath().resolve(JOB_FILE).toString());
    df.setDataflowJobFile(null);
    if (df.getFilesToStage() == null) {
      // Without it the runner would stage the whole classpath; the real launch stages the thin jar.
      df.setFilesToStage(thisJar());
    }
    return df;
  }

  /**
   * Builds the Dataflow job of {@code pipeline} offline and reports its steps. The pipeline's
   * options are made offline first (see {@link #offline}); the pipeline should not be run
   * afterwards.
   *
   * <p>When the options name {@code --runner=DataflowRunner}, call {@link #offline} <em>before</em>
   * {@code Pipeline.create}: creating the pipeline constructs the runner, and the runner's option
   * defaults (the gs:// path validator, the credential factory) would otherwise go online.
   */
  public static Report run(Pipeline pipeline, Path workDir) {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataflowPipelineOptions options = offline(pipeline.getOptions(), workDir);
    OfflineStager stager = (OfflineStager) options.getStager();
    DataflowRunner.fromOptions(options).run(pipeline);
    Path jobFile = Path.of(options.getTemplateLocation());
    JsonNode job;
    try {
      job = JSON.readTree(jobFile.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the job JSON the runner wrote to " + jobFile, e);
    }
    List<Step> jobSteps = new ArrayList<>();
    for (JsonNode step : job.path("steps")) {
      JsonNode props = step.path("properties");
      Map<String, String> hints = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = props.path("resource_hints").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        hints.put(e.getKey(), percentDecode(text(e.getValue())));
      }
      jobSteps.add(
          new Step(
              step.path("name").asText(),
              step.path("kind").asText(),
              text(props.path("user_name")),
              Map.copyOf(hints)));
    }
    byte[] proto = stager.stagedBytes().get("pipeline.pb");
    if (proto == null) {
      throw new IllegalStateException("the runner staged no pipeline.pb: " + stager.stagedBytes());
    }
    boolean v2 =
        DataflowRunner.hasExperiment(options, "use_runner_v2")
            || DataflowRunner.hasExperiment(options, "use_unified_worker");
    return new Report(
        job.path("name").asText(),
        v2,
        portableSteps(proto),
        List.copyOf(jobSteps),
        job.path("environment"),
        stager.stagedFiles(),
        jobFile);
  }

  /**
   * Dry-runs the {@link ClusterSmokePipeline} with the given flags, e.g. {@code --project=p
   * --region=us-central1 --tempLocation=gs://b/tmp --output=gs://b/smoke.tsv
   * --gpuAccelerator=type:nvidia-l4;count:1;install-nvidia-driver}, and prints its steps.
   */
  public static void main(String[] args) throws IOException {
    ClusterSmokePipeline.Options options =
        PipelineOptionsFactory.fromArgs(args).as(ClusterSmokePipeline.Options.class);
    Path dir = Files.createTempDirectory("spdiff-dataflow-dry-run");
    // Before Pipeline.create: with --runner=DataflowRunner it constructs the runner, whose option
    // defaults would otherwise check the gs:// temp location online.
    offline(options, dir);
    Report report = run(ClusterSmokePipeline.build(options), dir);
    System.out.print(report.describe());
  }

  private static List<Step> portableSteps(byte[] pipelineProto) {
    RunnerApi.Pipeline proto;
    try {
      proto = RunnerApi.Pipeline.parseFrom(pipelineProto);
    } catch (IOException e) {
      throw new UncheckedIOException("the staged pipeline.pb does not parse", e);
    }
    Map<String, RunnerApi.Environment> envs = proto.getComponents().getEnvironmentsMap();
    List<Step> steps = new ArrayList<>();
    // Components are keyed by id; order the primitives by name for a stable listing.
    Map<String, RunnerApi.PTransform> transforms =
        new TreeMap<>(proto.getComponents().getTransformsMap());
    for (Map.Entry<String, RunnerApi.PTransform> e : transforms.entrySet()) {
      RunnerApi.PTransform t = e.getValue();
      if (t.getSubtransformsCount() > 0) {
        continue;
      }
      Map<String, String> hints = new TreeMap<>();
      RunnerApi.Environment env = envs.get(t.getEnvironmentId());
      if (env != null) {
        env.getResourceHintsMap()
            .forEach((urn, bytes) -> hints.put(urn, bytes.toString(StandardCharsets.UTF_8)));
      }
      steps.add(new Step(e.getKey(), t.getSpec().getUrn(), t.getUniqueName(), Map.copyOf(hints)));
    }
    steps.sort((a, b) -> a.userName().compareTo(b.userName()));
    return List.copyOf(steps);
  }

  private static List<String> thisJar() {
    try {
      File source =
          new File(
              DataflowDryRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return source.isFile() ? List.of(source.getPath()) : List.of();
    } catch (URISyntaxException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * A v1 property value: plain, or wrapped as a cloud object {@code {"@type": ..., "value": v}}.
   */
  private static String text(JsonNode node) {
    return node.has("value") ? node.path("value").asText() : node.asText();
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void require(String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + " is required for a Dataflow launch");
    }
  }
}
