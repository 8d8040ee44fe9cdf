/** The benchmark harness behind {@code ./bench/run}; built only with {@code -Pbench}. */
package io.uploadstream.bench;
