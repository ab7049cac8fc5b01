package org.spdiff.core.testing;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.spdiff.core.model.DiffusionNet;
import org.spdiff.core.model.FeatureLayers;
import org.spdiff.core.train.NetFactory;

/**
 * A stand-in {@link DiffusionNet} for fast tests: {@code h = SiLU(conv1(x) + temb(t) [+
 * cemb(label)])}, {@code out = conv2(h)}; the mid feature is {@code h}.
 */
public final class TinyNet implements DiffusionNet {
  private final SequentialBlock container = new SequentialBlock();
  private final Block conv1;
  private final Block conv2;
  private final Block temb;
  private final Block cemb;
  private final int hidden;
  private final int channels;
  private final int numClasses;

  private TinyNet(int channels, int hidden, int numClasses) {
    this.hidden = hidden;
    this.numClasses = numClasses;
    conv1 =
        Conv2d.builder()
            .setKernelShape(new Shape(3, 3))
            .optPadding(new Shape(1, 1))
            .setFilters(hidden)
            .build();
    // Computed with a whole block of 16 filters and cut to `channels`: libtorch's oneDNN kernels
    // read uninitialised memory with fewer output channels (see ConvLayer).
    this.channels = channels;
    conv2 =
        Conv2d.builder()
            .setKernelShape(new Shape(3, 3))
            .optPadding(new Shape(1, 1))
            .setFilters(16)
            .build();
    temb = Linear.builder().setUnits(hidden).build();
    cemb = numClasses > 0 ? Linear.builder().setUnits(hidden).optBias(false).build() : null;
    container.add(conv1).add(conv2).add(temb);
    if (cemb != null) {
      container.add(cemb);
    }
  }

  public static TinyNet create(
      NDManager m, int channels, int size, int hidden, int numClasses, long seed) {
    TinyNet n = new TinyNet(channels, hidden, numClasses);
    Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
    n.conv1.initialize(m, DataType.FLOAT32, new Shape(1, channels, size, size));
    n.conv2.initialize(m, DataType.FLOAT32, new Shape(1, hidden, size, size));
    n.temb.initialize(m, DataType.FLOAT32, new Shape(1, 2));
    if (n.cemb != null) {
      n.cemb.initialize(m, DataType.FLOAT32, new Shape(1, numClasses + 1));
    }
    return n;
  }

  public static NetFactory factory(int channels, int size, int hidden, int numClasses) {
    return new NetFactory() {
      @Override
      public DiffusionNet create(NDManager manager, long seed) {
        return TinyNet.create(manager, channels, size, hidden, numClasses, seed);
      }

      @Override
      public JsonNode config() {
        return JsonNodeFactory.instance
            .objectNode()
            .put("kind", "tiny-test-net")
            .put("channels", channels)
            .put("size", size)
            .put("hidden", hidden)
            .put("numClasses", numClasses);
      }
    };
  }

  private NDArray hiddenAct(ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean tr) {
    NDManager m = xt.getManager();
    int n = Math.toIntExact(xt.getShape().get(0));
    NDArray tf = t.toType(DataType.FLOAT32, false).div(1000f).reshape(n, 1);
    NDArray tin = tf.concat(tf.square(), 1);
    NDArray h = conv1.forward(ps, new NDList(xt), tr).singletonOrThrow();
    NDArray e = temb.forward(ps, new NDList(tin), tr).singletonOrThrow();
    if (cemb != null) {
      NDArray ids = labels != null ? labels : m.full(new Shape(n), numClasses, DataType.INT64);
      NDArray oh = ids.oneHot(numClasses + 1).toType(DataType.FLOAT32, false);
      e = e.add(cemb.forward(ps, new NDList(oh), tr).singletonOrThrow());
    }
    h = h.add(e.reshape(n, hidden, 1, 1));
    return h.mul(h.getNDArrayInternal().sigmoid());
  }

  @Override
  public NDArray predict(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
    NDArray h = hiddenAct(ps, xt, t, labels, training);
    return out(ps, h, training);
  }

  @Override
  public NDList features(
      ParameterStore ps,
      NDArray xt,
      NDArray t,
      NDArray labels,
      FeatureLayers layers,
      boolean training) {
    NDArray h = hiddenAct(ps, xt, t, labels, training);
    if (layers == FeatureLayers.ALL) {
      return new NDList(h, out(ps, h, training));
    }
    return new NDList(h);
  }

  private NDArray out(ParameterStore ps, NDArray h, boolean training) {
    return conv2
        .forward(ps, new NDList(h), training)
        .singletonOrThrow()
        .get(new ai.djl.ndarray.index.NDIndex(":, 0:" + channels));
  }

  @Override
  public Block block() {
    return container;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }
}
