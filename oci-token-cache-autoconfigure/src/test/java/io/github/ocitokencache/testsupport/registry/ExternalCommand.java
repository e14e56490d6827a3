package io.github.ocitokencache.testsupport.registry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * An executable the harness runs as a child process: {@code docker-registry},
 * {@code skopeo} or the JDK's {@code keytool}.
 * <p>
 * A missing Debian-packaged executable skips the calling test through a JUnit assumption,
 * unless the {@code CI} environment variable is set: on CI it fails the test, so that a
 * broken installation cannot pass as a green build with everything skipped.
 *
 * @author oci-token-cache team
 */
final class ExternalCommand {

	private static final int MAX_OUTPUT_IN_MESSAGE = 4000;

	private final String name;

	private final Path executable;

	private ExternalCommand(String name, Path executable) {
		this.name = name;
		this.executable = executable;
	}

	/**
	 * Return the command of the given name, installed from the given Debian package,
	 * looked up in {@code /usr/bin} and then on the {@code PATH}.
	 * @param name the executable's file name
	 * @param debianPackage the Debian package that provides it
	 * @return the command
	 * @throws org.opentest4j.TestAbortedException if it is missing and {@code CI} is not
	 * set
	 * @throws IllegalStateException if it is missing and {@code CI} is set
	 */
	static ExternalCommand installed(String name, String debianPackage) {
		return installed(name, debianPackage, isCi());
	}

	static ExternalCommand installed(String name, String debianPackage, boolean ci) {
		Path executable = find(name);
		if (executable == null) {
			String message = "'" + name + "' is not installed (Debian package " + debianPackage
					+ "; run .ci/install-packages.sh)";
			if (ci) {
				throw new IllegalStateException(message + " and the CI environment variable is set");
			}
			Assumptions.abort(message);
		}
		return new ExternalCommand(name, executable);
	}

	/**
	 * Return the command at the given path, which must exist.
	 * @param executable the executable
	 * @return the command
	 */
	static ExternalCommand at(Path executable) {
		if (!Files.isExecutable(executable)) {
			throw new IllegalStateException("'" + executable + "' is not an executable file");
		}
		return new ExternalCommand(executable.getFileName().toString(), executable);
	}

	/**
	 * Whether an executable of the given name is installed.
	 * @param name the executable's file name
	 * @return whether it was found in {@code /usr/bin} or on the {@code PATH}
	 */
	static boolean isInstalled(String name) {
		return find(name) != null;
	}

	private static Path find(String name) {
		List<Path> candidates = new ArrayList<>();
		candidates.add(Path.of("/usr/bin", name));
		String path = System.getenv("PATH");
		if (path != null) {
			for (String directory : path.split(File.pathSeparator)) {
				if (!directory.isEmpty()) {
					candidates.add(Path.of(directory, name));
				}
			}
		}
		return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
	}

	private static boolean isCi() {
		String ci = System.getenv("CI");
		return ci != null && !ci.isBlank();
	}

	String name() {
		return this.name;
	}

	Path executable() {
		return this.executable;
	}

	/**
	 * Return a process builder for this command with the given arguments.
	 * @param arguments the arguments
	 * @return a new process builder
	 */
	ProcessBuilder processBuilder(List<String> arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.executable.toString());
		command.addAll(arguments);
		return new ProcessBuilder(command);
	}

	/**
	 * Run the command to completion and return its output. Neither the arguments nor the
	 * environment appear in exception messages, so callers may pass secrets through the
	 * environment.
	 * @param arguments the arguments
	 * @param environment variables added to the inherited environment
	 * @param timeout how long to wait for the command to finish
	 * @return the result; the exit code is not checked
	 * @throws IllegalStateException if the command does not finish in time
	 */
	Result run(List<String> arguments, Map<String, String> environment, Duration timeout) {
		ProcessBuilder builder = processBuilder(arguments);
		builder.environment().putAll(environment);
		builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		try {
			Process process = builder.start();
			CompletableFuture<String> stdout = readAsync(process.getInputStream());
			CompletableFuture<String> stderr = readAsync(process.getErrorStream());
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				throw new IllegalStateException("'" + this.name + "' did not finish within " + timeout.toSeconds()
						+ " s; stderr: " + abbreviate(stderr.getNow("")));
			}
			return new Result(process.exitValue(), stdout.join(), stderr.join());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run '" + this.name + "'", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for '" + this.name + "'", ex);
		}
	}

	private static CompletableFuture<String> readAsync(InputStream stream) {
		return CompletableFuture.supplyAsync(() -> {
			try (stream) {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "";
			}
		}, ExternalCommand::startDaemonThread);
	}

	// A thread per stream: on a small common pool, draining stdout could wait behind
	// stderr
	// while the child blocks on a full stderr pipe.
	private static void startDaemonThread(Runnable task) {
		Thread thread = new Thread(task, "external-command-output");
		thread.setDaemon(true);
		thread.start();
	}

	static String abbreviate(String output) {
		String trimmed = output.strip();
		return (trimmed.length() <= MAX_OUTPUT_IN_MESSAGE) ? trimmed
				: "..." + trimmed.substring(trimmed.length() - MAX_OUTPUT_IN_MESSAGE);
	}

	/**
	 * The outcome of a command run to completion.
	 *
	 * @param exitCode the exit code
	 * @param stdout the standard output
	 * @param stderr the standard error output
	 */
	record Result(int exitCode, String stdout, String stderr) {

		boolean isSuccess() {
			return this.exitCode == 0;
		}

	}

}
