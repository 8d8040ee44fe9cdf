/**
 * Settings: values read from a properties file and {@code UPLOAD_STREAM_*} environment variables.
 */
package io.uploadstream.config;
