package io.github.ocitokencache.sample.registrydemo;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Checks that the commands a test runs are installed: a test is skipped without them, but
 * fails on CI (when the {@code CI} environment variable is set), where
 * {@code .ci/test.sh} installs them.
 *
 * @author oci-token-cache team
 */
final class ExternalTools {

	private ExternalTools() {
	}

	static void requireInstalled(String... commands) {
		for (String command : commands) {
			boolean installed = isInstalled(command);
			if (!installed && System.getenv("CI") != null) {
				throw new IllegalStateException(command + " is not installed; run .ci/install-packages.sh " + command);
			}
			Assumptions.assumeTrue(installed, () -> command + " is not installed");
		}
	}

	private static boolean isInstalled(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, command))) {
				return true;
			}
		}
		return false;
	}

}
