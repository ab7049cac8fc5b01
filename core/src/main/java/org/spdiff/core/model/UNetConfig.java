package org.spdiff.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The architecture of a {@link UNet}, validated on construction (every error names its field).
 * Serialised by Jackson as a JSON object with exactly these fields.
 *
 * <p>Level {@code l} has {@code baseChannels * channelMults[l]} channels and spatial size {@link
 * #levelSize(int)} ({@code imageSize} halved, rounding up, {@code l} times: 28, 14, 7); there is no
 * downsampling after the last level.
 *
 * @param inChannels channels of the input image (1 grayscale, 3 RGB, 4 SD latents)
 * @param outChannels channels of the prediction (usually {@code inChannels})
 * @param baseChannels channels of the first level
 * @param channelMults channel multiplier per level, at least one level
 * @param numResBlocks residual blocks per encoder level (the decoder has one more per level)
 * @param attentionResolutions level sizes with self-attention after each residual block (e.g. 7
 *     means the 7x7 level); the mid-block always has attention
 * @param attentionHeads heads of every attention block; must divide the channels it sees
 * @param dropout dropout rate inside residual blocks, in {@code [0, 1)}
 * @param groups GroupNorm groups; must divide every level's channel count
 * @param timeEmbedDim width of the timestep-embedding MLP and of the embedding fed to each block
 * @param timeSinusoidDim size of the sinusoidal timestep features (even)
 * @param numClasses classes of a conditional net, 0 if unconditional; a conditional net has an
 *     extra null class with id {@code numClasses}
 * @param imageSize nominal input height = width (fixes which levels attend; other sizes still run)
 */
public record UNetConfig(
    @JsonProperty("inChannels") int inChannels,
    @JsonProperty("outChannels") int outChannels,
    @JsonProperty("baseChannels") int baseChannels,
    @JsonProperty("channelMults") List<Integer> channelMults,
    @JsonProperty("numResBlocks") int numResBlocks,
    @JsonProperty("attentionResolutions") List<Integer> attentionResolutions,
    @JsonProperty("attentionHeads") int attentionHeads,
    @JsonProperty("dropout") double dropout,
    @JsonProperty("groups") int groups,
    @JsonProperty("timeEmbedDim") int timeEmbedDim,
    @JsonProperty("timeSinusoidDim") int timeSinusoidDim,
    @JsonProperty("numClasses") int numClasses,
    @JsonProperty("imageSize") int imageSize) {

  public UNetConfig {
    positive("inChannels", inChannels);
    positive("outChannels", outChannels);
    positive("baseChannels", baseChannels);
    if (channelMults == null || channelMults.isEmpty()) {
      throw new IllegalArgumentException("channelMults: at least one level is required");
    }
    channelMults = List.copyOf(channelMults);
    for (int i = 0; i < channelMults.size(); i++) {
      if (channelMults.get(i) < 1) {
        throw new IllegalArgumentException(
            "channelMults[" + i + "]: must be >= 1, got " + channelMults.get(i));
      }
    }
    positive("numResBlocks", numResBlocks);
    attentionResolutions =
        attentionResolutions == null ? List.of() : List.copyOf(new TreeSet<>(attentionResolutions));
    positive("attentionHeads", attentionHeads);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout: must be in [0, 1), got " + dropout);
    }
    positive("groups", groups);
    positive("timeEmbedDim", timeEmbedDim);
    if (timeSinusoidDim < 2 || timeSinusoidDim % 2 != 0) {
      throw new IllegalArgumentException(
          "timeSinusoidDim: must be even and >= 2, got " + timeSinusoidDim);
    }
    if (numClasses < 0) {
      throw new IllegalArgumentException("numClasses: must be >= 0, got " + numClasses);
    }
    positive("imageSize", imageSize);
    List<Integer> sizes = new ArrayList<>();
    int size = imageSize;
    for (int l = 0; l < channelMults.size(); l++) {
      int ch = baseChannels * channelMults.get(l);
      if (ch % groups != 0) {
        throw new IllegalArgumentException(
            "groups: level "
                + l
                + " has baseChannels * channelMults["
                + l
                + "] = "
                + ch
                + " channels, not divisible by groups = "
                + groups);
      }
      sizes.add(size);
      size = (size + 1) / 2;
    }
    for (int r : attentionResolutions) {
      int level = sizes.indexOf(r);
      if (level < 0) {
        throw new IllegalArgumentException(
            "attentionResolutions: " + r + " is not a level size of this net " + sizes);
      }
      checkHeads(baseChannels * channelMults.get(level), attentionHeads);
    }
    checkHeads(baseChannels * channelMults.get(channelMults.size() - 1), attentionHeads);
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + ": must be >= 1, got " + value);
    }
  }

  private static void checkHeads(int channels, int heads) {
    if (channels % heads != 0) {
      throw new IllegalArgumentException(
          "attentionHeads: " + heads + " heads do not divide " + channels + " channels");
    }
  }

  /** Number of resolution levels. */
  public int numLevels() {
    return channelMults.size();
  }

  /** Channels of level {@code l}. */
  public int levelChannels(int level) {
    return baseChannels * channelMults.get(level);
  }

  /** Spatial size of level {@code l} for an {@code imageSize} input (28, 14, 7 ...). */
  public int levelSize(int level) {
    int size = imageSize;
    for (int i = 0; i < level; i++) {
      size = (size + 1) / 2;
    }
    return size;
  }

  /** Whether level {@code l} has self-attention after each residual block. */
  public boolean attentionAt(int level) {
    return attentionResolutions.contains(levelSize(level));
  }

  /** Whether the net takes class labels. */
  public boolean conditional() {
    return numClasses > 0;
  }

  /** This config with another class count (0 = unconditional). */
  public UNetConfig withNumClasses(int classes) {
    return toBuilder().numClasses(classes).build();
  }

  /** This config with other input and output channel counts. */
  public UNetConfig withChannels(int in, int out) {
    return toBuilder().inChannels(in).outChannels(out).build();
  }

  /** This config with another dropout rate. */
  public UNetConfig withDropout(double rate) {
    return toBuilder().dropout(rate).build();
  }

  /**
   * This config for another image size, attending at the same levels as before (e.g. fmnist's 7x7
   * level becomes the 8x8 level at 32).
   */
  public UNetConfig withImageSize(int size) {
    Builder b = toBuilder().imageSize(size);
    UNetConfig probe = b.attentionResolutions(List.of()).build();
    List<Integer> attn = new ArrayList<>();
    for (int l = 0; l < numLevels(); l++) {
      if (attentionAt(l)) {
        attn.add(probe.levelSize(l));
      }
    }
    return b.attentionResolutions(attn).build();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .inChannels(inChannels)
        .outChannels(outChannels)
        .baseChannels(baseChannels)
        .channelMults(channelMults)
        .numResBlocks(numResBlocks)
        .attentionResolutions(attentionResolutions)
        .attentionHeads(attentionHeads)
        .dropout(dropout)
        .groups(groups)
        .timeEmbedDim(timeEmbedDim)
        .timeSinusoidDim(timeSinusoidDim)
        .numClasses(numClasses)
        .imageSize(imageSize);
  }

  /**
   * A builder; defaults: 1 channel in and out, base 32, mults (1, 2, 2), 1 residual block, no
   * attention below the mid-block, 1 head, no dropout, 8 groups, time embedding 128 from 32
   * sinusoids, unconditional, 28x28.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link UNetConfig}; {@link #build()} validates. */
  public static final class Builder {
    private int inChannels = 1;
    private int outChannels = 1;
    private int baseChannels = 32;
    private List<Integer> channelMults = List.of(1, 2, 2);
    private int numResBlocks = 1;
    private List<Integer> attentionResolutions = List.of();
    private int attentionHeads = 1;
    private double dropout = 0;
    private int groups = 8;
    private int timeEmbedDim = 128;
    private int timeSinusoidDim = 32;
    private int numClasses = 0;
    private int imageSize = 28;

    private Builder() {}

    public Builder inChannels(int v) {
      inChannels = v;
      return this;
    }

    public Builder outChannels(int v) {
      outChannels = v;
      return this;
    }

    public Builder baseChannels(int v) {
      baseChannels = v;
      return this;
    }

    public Builder channelMults(List<Integer> v) {
      channelMults = v;
      return this;
    }

    public Builder channelMults(Integer... v) {
      channelMults = List.of(v);
      return this;
    }

    public Builder numResBlocks(int v) {
      numResBlocks = v;
      return this;
    }

    public Builder attentionResolutions(List<Integer> v) {
      attentionResolutions = v;
      return this;
    }

    public Builder attentionResolutions(Integer... v) {
      attentionResolutions = List.of(v);
      return this;
    }

    public Builder attentionHeads(int v) {
      attentionHeads = v;
      return this;
    }

    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    public Builder groups(int v) {
      groups = v;
      return this;
    }

    public Builder timeEmbedDim(int v) {
      timeEmbedDim = v;
      return this;
    }

    public Builder timeSinusoidDim(int v) {
      timeSinusoidDim = v;
      return this;
    }

    public Builder numClasses(int v) {
      numClasses = v;
      return this;
    }

    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    /** Validates and builds (see the record's constructor for the rules). */
    public UNetConfig build() {
      return new UNetConfig(
          inChannels,
          outChannels,
          baseChannels,
          channelMults,
          numResBlocks,
          attentionResolutions,
          attentionHeads,
          dropout,
          groups,
          timeEmbedDim,
          timeSinusoidDim,
          numClasses,
          imageSize);
    }
  }
}
