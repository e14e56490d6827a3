package io.github.ocitokencache.sample.registrydemo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.util.FileSystemUtils;

/**
 * A {@code docker-registry} in token mode, run as a child process on {@code 127.0.0.1}
 * for a test, trusting the tokens of a {@link LocalAuthServiceStandIn}.
 *
 * @author oci-token-cache team
 */
final class LocalRegistryProcess implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);

	private final Path directory;

	private final int port;

	private final Process process;

	private LocalRegistryProcess(Path directory, int port, Process process) {
		this.directory = directory;
		this.port = port;
		this.process = process;
	}

	/**
	 * Start a registry that sends clients to the given realm and trusts the certificate
	 * in the given file.
	 * @param directory a directory for the configuration, storage and log
	 * @param realm the token endpoint
	 * @param certificate the PEM certificate of the key tokens are signed with
	 * @return the running registry, answering {@code GET /v2/} with 401
	 * @throws IOException if it cannot be started
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	static LocalRegistryProcess start(Path directory, URI realm, Path certificate)
			throws IOException, InterruptedException {
		int port = freePort();
		Path configuration = directory.resolve("registry.yml");
		Files.writeString(configuration,
				"""
						version: 0.1
						log:
						  level: warn
						storage:
						  filesystem:
						    rootdirectory: %s
						http:
						  addr: 127.0.0.1:%d
						  secret: registry-demo-test
						auth:
						  token:
						    realm: %s
						    service: %s
						    issuer: %s
						    rootcertbundle: %s
						""".formatted(directory.resolve("storage"), port, realm,
						LocalAuthServiceStandIn.Settings.DEFAULT_SERVICE,
						LocalAuthServiceStandIn.Settings.DEFAULT_ISSUER, certificate));
		Process process = new ProcessBuilder("docker-registry", "serve", configuration.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("registry.log").toFile())
			.start();
		LocalRegistryProcess registry = new LocalRegistryProcess(directory, port, process);
		try {
			registry.awaitChallenge();
			return registry;
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			registry.close();
			throw ex;
		}
	}

	private void awaitChallenge() throws IOException, InterruptedException {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"docker-registry exited: " + Files.readString(this.directory.resolve("registry.log")));
			}
			try {
				if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			Thread.sleep(50);
		}
		throw new IllegalStateException("docker-registry did not answer within " + STARTUP_TIMEOUT);
	}

	/**
	 * Return the registry's host and port.
	 * @return {@code 127.0.0.1:<port>}
	 */
	String address() {
		return "127.0.0.1:" + this.port;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			FileSystemUtils.deleteRecursively(this.directory.resolve("storage"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
