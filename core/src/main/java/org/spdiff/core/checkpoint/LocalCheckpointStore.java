package org.spdiff.core.checkpoint;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A {@link CheckpointStore} over a local directory: temp file in the same folder + atomic rename.
 */
public final class LocalCheckpointStore implements CheckpointStore {
  private static final String TMP_PREFIX = ".tmp-";
  private final Path root;

  public LocalCheckpointStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  private Path resolve(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new IllegalArgumentException("bad checkpoint name '" + name + "'");
    }
    return p;
  }

  @Override
  public void put(String name, byte[] content) throws IOException {
    Path target = resolve(name);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), TMP_PREFIX, ".part");
    try {
      Files.write(tmp, content);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Optional<byte[]> get(String name) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(resolve(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<String> list() throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith(TMP_PREFIX))
          .forEach(p -> names.add(root.relativize(p).toString().replace('\\', '/')));
    }
    return names;
  }

  @Override
  public String describe(String name) {
    return resolve(name).toString();
  }
}
