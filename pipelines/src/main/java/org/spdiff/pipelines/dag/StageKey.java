package org.spdiff.pipelines.dag;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Content keys: {@code sha256(stage kind, canonical JSON of its parameters, upstream keys, format
 * version)}, hex, cut to 20 characters (80 bits). Equal keys mean equal artifacts, so a complete
 * key is never recomputed; any change to a stage's parameters or to anything upstream changes the
 * key.
 */
public final class StageKey {
  /** Canonical JSON: sorted properties and map keys, no whitespace. */
  public static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private StageKey() {}

  /**
   * The key of a stage.
   *
   * @param kind stage kind (also the store folder), e.g. {@code teacher}
   * @param params the stage's own parameters (a record or map; serialized canonically)
   * @param upstream keys of the stages it reads, in a fixed order
   * @param formatVersion bumped whenever the stage's output format or algorithm changes
   */
  public static String of(String kind, Object params, List<String> upstream, int formatVersion) {
    try {
      String canonical = CANONICAL.writeValueAsString(params);
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(kind, canonical, String.join(",", upstream), "v" + formatVersion)) {
        md.update(part.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 20);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot compute the key of stage " + kind, e);
    }
  }
}
