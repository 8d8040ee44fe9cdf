/** Building the S3 client: endpoint, credentials, HTTP pool, timeouts, trust store, signing. */
package io.uploadstream.s3;
