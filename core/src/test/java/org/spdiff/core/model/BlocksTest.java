package org.spdiff.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The building blocks against direct computations. */
class BlocksTest {
  private NDManager manager;
  private ParameterStore ps;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    ps = new ParameterStore(manager, false);
    Engine.getInstance().setRandomSeed(7);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private static <B extends ModelBlock> B init(B block, NDManager m, long seed) {
    ModelBlock.assignInitializers(block, seed);
    block.initialize(m, DataType.FLOAT32);
    return block;
  }

  @Test
  void groupNormMatchesMeanAndVarianceOverEachGroup() {
    GroupNorm norm = init(new GroupNorm(2, 4), manager, 0);
    NDArray x = manager.randomNormal(3, 2, new Shape(2, 4, 3, 5), DataType.FLOAT32);
    NDArray y = norm.forward(ps, x, false);
    // Reference: mean/var over (C/G, H, W) of each group.
    NDArray g = x.reshape(2, 2, 2 * 15);
    NDArray mean = g.mean(new int[] {2}, true);
    NDArray var = g.sub(mean).square().mean(new int[] {2}, true);
    NDArray expected = g.sub(mean).div(var.add(GroupNorm.EPS).sqrt()).reshape(2, 4, 3, 5);
    assertTrue(y.sub(expected).abs().max().getFloat() < 1e-5f);
    // Per-channel affine: weight 2 and bias 1 on every channel.
    norm.getDirectParameters().get("weight").getArray().set(new float[] {2, 2, 2, 2});
    norm.getDirectParameters().get("bias").getArray().set(new float[] {1, 1, 1, 1});
    NDArray z = norm.forward(ps, x, false);
    assertTrue(z.sub(expected.mul(2).add(1)).abs().max().getFloat() < 1e-5f);
  }

  @Test
  void upsampleIsNearestNeighbour() {
    NDArray x = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
    NDArray y = Upsample.nearest(x, 4, 4);
    assertArrayEquals(
        new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.toFloatArray(), 0f);
    assertEquals(new Shape(1, 1, 3, 3), Upsample.nearest(x, 3, 3).getShape());
  }

  @Test
  void downsampleHalvesRoundingUp() {
    Downsample down = init(new Downsample(2), manager, 0);
    for (int[] sizes : new int[][] {{28, 14}, {14, 7}, {7, 4}, {32, 16}}) {
      NDArray x = manager.zeros(new Shape(1, 2, sizes[0], sizes[0]));
      assertEquals(new Shape(1, 2, sizes[1], sizes[1]), down.forward(ps, x, false).getShape());
    }
  }

  @Test
  void timestepFeaturesAreCosinesThenSines() {
    NDArray t = manager.create(new long[] {0, 3});
    NDArray f = TimestepEmbedding.sinusoidal(t, 4);
    assertEquals(new Shape(2, 4), f.getShape());
    // freqs = 10000^(-i/2), i = 0, 1: 1 and 0.01.
    float[] expected = {
      1,
      1,
      0,
      0,
      (float) Math.cos(3),
      (float) Math.cos(0.03),
      (float) Math.sin(3),
      (float) Math.sin(0.03)
    };
    assertArrayEquals(expected, f.toFloatArray(), 1e-6f);
  }

  @Test
  void attentionMatchesASingleHeadReference() {
    SelfAttention attn = init(new SelfAttention(4, 1, 2), manager, 3);
    UNetTest.randomizeConstants(attn, 4);
    NDArray x = manager.randomNormal(0, 1, new Shape(2, 4, 3, 3), DataType.FLOAT32);
    NDArray y = attn.forward(ps, x, false);
    // Reference: tokens [N, L, C]; q, k, v by matrix products with the 1x1 kernels.
    var p = ModelBlock.namedParameters(attn);
    NDArray h = ((GroupNorm) attn.getChildren().get("01norm")).forward(ps, x, false);
    NDArray tokens = h.reshape(2, 4, 9).transpose(0, 2, 1);
    NDArray wqkv = p.get("qkv.weight").getArray().reshape(12, 4);
    NDArray qkv = tokens.matMul(wqkv.transpose()).add(p.get("qkv.bias").getArray());
    NDArray q = qkv.get(":, :, 0:4");
    NDArray k = qkv.get(":, :, 4:8");
    NDArray v = qkv.get(":, :, 8:12");
    NDArray w = q.batchMatMul(k.transpose(0, 2, 1)).div(2).softmax(-1);
    NDArray a = w.batchMatMul(v);
    NDArray out =
        a.matMul(p.get("proj.weight").getArray().reshape(4, 4).transpose())
            .add(p.get("proj.bias").getArray());
    NDArray expected = x.add(out.transpose(0, 2, 1).reshape(2, 4, 3, 3));
    assertTrue(y.sub(expected).abs().max().getFloat() < 1e-5f);
  }

  @Test
  void multiHeadAttentionKeepsShape() {
    SelfAttention attn = init(new SelfAttention(8, 4, 2), manager, 3);
    NDArray x = manager.randomNormal(new Shape(2, 8, 5, 5));
    assertEquals(x.getShape(), attn.forward(ps, x, false).getShape());
  }
}
