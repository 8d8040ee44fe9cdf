/**
 * The processor: one consumer-group member that turns upload requests into uploads and results,
 * committing offsets only past requests whose results are safely published.
 */
package io.uploadstream.processor;
