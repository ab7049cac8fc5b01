/** Test stand-ins: a tiny {@code DiffusionNet} and toy image sets. */
package org.spdiff.core.testing;
