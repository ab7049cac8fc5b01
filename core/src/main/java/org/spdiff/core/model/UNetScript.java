package org.spdiff.core.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The {@link UNet}'s forward pass after the embedding, written as TorchScript source for {@link
 * ScriptedUNet}: the same layers in the same order, with libtorch's fused {@code group_norm} and
 * {@code silu} and every tensor in the compute type {@code dt} (a TorchScript scalar-type code: 6
 * float32, 15 bfloat16, 5 float16).
 *
 * <pre>
 * forward(x [N, C, H, W] float32, emb [N, E] float32 (SiLU of the time + class embedding),
 *         w: List[Tensor] (float32, in {@link #weights()} order), dt: int, train: bool) -> float32
 * </pre>
 *
 * <p>The output is the prediction ({@link Output#PREDICTION}) or the mid-block's output ({@link
 * Output#MID}, the self-perceptual features: the decoder is not written). With {@code train} the
 * residual blocks apply dropout (when the config has it); gradients flow to {@code x}, {@code emb}
 * and every weight, as in eager PyTorch.
 *
 * <p>Convolutions whose channel counts are not whole blocks of {@link ConvLayer#CHANNEL_BLOCK} get
 * the same zero padding as {@link ConvLayer}: input channels, weights and bias are padded here
 * ({@code constant_pad_nd}, so gradients reach only the real weights) and the padded output
 * channels are sliced off.
 */
final class UNetScript {
  /** Class name of the generated module. */
  static final String CLASS = "SpdiffUNet";

  /** What {@code forward} returns. */
  enum Output {
    /** The network's prediction. */
    PREDICTION,
    /** The mid-block's output (no decoder). */
    MID
  }

  private final UNetConfig config;
  private final StringBuilder body = new StringBuilder();
  private final List<String> weights = new ArrayList<>();
  private int nextVar;

  private UNetScript(UNetConfig config) {
    this.config = config;
  }

  /** Renders {@code config}'s forward pass up to {@code output}. */
  static UNetScript render(UNetConfig config, Output output) {
    UNetScript s = new UNetScript(config);
    s.forward(output);
    return s;
  }

  /** The class's methods (TorchScript source, indented for the class body). */
  String methods() {
    return "  def forward(self: __torch__."
        + CLASS
        + ",\n    x: Tensor,\n    emb: Tensor,\n    w: List[Tensor],\n    dt: int,\n"
        + "    train: bool) -> Tensor:\n"
        + body;
  }

  /** The weights {@code forward} reads, by {@link UNet#namedParameters()} name, in order. */
  List<String> weights() {
    return List.copyOf(weights);
  }

  private void forward(Output output) {
    int levels = config.numLevels();
    String e = let("torch.to(emb, dt)");
    Deque<String> skips = new ArrayDeque<>();
    Deque<Integer> skipChannels = new ArrayDeque<>();
    int ch = config.baseChannels();
    String h = conv(let("torch.to(x, dt)"), "conv_in", config.inChannels(), ch, 3, 1);
    skips.push(h);
    skipChannels.push(ch);
    for (int l = 0; l < levels; l++) {
      int out = config.levelChannels(l);
      for (int i = 0; i < config.numResBlocks(); i++) {
        h = res(h, e, "down." + l + ".res." + i, ch, out);
        ch = out;
        if (config.attentionAt(l)) {
          h = attention(h, "down." + l + ".attn." + i, ch);
        }
        skips.push(h);
        skipChannels.push(ch);
      }
      if (l < levels - 1) {
        h = conv(h, "down." + l + ".downsample.conv", ch, ch, 3, 2);
        skips.push(h);
        skipChannels.push(ch);
      }
    }
    h = res(h, e, "mid.res1", ch, ch);
    h = attention(h, "mid.attn", ch);
    h = res(h, e, "mid.res2", ch, ch);
    if (output == Output.MID) {
      body.append("    return torch.to(").append(h).append(", 6)\n");
      return;
    }
    for (int l = levels - 1; l >= 0; l--) {
      int out = config.levelChannels(l);
      for (int i = 0; i <= config.numResBlocks(); i++) {
        String skip = skips.pop();
        int in = ch + skipChannels.pop();
        h =
            res(
                let("torch.cat([" + h + ", " + skip + "], 1)"),
                e,
                "up." + l + ".res." + i,
                in,
                out);
        ch = out;
        if (config.attentionAt(l)) {
          h = attention(h, "up." + l + ".attn." + i, ch);
        }
      }
      if (l > 0) {
        String target = skips.peek();
        String up =
            let(
                "torch.upsample_nearest2d("
                    + h
                    + ", [torch.size("
                    + target
                    + ", 2), torch.size("
                    + target
                    + ", 3)], None, None)");
        h = conv(up, "up." + l + ".upsample.conv", ch, ch, 3, 1);
      }
    }
    String a = let("torch.silu(" + norm(h, "norm_out") + ")");
    String y = conv(a, "conv_out", ch, config.outChannels(), 3, 1);
    body.append("    return torch.to(").append(y).append(", 6)\n");
  }

  /** A residual block (dropout is off in generation). */
  private String res(String x, String e, String name, int in, int out) {
    String a = let("torch.silu(" + norm(x, name + ".norm1") + ")");
    String c = conv(a, name + ".conv1", in, out, 3, 1);
    String p =
        let(
            "torch.linear("
                + e
                + ", "
                + w(name + ".emb_proj.weight")
                + ", "
                + w(name + ".emb_proj.bias")
                + ")");
    String ce = let("torch.add(" + c + ", torch.reshape(" + p + ", [-1, " + out + ", 1, 1]))");
    String a2 = let("torch.silu(" + norm(ce, name + ".norm2") + ")");
    if (config.dropout() > 0) {
      a2 = let("torch.dropout(" + a2 + ", " + config.dropout() + ", train)");
    }
    String o = conv(a2, name + ".conv2", out, out, 3, 1);
    String shortcut = in == out ? x : conv(x, name + ".skip", in, out, 1, 1);
    return let("torch.add(" + shortcut + ", " + o + ")");
  }

  /** Single- or multi-head self-attention over positions, as {@link SelfAttention}. */
  private String attention(String x, String name, int channels) {
    int heads = config.attentionHeads();
    int d = channels / heads;
    String len = let("torch.mul(torch.size(" + x + ", 2), torch.size(" + x + ", 3))");
    String qkv = conv(norm(x, name + ".norm"), name + ".qkv", channels, 3 * channels, 1, 1);
    String parts =
        let(
            "torch.split(torch.reshape("
                + qkv
                + ", [-1, "
                + 3 * channels
                + ", "
                + len
                + "]), "
                + channels
                + ", 1)");
    String q = let("torch.reshape(" + parts + "[0], [-1, " + d + ", " + len + "])");
    String k = let("torch.reshape(" + parts + "[1], [-1, " + d + ", " + len + "])");
    String v = let("torch.reshape(" + parts + "[2], [-1, " + d + ", " + len + "])");
    String logits = let("torch.bmm(torch.transpose(" + q + ", 1, 2), " + k + ")");
    String weightsOf = let("torch.softmax(torch.mul(" + logits + ", " + scale(d) + "), -1)");
    String out =
        let(
            "torch.reshape(torch.bmm("
                + v
                + ", torch.transpose("
                + weightsOf
                + ", 1, 2)), "
                + "torch.size("
                + x
                + "))");
    return let("torch.add(" + x + ", " + conv(out, name + ".proj", channels, channels, 1, 1) + ")");
  }

  /** {@code 1 / sqrt(d)} as a float32 value, printed exactly (a double literal). */
  static String scale(int d) {
    return Double.toString((double) (float) (1 / Math.sqrt(d)));
  }

  private String norm(String x, String name) {
    return "torch.group_norm("
        + x
        + ", "
        + config.groups()
        + ", "
        + w(name + ".weight")
        + ", "
        + w(name + ".bias")
        + ", "
        + (double) GroupNorm.EPS
        + ")";
  }

  /** A convolution with {@link ConvLayer}'s channel padding. */
  private String conv(String x, String name, int in, int out, int kernel, int stride) {
    int padIn = ConvLayer.pad(in);
    int padOut = ConvLayer.pad(out);
    String input =
        padIn == 0
            ? x
            : let("torch.constant_pad_nd(" + x + ", [0, 0, 0, 0, 0, " + padIn + "], 0.)");
    String wt = w(name + ".weight");
    String b = w(name + ".bias");
    if (padIn > 0 || padOut > 0) {
      // [out, in, k, k]: pad spec from the last dimension backwards
      wt =
          "torch.constant_pad_nd("
              + wt
              + ", [0, 0, 0, 0, 0, "
              + padIn
              + ", 0, "
              + padOut
              + "], 0.)";
    }
    if (padOut > 0) {
      b = "torch.constant_pad_nd(" + b + ", [0, " + padOut + "], 0.)";
    }
    int p = kernel / 2;
    String y =
        let(
            "torch.conv2d("
                + input
                + ", "
                + wt
                + ", "
                + b
                + ", ["
                + stride
                + ", "
                + stride
                + "], ["
                + p
                + ", "
                + p
                + "])");
    return padOut == 0 ? y : let("torch.slice(" + y + ", 1, 0, " + out + ")");
  }

  private String w(String name) {
    int i = weights.size();
    weights.add(name);
    return "torch.to(w[" + i + "], dt)";
  }

  private String let(String expr) {
    String v = "v" + nextVar++;
    body.append("    ").append(v).append(" = ").append(expr).append('\n');
    return v;
  }
}
