package org.spdiff.metrics.classifier;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.spdiff.metrics.FeatureExtractor;
import org.spdiff.metrics.WorkerThreads;

/**
 * A small CNN trained to classify images of one domain; its penultimate features serve FID / KID
 * and its logits IS when Inception's ImageNet features do not fit the domain (e.g. 28x28
 * grayscale). Architecture in {@link ClassifierConfig}. Inputs are uint8 CHW images of the trained
 * geometry, scaled to [-1, 1]; no resizing.
 *
 * <p>Training ({@link #train}) is deterministic for a given seed, data and thread count: the engine
 * seed fixes the initialisation, {@link Random}(seed) the held-out split and the batch order. Saved
 * as {@code classifier.safetensors} (parameters and BatchNorm running statistics, by DJL parameter
 * name) and {@code classifier.json} ({@link ClassifierRecord}). Owns native memory: close it.
 */
public final class DomainClassifier implements FeatureExtractor {
  /** Weights file name inside a saved classifier directory. */
  public static final String WEIGHTS = "classifier.safetensors";

  /** Metadata file name inside a saved classifier directory. */
  public static final String METADATA = "classifier.json";

  private static final String FORMAT = "spdiff-domain-classifier-v1";
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DomainClassifier.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Model model;
  private final SequentialBlock features;
  private final ClassifierRecord record;
  private final String id;

  private DomainClassifier(Model model, SequentialBlock features, ClassifierRecord record) {
    this.model = model;
    this.features = features;
    this.record = record;
    this.id =
        "domain-classifier-"
            + record.channels()
            + "x"
            + record.height()
            + "x"
            + record.width()
            + "-"
            + record.numClasses()
            + "@sha256:"
            + parameterHash(model.getBlock());
  }

