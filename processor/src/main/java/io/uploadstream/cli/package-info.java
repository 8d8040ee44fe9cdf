/** The {@code upload-stream} command line: thin picocli adapters over the composition root. */
package io.uploadstream.cli;
