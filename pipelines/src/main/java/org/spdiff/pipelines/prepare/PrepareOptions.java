package org.spdiff.pipelines.prepare;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Flags of {@code spdiff prepare}. */
public interface PrepareOptions extends PipelineOptions {

  @Description(
      "Raw data set directory: IDX files ({train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]),"
          + " a folder of PNG/JPEG images (sub-folder = class), or CIFAR-10 binary batches")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description(
      "Output directory: records/<split>-SSSSS-of-NNNNN.tfrecord, dead-letters/, manifest.json"
          + " (written last)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Input layout: auto, idx, images or cifar10")
  @Default.String("auto")
  String getFormat();

  void setFormat(String value);

  @Description(
      "Output side in pixels (centre crop, then area-average shrink or bilinear enlarge);"
          + " 0 = native (IDX 28, CIFAR-10 32, image folders 32)")
  @Default.Integer(0)
  int getResolution();

  void setResolution(int value);

  @Description(
      "Output channels: 1 (BT.601 luma) or 3 (gray replicated); 0 = native (IDX 1, else 3)")
  @Default.Integer(0)
  int getChannels();

  void setChannels(int value);

  @Description("Shards per split; 0 = one per 10000 records")
  @Default.Integer(0)
  int getNumShards();

  void setNumShards(int value);

  @Description("Split name for an image folder")
  @Default.String("train")
  String getSplit();

  void setSplit(String value);

  @Description("Keep only the first N records of each split (0 = all)")
  @Default.Long(0)
  long getLimit();

  void setLimit(long value);

  @Description("Replace an existing complete output instead of refusing")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
