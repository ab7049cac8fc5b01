/** The diffusion method in DJL. Sub-packages hold one concept each; nothing here imports Beam. */
package org.spdiff.core;
