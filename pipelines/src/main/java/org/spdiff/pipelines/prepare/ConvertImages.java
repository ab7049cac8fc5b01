package org.spdiff.pipelines.prepare;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.spdiff.pipelines.prepare.records.ImageRecord;
import org.spdiff.pipelines.prepare.records.ImageRecordCoder;

/**
 * Converts native-size records to {@code channels} channels, centre-crops them to a square and
 * resizes them to {@code resolution} (see {@link ImageOps}). Counts records per split.
 */
public final class ConvertImages
    extends PTransform<PCollection<ImageRecord>, PCollection<ImageRecord>> {
  private final int resolution;
  private final int channels;

  public ConvertImages(int resolution, int channels) {
    this.resolution = resolution;
    this.channels = channels;
  }

  @Override
  public PCollection<ImageRecord> expand(PCollection<ImageRecord> in) {
    return in.apply("CropResize", ParDo.of(new ConvertFn(resolution, channels)))
        .setCoder(ImageRecordCoder.of());
  }

  /** One record: channels, then centre crop, then resize. */
  static final class ConvertFn extends DoFn<ImageRecord, ImageRecord> {
    private final int resolution;
    private final int channels;
    private final Counter converted = Metrics.counter(Prepare.METRICS_NAMESPACE, "records");

    ConvertFn(int resolution, int channels) {
      this.resolution = resolution;
      this.channels = channels;
    }

    @ProcessElement
    public void process(@Element ImageRecord r, OutputReceiver<ImageRecord> out) {
      out.output(convert(r, resolution, channels));
      converted.inc();
    }
  }

  /** The conversion of one record. */
  public static ImageRecord convert(ImageRecord r, int resolution, int channels) {
    int h = r.height();
    int w = r.width();
    byte[] p = ImageOps.toChannels(r.pixels(), h, w, r.channels(), channels);
    p = ImageOps.centreCrop(p, h, w, channels);
    int side = Math.min(h, w);
    p = ImageOps.resizeSquare(p, channels, side, resolution);
    return r.withPixels(resolution, resolution, channels, p);
  }
}
