/** Training data as the core sees it: in-memory uint8 image sets. */
package org.spdiff.core.data;
