package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.spdiff.metrics.inception.InceptionWeights;

/**
 * Flags shared by the score commands ({@code spdiff fid, stats, is, features, kid, prdc, compare}):
 * the feature network and its Inception flags apply to every input holding images.
 */
public interface ScoreOptions extends PipelineOptions {
  @Description(
      "Feature network: inception (pytorch-fid's FID Inception-v3) or domain (a trained spdiff classifier)")
  @Default.String("inception")
  String getFeatures();

  void setFeatures(String value);

  @Description(
      "Inception-v3 weights with pytorch-fid's state-dict names: its pt_inception-2015-12-05-6726825d.pth as"
          + " published (either torch.save format) or safetensors; empty: download pytorch-fid's release on"
          + " first use into the cache")
  @Default.String("")
  String getInceptionWeights();

  void setInceptionWeights(String value);

  @Description(
      "Where to download the Inception weights from when --inceptionWeights is empty; empty: pytorch-fid's"
          + " release, "
          + InceptionWeights.PYTORCH_FID_URL)
  @Default.String("")
  String getInceptionUrl();

  void setInceptionUrl(String value);

  @Description(
      "Full sha256 (64 hex digits) the downloaded weights must have; empty: the hash prefix in the file"
          + " name (torch hub convention, e.g. -6726825d)")
  @Default.String("")
  String getInceptionSha256();

  void setInceptionSha256(String value);

  @Description(
      "Never download: use the cached weights or fail saying which file to fetch and where")
  @Default.Boolean(false)
  boolean isOffline();

  void setOffline(boolean value);

  @Description("Cache for downloaded weights; empty: $SPDIFF_CACHE_DIR, else ~/.cache/spdiff")
  @Default.String("")
  String getCacheDir();

  void setCacheDir(String value);

  @Description(
      "How images reach the Inception's 299x299: legacy-pytorch (pytorch-fid's bilinear, comparable with"
          + " pytorch-fid) or clean (clean-fid's antialiased PIL bicubic)")
  @Default.String("legacy-pytorch")
  String getResize();

  void setResize(String value);

  @Description("Split of a prepared spdiff data set given as PATH (a folder with manifest.json)")
  @Default.String("train")
  String getSplit();

  void setSplit(String value);

  @Description(
      "Folder of a trained domain classifier (classifier.safetensors + classifier.json), e.g. <store>/features/<key>")
  @Default.String("")
  String getClassifier();

  void setClassifier(String value);

  @Description(
      "Feature dimension: for Inception one of pytorch-fid's blocks 64, 192, 768, 2048 (pool3); for a"
          + " domain classifier its own; 0 = the network's (2048 for Inception)")
  @Default.Integer(0)
  int getDims();

  void setDims(int value);

  @Description("Images per forward pass")
  @Default.Integer(50)
  int getBatchSize();

  void setBatchSize(int value);

  @Description(
      "Output: .npz for stats (pytorch-fid's mu and sigma, float64), .npy for features (float32 N x d)")
  @Default.String("")
  String getOut();

  void setOut(String value);

  @Description("Inception Score splits")
  @Default.Integer(10)
  int getSplits();

  void setSplits(int value);
}
