/** Offline checks of the Kubernetes deployment files in {@code infra/k8s/}. */
package org.spdiff.infra.k8s;
