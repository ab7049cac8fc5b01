package org.spdiff.core.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.spdiff.core.checkpoint.Checkpoint;
import org.spdiff.core.model.UNet;
import org.spdiff.core.model.UNetConfig;

/** Network factories and checkpoint loading for the UNet. */
public final class Nets {
  private Nets() {}

  /** A factory of {@link UNet}s of one config. */
  public static NetFactory unet(UNetConfig config) {
    return new NetFactory() {
      @Override
      public UNet create(NDManager manager, long seed) {
        return UNet.create(config, manager, seed);
      }

      @Override
      public JsonNode config() {
        return Checkpoint.json().valueToTree(config);
      }
    };
  }

  /** The UNet config stored in a checkpoint. */
  public static UNetConfig unetConfig(Checkpoint ck) {
    JsonNode n = ck.manifest().netConfig();
    if (n == null) {
      throw new IllegalArgumentException("checkpoint " + ck.dir() + " has no network config");
    }
    try {
      return Checkpoint.json().treeToValue(n, UNetConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "checkpoint " + ck.dir() + " has an unreadable UNet config: " + e.getMessage(), e);
    }
  }

  /**
   * A frozen UNet with a checkpoint's weights ({@code ema}: the EMA weights), for sampling or as
   * the perceptual network. Parameters live in {@code manager}.
   */
  public static UNet load(Checkpoint ck, boolean ema, NDManager manager) {
    UNet net = UNet.create(unetConfig(ck), manager, 0);
    net.freezeParameters(true);
    ck.loadInto(net, ema);
    return net;
  }

  /** A {@link TrainConfig} stored in a checkpoint. */
  public static TrainConfig trainConfig(Checkpoint ck) {
    try {
      return Checkpoint.json().treeToValue(ck.manifest().trainConfig(), TrainConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "checkpoint " + ck.dir() + " has an unreadable train config: " + e.getMessage(), e);
    }
  }
}
