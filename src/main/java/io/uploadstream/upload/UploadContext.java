package io.uploadstream.upload;

import java.util.concurrent.ExecutorService;

/** What one upload's parts share: the request, the open file and the uploader's resources. */
record UploadContext(
    UploadSpec spec,
    SourceFile file,
    UploaderSettings settings,
    ExecutorService executor,
    UploadListener listener,
    PartBuffers buffers) {}
