package org.spdiff.pipelines.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spdiff.pipelines.cli.Spdiff;
import org.spdiff.pipelines.experiment.ExperimentFilesTest;

/** {@code spdiff run} as a user meets it: bad input fails before any work, with one clear line. */
class ExperimentCommandTest {
  @TempDir Path dir;

  record Result(int status, String out, String err) {}

  static Result spdiff(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true);
    PrintStream e = new PrintStream(err, true);
    PrintStream stdout = System.out;
    System.setOut(o);
    int status;
    try {
      status = Spdiff.standard().execute(args, o, e);
    } finally {
      System.setOut(stdout);
    }
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpListsEveryCommandAndItsFlags() {
    Result top = spdiff("--help");
    assertEquals(0, top.status());
    for (String c :
        new String[] {
          "run", "train", "sample", "score", "report", "prepare", "fid", "stats", "is"
        }) {
      assertTrue(top.out().contains("  " + c + " "), c + " missing from:\n" + top.out());
    }
    Result run = spdiff("run", "--help");
    assertTrue(run.out().contains("--store=<String>"), run.out());
    assertTrue(run.out().contains("--gpuAccelerator=<String>"), run.out());
    assertTrue(run.out().contains("(default: false)"), run.out());
  }

  @Test
  void aWrongExperimentFailsBeforeAnyWork() throws Exception {
    Path exp = dir.resolve("bad.yaml");
    Files.writeString(
        exp, ExperimentFilesTest.BASE.replace("tPrime: uniform}", "tPrime: unifrom}"));
    Path store = dir.resolve("store");
    Result r = spdiff("run", exp.toString(), "--store=" + store);
    assertEquals(2, r.status());
    assertTrue(r.err().contains("variants[1].tPrime") && r.err().contains("unifrom"), r.err());
    assertFalse(Files.exists(store), "nothing may be written for a bad experiment");
  }

  @Test
  void anUnwritableStoreFailsNamingIt() throws Exception {
    Path exp = dir.resolve("ok.yaml");
    Files.writeString(exp, ExperimentFilesTest.BASE);
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Result r =
        spdiff("run", exp.toString(), "--store=" + file.resolve("store"), "--runner=DirectRunner");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("is not writable") && r.err().contains("a-file"), r.err());
    assertTrue(
        r.err().contains("--store=" + file.resolve("store") + ": the artifact store"), r.err());

    Path inFile = dir.resolve("in-file.yaml");
    Files.writeString(inFile, ExperimentFilesTest.BASE + "store: " + file.resolve("s") + "\n");
    Result f = spdiff("run", inFile.toString(), "--runner=DirectRunner");
    assertEquals(2, f.status());
    assertTrue(
        f.err().contains(inFile + ": store: the artifact store " + file.resolve("s")), f.err());
  }

  @Test
  void unknownFlagsAndCommandsAreUsageErrors() {
    Result flag = spdiff("run", "x.yaml", "--noSuchFlag=1");
    assertEquals(2, flag.status());
    assertTrue(flag.err().contains("noSuchFlag"), flag.err());
    Result cmd = spdiff("trian");
    assertEquals(2, cmd.status());
    assertTrue(cmd.err().contains("unknown command 'trian'"), cmd.err());
  }

  @Test
  void planOnlyShowsKeysAndDoesNoWork() throws Exception {
    Path exp = dir.resolve("ok.yaml");
    Files.writeString(exp, ExperimentFilesTest.BASE);
    Result r =
        spdiff(
            "run",
            exp.toString(),
            "--store=" + dir.resolve("s"),
            "--planOnly=true",
            "--estimate=false");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("teacher") && r.out().contains("todo"), r.out());
    // prepare, features, refstats, teacher, 2 variants, 4 cells x (generate, score), 2 comparisons
    // (the self-perceptual arm against the control at both CFG scales), report.
    assertEquals(
        4 + 2 + 4 * 2 + 2 + 1, r.out().lines().filter(l -> l.startsWith("  ")).count(), r.out());
    assertTrue(r.out().contains("compare") && r.out().contains("sp vs mse"), r.out());
  }

  @Test
  void planOnlyEstimatesFromACalibrationItCachesPerMachine() throws Exception {
    Path tiny =
        Path.of(System.getProperty("user.dir")).getParent().resolve("experiments/tiny.yaml");
    Path cache = dir.resolve("cache");
    String[] args = {
      "run",
      tiny.toString(),
      "--store=" + dir.resolve("s"),
      "--planOnly=true",
      "--cacheDir=" + cache,
      "--threadsPerWorker=1"
    };
    Result first = spdiff(args);
    assertEquals(0, first.status(), first.err());
    // Every stage line carries a time; tiny.yaml: prepare, features, refstats, teacher, 2
    // variants, 4 cells x (generate, score), 2 comparisons, report.
    List<String> stages = first.out().lines().filter(l -> l.startsWith("  ")).toList();
    assertEquals(4 + 2 + 4 * 2 + 2 + 1, stages.size(), first.out());
    for (String l : stages) {
      assertTrue(l.matches("  \\S+ +[0-9a-f]{20}  todo +\\d+(h\\d\\dm|m\\d\\ds|s)  .*"), l);
    }
    assertTrue(first.out().contains("estimate: "), first.out());
    assertTrue(first.out().contains("calibration: measured 6 workload(s)"), first.out());
    List<Path> files;
    try (var s = Files.list(cache.resolve("estimate"))) {
      files = s.toList();
    }
    assertEquals(1, files.size(), files.toString());
    String json = Files.readString(files.get(0));
    assertTrue(json.contains("sample|tiny|16x16x1|c10|b16|cfg"), json);
    assertTrue(json.contains("train|tiny|16x16x1|c10|b16|mse"), json);

    Result second = spdiff(args);
    assertEquals(0, second.status(), second.err());
    assertTrue(second.out().contains("calibration: cached"), second.out());
    assertFalse(second.out().contains("calibration: measured"), "the second call measures nothing");
    assertEquals(json, Files.readString(files.get(0)), "and leaves the cache as it was");
    assertEquals(
        first.out().lines().filter(l -> l.startsWith("estimate: ")).toList(),
        second.out().lines().filter(l -> l.startsWith("estimate: ")).toList(),
        "the same cached rates give the same estimate");
  }
}