  /**
   * Trains a classifier.
   *
   * @param pixels uint8 CHW images, {@code c * h * w} bytes each
   * @param labels class of each image, in [0, numClasses)
   * @param c channels
   * @param h height
   * @param w width
   * @param numClasses number of classes
   * @param config seed, epochs, batch, learning rate, held-out fraction, widths
   * @return the trained classifier; {@link #heldOutAccuracy()} on the held-out part
   */
  public static DomainClassifier train(
      byte[][] pixels, int[] labels, int c, int h, int w, int numClasses, ClassifierConfig config) {
    if (pixels.length != labels.length) {
      throw new IllegalArgumentException(
          pixels.length + " images but " + labels.length + " labels");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= numClasses) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of image " + i + " not in [0, " + numClasses + ")");
      }
      if (pixels[i].length != c * h * w) {
        throw new IllegalArgumentException(
            "image " + i + " has " + pixels[i].length + " bytes, expected " + c * h * w);
      }
    }
    long start = System.nanoTime();
    Random rng = new Random(config.seed());
    int n = pixels.length;
    int[] order = shuffled(n, rng);
    int heldOut = (int) Math.round(n * config.heldOutFraction());
    int trainCount = n - heldOut;
    if (trainCount < 1) {
      throw new IllegalArgumentException("nothing left to train on: " + n + " images");
    }
    int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, trainCount);
    int[] heldIdx = java.util.Arrays.copyOfRange(order, trainCount, n);

    Engine engine = Engine.getInstance();
    WorkerThreads.prepare();
    SequentialBlock feats = featureBlock(config);
    SequentialBlock net = new SequentialBlock().add(feats).add(head(numClasses));
    Model model = Model.newInstance("domain-classifier");
    try {
      model.setBlock(net);
      DefaultTrainingConfig tc =
          new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
              .optOptimizer(
                  Optimizer.adam()
                      .optLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                      .build());
      try (Trainer trainer = model.newTrainer(tc)) {
        // The engine's RNG and its one GradientCollector are process-wide: initialisation and
        // each step hold the engine's monitor (as spdiff's diffusion trainer does), so trainings
        // sharing a JVM stay deterministic.
        synchronized (engine) {
          engine.setRandomSeed((int) config.seed());
          trainer.initialize(new Shape(1, c, h, w));
        }
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
          shuffleInPlace(trainIdx, rng);
          double lossSum = 0;
          int steps = 0;
          for (int from = 0; from < trainCount; from += config.batchSize()) {
            int to = Math.min(trainCount, from + config.batchSize());
            if (to - from < 2) {
              continue; // BatchNorm needs 2 samples
            }
            try (NDManager step = trainer.getManager().newSubManager()) {
              NDArray x = images(step, pixels, trainIdx, from, to, c, h, w);
              NDArray y = labelArray(step, labels, trainIdx, from, to);
              synchronized (engine) {
                try (GradientCollector gc = trainer.newGradientCollector()) {
                  NDList pred = trainer.forward(new NDList(x));
                  NDArray loss = trainer.getLoss().evaluate(new NDList(y), pred);
                  gc.backward(loss);
                  lossSum += loss.getFloat();
                  steps++;
                }
                trainer.step();
              }
            }
          }
          LOG.info(
              "epoch {}/{}: mean training loss {} ({} s so far)",
              epoch + 1,
              config.epochs(),
              String.format("%.4f", lossSum / Math.max(steps, 1)),
              String.format("%.1f", (System.nanoTime() - start) / 1e9));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      ClassifierRecord provisional =
          new ClassifierRecord(
              FORMAT, c, h, w, numClasses, config, Double.NaN, heldOut, trainCount, seconds);
      DomainClassifier clf = new DomainClassifier(model, feats, provisional);
      double acc = heldOut == 0 ? Double.NaN : clf.accuracy(pixels, labels, heldIdx);
      ClassifierRecord rec =
          new ClassifierRecord(
              FORMAT, c, h, w, numClasses, config, acc, heldOut, trainCount, seconds);
      return new DomainClassifier(model, feats, rec);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Loads a classifier saved by {@link #save(Path)} from {@code dir}. */
  public static DomainClassifier load(Path dir) throws IOException {
    ClassifierRecord rec = JSON.readValue(dir.resolve(METADATA).toFile(), ClassifierRecord.class);
    if (!FORMAT.equals(rec.format())) {
      throw new IOException("unknown format '" + rec.format() + "' in " + dir.resolve(METADATA));
    }
    SequentialBlock feats = featureBlock(rec.config());
    SequentialBlock net = new SequentialBlock().add(feats).add(head(rec.numClasses()));
    Model model = Model.newInstance("domain-classifier");
    try {
      model.setBlock(net);
      net.initialize(
          model.getNDManager(),
          DataType.FLOAT32,
          new Shape(1, rec.channels(), rec.height(), rec.width()));
      Path file = dir.resolve(WEIGHTS);
      try (NDManager tmp = model.getNDManager().newSubManager();
          InputStream in = Files.newInputStream(file)) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray a : NDList.decode(tmp, in)) {
          byName.put(a.getName(), a);
        }
        for (Pair<String, Parameter> p : net.getParameters()) {
          NDArray a = byName.remove(p.getKey());
          if (a == null) {
            throw new IllegalArgumentException("tensor '" + p.getKey() + "' missing in " + file);
          }
          NDArray target = p.getValue().getArray();
          if (!a.getShape().equals(target.getShape())) {
            throw new IllegalArgumentException(
                "tensor '"
                    + p.getKey()
                    + "' in "
                    + file
                    + " has shape "
                    + a.getShape()
                    + ", expected "
                    + target.getShape());
          }
          target.set(a.toType(DataType.FLOAT32, false).toFloatArray());
        }
        if (!byName.isEmpty()) {
          throw new IllegalArgumentException(
              "unexpected tensors in " + file + ": " + byName.keySet());
        }
      }
      return new DomainClassifier(model, feats, rec);
    } catch (IOException | RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Writes {@code classifier.safetensors} and {@code classifier.json} into {@code dir}. */
  public void save(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (NDManager tmp = model.getNDManager().newSubManager();
        OutputStream out = Files.newOutputStream(dir.resolve(WEIGHTS))) {
      NDList list = new NDList();
      for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
        NDArray a = p.getValue().getArray().duplicate();
        tmp.tempAttachAll(a);
        a.setName(p.getKey());
        list.add(a);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
    JSON.writeValue(dir.resolve(METADATA).toFile(), record);
  }

  /** Accuracy on the held-out part measured after training (NaN if none was held out). */
  public double heldOutAccuracy() {
    return record.heldOutAccuracy();
  }

  /** The saved metadata. */
  public ClassifierRecord record() {
    return record;
  }

  @Override
  public int dims() {
    return record.config().featureDims();
  }

  @Override
  public int classes() {
    return record.numClasses();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Outputs extract(byte[][] images, int channels, int height, int width) {
    WorkerThreads.prepare();
    if (channels != record.channels() || height != record.height() || width != record.width()) {
      throw new IllegalArgumentException(
          "classifier takes "
              + record.channels()
              + "x"
              + record.height()
              + "x"
              + record.width()
              + " images, got "
              + channels
              + "x"
              + height
              + "x"
              + width);
    }
    int n = images.length;
    if (n == 0) {
      return new Outputs(new float[0][], new float[0][]);
    }
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
      if (images[i].length != channels * height * width) {
        throw new IllegalArgumentException(
            "image "
                + i
                + " has "
                + images[i].length
                + " bytes, expected "
                + channels * height * width);
      }
    }
    try (NDManager sub = model.getNDManager().newSubManager()) {
      NDArray x = images(sub, images, idx, 0, n, channels, height, width);
      ParameterStore ps = new ParameterStore(sub, false);
      NDArray f = features.forward(ps, new NDList(x), false).singletonOrThrow();
      Block head = ((SequentialBlock) model.getBlock()).getChildren().get(1).getValue();
      NDArray logits = head.forward(ps, new NDList(f), false).singletonOrThrow();
      return new Outputs(
          rows(f.toFloatArray(), n, dims()), rows(logits.toFloatArray(), n, classes()));
    }
  }

  private double accuracy(byte[][] pixels, int[] labels, int[] idx) {
    int correct = 0;
    int chunk = 512;
    for (int from = 0; from < idx.length; from += chunk) {
      int to = Math.min(idx.length, from + chunk);
      byte[][] batch = new byte[to - from][];
      for (int i = from; i < to; i++) {
        batch[i - from] = pixels[idx[i]];
      }
      float[][] logits = logits(batch, record.channels(), record.height(), record.width());
      for (int i = from; i < to; i++) {
        if (argmax(logits[i - from]) == labels[idx[i]]) {
          correct++;
        }
      }
    }
    return (double) correct / idx.length;
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static SequentialBlock featureBlock(ClassifierConfig cfg) {
    SequentialBlock b = new SequentialBlock();
    convUnit(b, cfg.width1());
    b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    convUnit(b, cfg.width2());
    b.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    convUnit(b, cfg.width3());
    b.add(Blocks.batchFlattenBlock());
    b.add(Linear.builder().setUnits(cfg.featureDims()).optBias(false).build());
    b.add(BatchNorm.builder().build());
    b.add(Activation.reluBlock());
    return b;
  }

  private static void convUnit(SequentialBlock b, int filters) {
    b.add(
        Conv2d.builder()
            .setKernelShape(new Shape(3, 3))
            .optPadding(new Shape(1, 1))
            .setFilters(filters)
            .optBias(false)
            .build());
    b.add(BatchNorm.builder().build());
    b.add(Activation.reluBlock());
  }

  private static Block head(int numClasses) {
    return Linear.builder().setUnits(numClasses).build();
  }

  /** (to - from, c, h, w) float32 in [-1, 1] from the selected uint8 images. */
  private static NDArray images(
      NDManager m, byte[][] pixels, int[] idx, int from, int to, int c, int h, int w) {
    int size = c * h * w;
    float[] x = new float[(to - from) * size];
    for (int i = from; i < to; i++) {
      byte[] img = pixels[idx[i]];
      int off = (i - from) * size;
      for (int j = 0; j < size; j++) {
        x[off + j] = (img[j] & 0xFF) / 127.5f - 1f;
      }
    }
    return m.create(x, new Shape(to - from, c, h, w));
  }

  private static NDArray labelArray(NDManager m, int[] labels, int[] idx, int from, int to) {
    float[] y = new float[to - from];
    for (int i = from; i < to; i++) {
      y[i - from] = labels[idx[i]];
    }
    return m.create(y);
  }

  private static int[] shuffled(int n, Random rng) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    shuffleInPlace(a, rng);
    return a;
  }

  private static void shuffleInPlace(int[] a, Random rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static float[][] rows(float[] flat, int n, int d) {
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  /** SHA-256 prefix over the parameters in name order (safetensors files do not keep order). */
  private static String parameterHash(Block block) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<Pair<String, Parameter>> params = new ArrayList<>();
      block.getParameters().forEach(params::add);
      params.sort((a, b) -> a.getKey().compareTo(b.getKey()));
      for (Pair<String, Parameter> p : params) {
        md.update(p.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        float[] v = p.getValue().getArray().toFloatArray();
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        md.update(buf);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
