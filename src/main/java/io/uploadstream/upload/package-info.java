/** Uploading one local file to S3: keys, URLs, part plans, retries and the multipart uploader. */
package io.uploadstream.upload;
