package org.spdiff.pipelines.launch;

import com.google.api.services.dataflow.model.DataflowPackage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.dataflow.util.PackageUtil;
import org.apache.beam.runners.dataflow.util.Stager;

/**
 * A Dataflow {@link Stager} that uploads nothing: it names each file where the real stager would
 * put it under the staging location and keeps what the runner stages from memory (the portable
 * pipeline proto) so the dry run can read it back.
 */
final class OfflineStager implements Stager {
  private final String stagingLocation;
  private final List<String> stagedFiles = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, byte[]> stagedBytes =
      Collections.synchronizedMap(new LinkedHashMap<>());

  OfflineStager(String stagingLocation) {
    this.stagingLocation = stagingLocation.endsWith("/") ? stagingLocation : stagingLocation + "/";
  }

  @Override
  public List<DataflowPackage> stageFiles(List<PackageUtil.StagedFile> files) {
    List<DataflowPackage> packages = new ArrayList<>();
    for (PackageUtil.StagedFile file : files) {
      stagedFiles.add(file.getSource());
      packages.add(
          new DataflowPackage()
              .setName(file.getDestination())
              .setLocation(stagingLocation + file.getDestination()));
    }
    return packages;
  }

  @Override
  public DataflowPackage stageToFile(byte[] bytes, String baseName) {
    stagedBytes.put(baseName, bytes.clone());
    return new DataflowPackage().setName(baseName).setLocation(stagingLocation + baseName);
  }

  /** Local paths the runner asked to stage. */
  List<String> stagedFiles() {
    return List.copyOf(stagedFiles);
  }

  /** Bytes the runner staged from memory, by file name (e.g. {@code pipeline.pb}). */
  Map<String, byte[]> stagedBytes() {
    return Map.copyOf(stagedBytes);
  }
}
