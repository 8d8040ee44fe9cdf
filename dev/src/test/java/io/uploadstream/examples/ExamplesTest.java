package io.uploadstream.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uploadstream.deploy.RepositoryFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples for other stacks (README, "Other languages and the shell") at least parse. */
class ExamplesTest {
  static final Path KCAT_EXAMPLE = RepositoryFiles.path("examples/kcat/submit-and-wait.sh");
  static final Path PYTHON_EXAMPLE = RepositoryFiles.path("examples/python/submit_and_wait.py");

  @TempDir Path dir;

  @Test
  void kcatExample_isValidBash() throws Exception {
    Command.Run run =
        Command.run(List.of("bash", "-n", KCAT_EXAMPLE.toString()), java.util.Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void pythonExample_compiles() throws Exception {
    assumeTrue(Command.exists("python3"), "python3 is not installed");
    String compile =
        "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)";

    Command.Run run =
        Command.run(
            List.of(
                "python3",
                "-c",
                compile,
                PYTHON_EXAMPLE.toString(),
                dir.resolve("x.pyc").toString()),
            java.util.Map.of());

    assertThat(run.exitCode()).as(run.output()).isZero();
  }
}
