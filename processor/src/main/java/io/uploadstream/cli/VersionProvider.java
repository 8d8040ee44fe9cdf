package io.uploadstream.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (or "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = UploadStreamCli.class.getPackage().getImplementationVersion();
    return new String[] {"upload-stream " + (version == null ? "dev" : version)};
  }
}
