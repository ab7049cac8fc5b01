package org.spdiff.pipelines.experiment;

/** A wrong experiment file: the message names the file, the field path and the reason. */
public class ExperimentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ExperimentException(String message) {
    super(message);
  }
}
