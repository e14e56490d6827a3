package io.github.ocitokencache.testsupport.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ExternalCommand}.
 *
 * @author oci-token-cache team
 */
class ExternalCommandTests {

	private static final String MISSING = "oci-token-cache-no-such-command";

	@Test
	void missingCommandSkipsOutsideCi() {
		assertThatExceptionOfType(TestAbortedException.class)
			.isThrownBy(() -> ExternalCommand.installed(MISSING, "some-package", false))
			.withMessageContaining("'" + MISSING + "' is not installed (Debian package some-package");
	}

	@Test
	void missingCommandFailsOnCi() {
		assertThatIllegalStateException().isThrownBy(() -> ExternalCommand.installed(MISSING, "some-package", true))
			.withMessageContaining("is not installed")
			.withMessageEndingWith("and the CI environment variable is set");
	}

	@Test
	void runPassesEnvironmentAndCapturesOutput() {
		ExternalCommand.Result result = ExternalCommand.at(Path.of("/bin/sh"))
			.run(List.of("-c", "echo \"$GREETING\"; echo oops >&2; exit 3"), Map.of("GREETING", "hello"),
					Duration.ofSeconds(30));
		assertThat(result.exitCode()).isEqualTo(3);
		assertThat(result.stdout()).isEqualTo("hello\n");
		assertThat(result.stderr()).isEqualTo("oops\n");
	}

	@Test
	void runStopsCommandThatTakesTooLongWithoutShowingItsArguments() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ExternalCommand.at(Path.of("/bin/sh"))
				.run(List.of("-c", "exec sleep 5 # secret-argument"), Map.of(), Duration.ofMillis(200)))
			.withMessageStartingWith("'sh' did not finish within")
			.withMessageNotContaining("secret-argument");
	}

}
