package org.spdiff.metrics.prdc;

/**
 * Receives the Gram blocks a PRDC pass computes anyway, so that another statistic of the same pairs
 * (KID's kernel sums) needs no products of its own. Blocks arrive in row order, one call at a time;
 * the arrays are only valid during the call.
 */
public interface GramBlockListener {
  /**
   * @param gram (to - from, M) row-major: rows [from, to) of the generated set times all M
   *     generated rows
   */
  void generatedBlock(int from, int to, double[] gram);

  /**
   * @param gram (to - from, M) row-major: rows [from, to) of the real set times all M generated
   *     rows
   */
  void referenceBlock(int from, int to, double[] gram);
}
