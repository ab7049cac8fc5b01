/** Feature networks and the scores computed on their features (FID, IS, KID). No Beam. */
package org.spdiff.metrics;
