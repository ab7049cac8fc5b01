package org.spdiff.pipelines.prepare;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.ImageRecordCoder;

/**
 * Reads and decodes the planned sources into native-size {@link ImageRecord}s (1 or 3 channels,
 * CHW), routing unusable inputs to {@link #DEAD_LETTERS}.
 */
public final class ReadSources extends PTransform<PBegin, PCollectionTuple> {
  /** Decoded records at native size. */
  public static final TupleTag<ImageRecord> RECORDS = new TupleTag<>() {};

  /** Rejected inputs. */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final SourcePlan plan;

  public ReadSources(SourcePlan plan) {
    this.plan = plan;
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple out =
        begin
            .apply(
                "ListSources",
                Create.of(plan.refs()).withCoder(SerializableCoder.of(SourceRef.class)))
            .apply("Spread", Reshuffle.viaRandomKey())
            .apply(
                "Decode",
                ParDo.of(new ReadSourceFn(plan.labelNames().size()))
                    .withOutputTags(RECORDS, TupleTagList.of(DEAD_LETTERS)));
    out.get(RECORDS).setCoder(ImageRecordCoder.of());
    out.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return out;
  }

  /** Reads one {@link SourceRef}: an image file, or a run of IDX / CIFAR-10 records. */
  static final class ReadSourceFn extends DoFn<SourceRef, ImageRecord> {
    private final int numClasses;

    ReadSourceFn(int numClasses) {
      this.numClasses = numClasses;
    }

    @ProcessElement
    public void process(@Element SourceRef ref, MultiOutputReceiver out) throws IOException {
      switch (ref.format()) {
        case IMAGES -> readImage(ref, out);
        case IDX -> readIdx(ref, out);
        case CIFAR10 -> readCifar(ref, out);
      }
    }

    private static void dead(MultiOutputReceiver out, DeadLetter d) {
      Metrics.counter(Prepare.METRICS_NAMESPACE, "deadLetters_" + d.reason()).inc();
      out.get(DEAD_LETTERS).output(d);
    }

    private static void readImage(SourceRef ref, MultiOutputReceiver out) {
      byte[] bytes;
      try {
        bytes = PrepareFiles.readAll(ref.path());
      } catch (IOException e) {
        dead(out, DeadLetter.of(ref.sourceId(), DeadLetterReason.READ_ERROR, e.toString(), null));
        return;
      }
      try {
        ImageDecoder.Decoded d = ImageDecoder.decode(bytes, ref.sourceId());
        out.get(RECORDS)
            .output(
                new ImageRecord(
                    ref.split(),
                    ref.firstIndex(),
                    ref.sourceId(),
                    ref.label(),
                    d.height(),
                    d.width(),
                    d.channels(),
                    d.pixels()));
      } catch (BadInputException e) {
        dead(out, DeadLetter.of(ref.sourceId(), e.reason(), e.getMessage(), bytes));
      } catch (RuntimeException | OutOfMemoryError e) {
        // A decoder bug or a bomb the header check missed: keep the run going, keep the payload.
        dead(out, DeadLetter.of(ref.sourceId(), DeadLetterReason.CORRUPT, e.toString(), bytes));
      }
    }

    private static void readIdx(SourceRef ref, MultiOutputReceiver out) throws IOException {
      try (DataInputStream images = new DataInputStream(PrepareFiles.openMaybeGzip(ref.path()));
          InputStream labels = PrepareFiles.openMaybeGzip(ref.labelsPath())) {
        images.readInt();
        images.readInt();
        int rows = images.readInt();
        int cols = images.readInt();
        int size = rows * cols;
        PrepareFiles.skipFully(images, ref.skip() * size);
        PrepareFiles.skipFully(labels, 8 + ref.skip());
        byte[] lab = labels.readNBytes(ref.count());
        if (lab.length != ref.count()) {
          throw new IOException(ref.labelsPath() + ": ended early");
        }
        for (int i = 0; i < ref.count(); i++) {
          byte[] pixels = new byte[size];
          images.readFully(pixels);
          long index = ref.firstIndex() + i;
          out.get(RECORDS)
              .output(
                  new ImageRecord(
                      ref.split(),
                      index,
                      ref.sourceId() + "#" + (ref.skip() + i),
                      lab[i] & 0xFF,
                      rows,
                      cols,
                      1,
                      pixels));
        }
      }
    }

    private void readCifar(SourceRef ref, MultiOutputReceiver out) throws IOException {
      try (DataInputStream in = new DataInputStream(PrepareFiles.open(ref.path()))) {
        PrepareFiles.skipFully(in, ref.skip() * SourcePlanner.CIFAR_RECORD);
        for (int i = 0; i < ref.count(); i++) {
          byte[] rec = new byte[SourcePlanner.CIFAR_RECORD];
          in.readFully(rec);
          int label = rec[0] & 0xFF;
          String id = ref.sourceId() + "#" + (ref.skip() + i);
          if (label >= numClasses) {
            dead(
                out,
                DeadLetter.of(
                    id,
                    DeadLetterReason.BAD_LABEL,
                    "label " + label + " outside 0.." + (numClasses - 1),
                    rec));
            continue;
          }
          byte[] pixels = java.util.Arrays.copyOfRange(rec, 1, rec.length);
          out.get(RECORDS)
              .output(
                  new ImageRecord(ref.split(), ref.firstIndex() + i, id, label, 32, 32, 3, pixels));
        }
      }
    }
  }

  /** Convenience for tests: the decoded records only. */
  public static PCollection<ImageRecord> records(PCollectionTuple t) {
    return t.get(RECORDS);
  }
}
