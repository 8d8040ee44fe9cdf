/** Operations: Prometheus metrics, the health and metrics HTTP endpoint, outcome logs. */
package io.uploadstream.ops;
