package org.spdiff.pipelines.scores;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Flags of {@code spdiff fid|stats|is}. */
public interface ScoreOptions extends PipelineOptions {
  @Description(
      "Feature network: inception (pytorch-fid's FID Inception-v3) or domain (a trained spdiff classifier)")
  @Default.String("inception")
  String getFeatures();

  void setFeatures(String value);

  @Description(
      "Inception-v3 weights as safetensors with pytorch-fid's state-dict names (infra/weights/convert_pytorch_fid.py)")
  @Default.String("")
  String getInceptionWeights();

  void setInceptionWeights(String value);

  @Description(
      "Folder of a trained domain classifier (classifier.safetensors + classifier.json), e.g. <store>/features/<key>")
  @Default.String("")
  String getClassifier();

  void setClassifier(String value);

  @Description(
      "Feature dimension; must equal the network's (2048 for Inception pool3); 0 = the network's")
  @Default.Integer(0)
  int getDims();

  void setDims(int value);

  @Description("Images per forward pass")
  @Default.Integer(50)
  int getBatchSize();

  void setBatchSize(int value);

  @Description("Output .npz (stats): pytorch-fid's mu and sigma, float64")
  @Default.String("")
  String getOut();

  void setOut(String value);

  @Description("Inception Score splits")
  @Default.Integer(10)
  int getSplits();

  void setSplits(int value);
}
