package org.spdiff.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The denoising UNet of DDPM (Ho et al., 2020) in the layout of guided-diffusion (Dhariwal and
 * Nichol, 2021), as a DJL block.
 *
 * <pre>
 * emb = time_embed(t) [+ class_embed(labels)]
 * h = conv_in(x)                                  skips: [h]
 * for level l: numResBlocks x (res [+ attn]), push each; then, except at the last level,
 *              downsample, push
 * mid: res1, attn, res2
 * for level l from last to first: (numResBlocks + 1) x (concat(h, pop) -> res [+ attn]);
 *              then, except at level 0, upsample to the next skip's size
 * out = conv_out(SiLU(norm_out(h)))
 * </pre>
 *
 * <p>Inputs {@code (xt [N, C, H, W] float32, t [N] int64 in 1..T[, labels [N] int64])}, output
 * {@code [N, outChannels, H, W]}. Odd sizes work (28 -> 14 -> 7 and back; 7 -> 4 -> 7 too, since
 * upsampling targets the matching skip's size). A conditional net given {@code labels = null} uses
 * the null class {@code numClasses} for every sample; an unconditional net rejects labels.
 *
 * <p>Parameters are named by their path ({@link #namedParameters()}): {@code time_embed.linear1.*},
 * {@code class_embed.weight}, {@code conv_in.*}, {@code down.<l>.res.<i>.<norm1|conv1|emb_proj|
 * norm2|conv2|skip>.*}, {@code down.<l>.attn.<i>.<norm|qkv|proj>.*}, {@code
 * down.<l>.downsample.conv.*}, {@code mid.<res1|attn|res2>.*}, {@code up.<l>.res.<i>.*}, {@code
 * up.<l>.attn.<i>.*}, {@code up.<l>.upsample.conv.*}, {@code norm_out.*}, {@code conv_out.*}, where
 * {@code up.<l>} is the decoder stage at the resolution of {@code down.<l>}.
 *
 * <p>Initialisation is deterministic: {@link #initialize(NDManager, long)} draws every parameter in
 * Java from a generator seeded by the seed and the parameter's name (PyTorch's default uniform
 * {@code fan_in^-1/2} bounds; norms 1/0; class embedding N(0, 1); each residual block's {@code
 * conv2}, each attention {@code proj} and {@code conv_out} zero, as in guided-diffusion).
 *
 * <p>Memory: every intermediate and the result belong to {@code xt}'s manager (the caller's
 * per-step manager); parameter views are attached there too.
 */
public final class UNet extends ModelBlock implements DiffusionNet {
  private final UNetConfig config;
  private final TimestepEmbedding timeEmbed;
  private final ClassEmbedding classEmbed;
  private final ConvLayer convIn;
  private final List<List<ResBlock>> downRes = new ArrayList<>();
  private final List<List<SelfAttention>> downAttn = new ArrayList<>();
  private final List<Downsample> downsample = new ArrayList<>();
  private final ResBlock midRes1;
  private final SelfAttention midAttn;
  private final ResBlock midRes2;
  private final List<List<ResBlock>> upRes = new ArrayList<>();
  private final List<List<SelfAttention>> upAttn = new ArrayList<>();
  private final List<Upsample> upsample = new ArrayList<>();
  private final GroupNorm normOut;
  private final ConvLayer convOut;
  // compiled on first use, per output, in the parameters' manager
  private final java.util.EnumMap<UNetScript.Output, UNetProgram> programs =
      new java.util.EnumMap<>(UNetScript.Output.class);
  private Map<String, Parameter> parameterMap;

  /**
   * System property choosing how float32 {@link #predict} and mid-block {@link #features} run:
   * {@code torchscript} (the default: after the embedding, one {@link UNetProgram} call with
   * libtorch's fused GroupNorm and SiLU, forward and backward; training steps 15-25% faster on the
   * bench UNet, measured with {@code DiffusionBench}) or {@code djl} (the DJL blocks, op by op).
   * Both compute the same function to float rounding ({@code ScriptedUNetTest}); each is bitwise
   * repeatable on its own. Encoder and all-layer features always run the DJL blocks.
   */
  public static final String FORWARD_PROPERTY = "spdiff.unet.forward";

  /** Builds the (uninitialised) network; call {@link #initialize(NDManager, long)} next. */
  public UNet(UNetConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    int levels = config.numLevels();
    int emb = config.timeEmbedDim();
    int groups = config.groups();
    float dropout = (float) config.dropout();
    timeEmbed = addChildBlock("time_embed", new TimestepEmbedding(config.timeSinusoidDim(), emb));
    classEmbed =
        config.conditional()
            ? addChildBlock("class_embed", new ClassEmbedding(config.numClasses(), emb))
            : null;
    int ch = config.baseChannels();
    convIn = addChildBlock("conv_in", ConvLayer.conv3x3(config.inChannels(), ch, false));
    Deque<Integer> skipChannels = new ArrayDeque<>();
    skipChannels.push(ch);

    BlockGroup down = addChildBlock("down", new BlockGroup());
    for (int l = 0; l < levels; l++) {
      BlockGroup level = down.add(Integer.toString(l), new BlockGroup());
      int out = config.levelChannels(l);
      List<ResBlock> res = new ArrayList<>();
      List<SelfAttention> attn = new ArrayList<>();
      for (int i = 0; i < config.numResBlocks(); i++) {
        res.add(level.add("res." + i, new ResBlock(ch, out, emb, groups, dropout)));
        ch = out;
        if (config.attentionAt(l)) {
          attn.add(level.add("attn." + i, new SelfAttention(ch, config.attentionHeads(), groups)));
        }
        skipChannels.push(ch);
      }
      downRes.add(res);
      downAttn.add(attn);
      if (l < levels - 1) {
        downsample.add(level.add("downsample", new Downsample(ch)));
        skipChannels.push(ch);
      }
    }

    BlockGroup mid = addChildBlock("mid", new BlockGroup());
    midRes1 = mid.add("res1", new ResBlock(ch, ch, emb, groups, dropout));
    midAttn = mid.add("attn", new SelfAttention(ch, config.attentionHeads(), groups));
    midRes2 = mid.add("res2", new ResBlock(ch, ch, emb, groups, dropout));

    BlockGroup up = addChildBlock("up", new BlockGroup());
    for (int l = levels - 1; l >= 0; l--) {
      BlockGroup level = up.add(Integer.toString(l), new BlockGroup());
      int out = config.levelChannels(l);
      List<ResBlock> res = new ArrayList<>();
      List<SelfAttention> attn = new ArrayList<>();
      for (int i = 0; i <= config.numResBlocks(); i++) {
        res.add(
            level.add(
                "res." + i, new ResBlock(ch + skipChannels.pop(), out, emb, groups, dropout)));
        ch = out;
        if (config.attentionAt(l)) {
          attn.add(level.add("attn." + i, new SelfAttention(ch, config.attentionHeads(), groups)));
        }
      }
      upRes.add(res);
      upAttn.add(attn);
      if (l > 0) {
        upsample.add(level.add("upsample", new Upsample(ch)));
      }
    }
    normOut = addChildBlock("norm_out", new GroupNorm(groups, ch));
    convOut = addChildBlock("conv_out", new ConvLayer(ch, config.outChannels(), 3, 1, true));
  }

  /** Builds a network and initialises it in {@code manager} from {@code seed}. */
  public static UNet create(UNetConfig config, NDManager manager, long seed) {
    UNet net = new UNet(config);
    net.initialize(manager, seed);
    return net;
  }

  /**
   * Initialises every parameter deterministically from {@code seed} (see the class comment), in
   * {@code manager}, which must outlive the network. Parameters that are already initialised are
   * left as they are.
   */
  public void initialize(NDManager manager, long seed) {
    initialize(manager, seed, DataType.FLOAT32);
  }

  /**
   * As {@link #initialize(NDManager, long)}, the parameters held in {@code type} (a float16 copy
   * for generation; training is float32). {@link #setWeights} keeps each parameter's type.
   */
  public void initialize(NDManager manager, long seed, DataType type) {
    assignInitializers(this, seed);
    initialize(manager, type);
  }

  public UNetConfig config() {
    return config;
  }

  /**
   * Every parameter keyed by its dotted name, in a deterministic order (the order of construction).
   */
  public Map<String, Parameter> namedParameters() {
    return Collections.unmodifiableMap(namedParameters(this));
  }

  /** Total number of scalar parameters. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : namedParameters(this).values()) {
      n += p.getShape().size();
    }
    return n;
  }

  /**
   * Copies every parameter value from {@code source} (same architecture) into this net, in place.
   * Each parameter keeps its frozen/trainable state. Use it to make the frozen perceptual copy:
   * {@code copy = UNet.create(cfg, m, 0); copy.freezeParameters(true);
   * copy.copyWeightsFrom(online)}.
   *
   * @throws IllegalArgumentException if names or shapes differ
   */
  public void copyWeightsFrom(UNet source) {
    Map<String, NDArray> values = new LinkedHashMap<>();
    namedParameters(source).forEach((name, p) -> values.put(name, p.getArray()));
    setWeights(values);
  }

  /**
   * Sets every parameter from {@code values} keyed by {@link #namedParameters()} names (e.g. the
   * arrays of a safetensors checkpoint), in place; the arrays are copied, not kept. Each parameter
   * keeps its frozen/trainable state.
   *
   * @throws IllegalArgumentException if a name is missing or extra, or a shape differs; nothing is
   *     written then
   */
  public void setWeights(Map<String, NDArray> values) {
    Map<String, Parameter> dst = namedParameters(this);
    if (!values.keySet().equals(dst.keySet())) {
      Set<String> missing = new TreeSet<>(dst.keySet());
      missing.removeAll(values.keySet());
      Set<String> extra = new TreeSet<>(values.keySet());
      extra.removeAll(dst.keySet());
      throw new IllegalArgumentException(
          "weights do not match this UNet: missing " + missing + ", unexpected " + extra);
    }
    for (Map.Entry<String, Parameter> e : dst.entrySet()) {
      Shape from = values.get(e.getKey()).getShape();
      if (!from.equals(e.getValue().getShape())) {
        throw new IllegalArgumentException(
            e.getKey() + ": shape " + from + ", this UNet has " + e.getValue().getShape());
      }
    }
    for (Map.Entry<String, Parameter> e : dst.entrySet()) {
      Parameter to = e.getValue();
      NDArray from = values.get(e.getKey());
      // libtorch refuses in-place writes to a leaf that requires grad: freeze while copying.
      boolean trainable = to.requiresGradient();
      to.freeze(true);
      // a libtorch-owned copy in the parameter's own type (float32 but in a half-precision copy),
      // see NativeArrays
      to.getArray().intern(from.toType(to.getArray().getDataType(), true));
      if (trainable) {
        to.freeze(false);
      }
    }
  }

  @Override
  public Block block() {
    return this;
  }

  @Override
  public int numClasses() {
    return config.numClasses();
  }

  /**
   * Whether this call runs as a TorchScript program ({@link #FORWARD_PROPERTY}).
   *
   * @throws IllegalArgumentException if the property is neither {@code torchscript} nor {@code djl}
   */
  private static boolean scripted(NDArray xt) {
    String forward = System.getProperty(FORWARD_PROPERTY, "torchscript");
    if (!forward.equals("torchscript") && !forward.equals("djl")) {
      throw new IllegalArgumentException(
          FORWARD_PROPERTY + " must be torchscript or djl, got '" + forward + "'");
    }
    return xt.getDataType() == DataType.FLOAT32 && forward.equals("torchscript");
  }

  private NDArray runProgram(
      UNetScript.Output output,
      ParameterStore ps,
      NDArray xt,
      NDArray embAct,
      DataType computeType,
      boolean training) {
    UNetProgram program;
    synchronized (programs) {
      if (parameterMap == null) {
        parameterMap = namedParameters(this);
      }
      program =
          programs.computeIfAbsent(
              output,
              o ->
                  UNetProgram.compile(
                      config, o, parameterMap.values().iterator().next().getArray().getManager()));
    }
    return program.run(
        xt,
        embAct,
        program.weights(ps, parameterMap, xt.getDevice(), training),
        computeType,
        training);
  }

  /**
   * The prediction with the layers after the embedding run as the TorchScript program in {@code
   * computeType} (whatever {@link #FORWARD_PROPERTY} says), inputs and output float32; grad mode
   * off. {@link ScriptedUNet}'s forward.
   */
  NDArray predictScripted(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, DataType computeType) {
    NDArray embAct = embedding(ps, t, labels, false);
    try {
      return runProgram(UNetScript.Output.PREDICTION, ps, xt, embAct, computeType, false);
    } finally {
      free(embAct);
    }
  }

  @Override
  public NDArray predict(
      ParameterStore ps, NDArray xt, NDArray t, NDArray labels, boolean training) {
    NDArray embAct = embedding(ps, t, labels, training);
    if (scripted(xt)) {
      NDArray out =
          runProgram(UNetScript.Output.PREDICTION, ps, xt, embAct, DataType.FLOAT32, training);
      if (inference()) {
        free(embAct);
      }
      return out;
    }
    Deque<NDArray> skips = new ArrayDeque<>();
    NDArray h = encode(ps, xt, embAct, skips, null, training);
    h = middle(ps, h, embAct, training);
    h = decode(ps, h, embAct, skips, null, training);
    if (inference()) {
      // Grad mode off: free each activation once consumed (the same ops, the same bits).
      NDArray a = siluConsuming(normOut.forward(ps, h, false));
      free(h);
      NDArray out = convOut.forward(ps, a, false);
      free(a, embAct);
      return out;
    }
    h = silu(normOut.forward(ps, h, training));
    return convOut.forward(ps, h, training);
  }

  @Override
  public NDList features(
      ParameterStore ps,
      NDArray xt,
      NDArray t,
      NDArray labels,
      FeatureLayers layers,
      boolean training) {
    NDArray embAct = embedding(ps, t, labels, training);
    if (layers == FeatureLayers.MID && scripted(xt)) {
      return new NDList(
          runProgram(UNetScript.Output.MID, ps, xt, embAct, DataType.FLOAT32, training));
    }
    Deque<NDArray> skips = new ArrayDeque<>();
    NDList out = new NDList();
    NDList encoderOut = layers == FeatureLayers.MID ? null : out;
    NDArray h = encode(ps, xt, embAct, skips, encoderOut, training);
    if (layers == FeatureLayers.ENCODER) {
      return out;
    }
    h = middle(ps, h, embAct, training);
    out.add(h);
    if (layers == FeatureLayers.ALL) {
      decode(ps, h, embAct, skips, out, training);
    }
    return out;
  }

  /** SiLU of the time embedding plus the class embedding: the input of every emb_proj. */
  NDArray embedding(ParameterStore ps, NDArray t, NDArray labels, boolean training) {
    NDArray emb = timeEmbed.forward(ps, t, training);
    if (classEmbed != null) {
      NDArray ids = labels;
      if (ids == null) {
        // No condition given: every sample gets the null class.
        ids = t.getManager().full(t.getShape(), config.numClasses(), DataType.INT64, t.getDevice());
      }
      emb = emb.add(classEmbed.forward(ps, ids.toType(DataType.INT64, false), training));
    } else if (labels != null) {
      throw new IllegalArgumentException("labels given to an unconditional net (numClasses = 0)");
    }
    return silu(emb);
  }

  /** Runs the encoder, pushing every skip; adds each level's output to {@code levelOut}. */
  private NDArray encode(
      ParameterStore ps,
      NDArray x,
      NDArray embAct,
      Deque<NDArray> skips,
      NDList levelOut,
      boolean training) {
    NDArray h = convIn.forward(ps, x, training);
    skips.push(h);
    boolean free = inference();
    for (int l = 0; l < config.numLevels(); l++) {
      Iterator<SelfAttention> attn = downAttn.get(l).iterator();
      for (ResBlock res : downRes.get(l)) {
        h = res.forward(ps, h, embAct, training);
        if (attn.hasNext()) {
          NDArray r = h;
          h = attn.next().forward(ps, h, training);
          if (free) {
            free(r);
          }
        }
        skips.push(h);
      }
      if (levelOut != null) {
        levelOut.add(h);
      }
      if (l < downsample.size()) {
        h = downsample.get(l).forward(ps, h, training);
        skips.push(h);
      }
    }
    return h;
  }

  private NDArray middle(ParameterStore ps, NDArray h, NDArray embAct, boolean training) {
    if (inference()) {
      NDArray r1 = midRes1.forward(ps, h, embAct, false);
      NDArray a = midAttn.forward(ps, r1, false);
      free(r1);
      NDArray r2 = midRes2.forward(ps, a, embAct, false);
      free(a);
      return r2;
    }
    h = midRes1.forward(ps, h, embAct, training);
    h = midAttn.forward(ps, h, training);
    return midRes2.forward(ps, h, embAct, training);
  }

  /** Runs the decoder, consuming the skips; adds each level's output to {@code levelOut}. */
  private NDArray decode(
      ParameterStore ps,
      NDArray h,
      NDArray embAct,
      Deque<NDArray> skips,
      NDList levelOut,
      boolean training) {
    // Grad mode off and no feature kept: free each activation and skip once consumed. The middle
    // block's output (the first h) is the caller's.
    boolean free = levelOut == null && inference();
    boolean first = true;
    for (int s = 0; s < upRes.size(); s++) {
      Iterator<SelfAttention> attn = upAttn.get(s).iterator();
      for (ResBlock res : upRes.get(s)) {
        NDArray skip = skips.pop();
        NDArray in = h.concat(skip, 1);
        NDArray prev = h;
        h = res.forward(ps, in, embAct, training);
        if (free) {
          free(in, skip);
          if (!first) {
            free(prev);
          }
        }
        first = false;
        if (attn.hasNext()) {
          NDArray r = h;
          h = attn.next().forward(ps, h, training);
          if (free) {
            free(r);
          }
        }
      }
      if (levelOut != null) {
        levelOut.add(h);
      }
      if (s < upsample.size()) {
        Shape target = skips.peek().getShape();
        NDArray prev = h;
        h = upsample.get(s).forward(ps, h, target.get(2), target.get(3), training);
        if (free) {
          free(prev);
        }
      }
    }
    return h;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray labels = inputs.size() > 2 ? inputs.get(2) : null;
    return new NDList(predict(ps, inputs.get(0), inputs.get(1), labels, training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape x = inputShapes[0];
    return new Shape[] {new Shape(x.get(0), config.outChannels(), x.get(2), x.get(3))};
  }

  @Override
  public String toString() {
    return "UNet" + config;
  }
}
