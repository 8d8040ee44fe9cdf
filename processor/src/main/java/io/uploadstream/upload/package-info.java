/** Moving one local file's bytes to S3: part plans, checksums, retries, resume, the janitor. */
package io.uploadstream.upload;
