package io.uploadstream.processor;

import io.uploadstream.testing.PipelineFixture;
import java.nio.file.Path;

/**
 * The pipeline scenarios with {@code processor.consumption=share}, on the embedded broker and S3
 * server: where the semantics of the two modes agree (no crash, so no repeated result), share
 * consumption passes the same scenarios as group consumption ({@link ProcessorIT}).
 */
class ShareProcessorIT extends PipelineScenarios {
  @Override
  PipelineFixture newPipeline(Path files, int partitions) {
    return PipelineFixture.onSharedStack(files, partitions).set("processor.consumption", "share");
  }
}
