package io.github.ocitokencache.testsupport.registry;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.util.FileSystemUtils;

/**
 * A real CNCF Distribution registry ({@code docker-registry serve}) run as a child
 * process on {@code 127.0.0.1} and a free port, with filesystem storage in a temporary
 * directory.
 * <p>
 * It runs in one of two modes:
 * <ul>
 * <li>token authentication: the registry challenges with
 * {@code Bearer realm="<realm>",service="<service>",scope="..."} and accepts tokens
 * issued by {@code issuer}, for {@code service}, signed by a key whose certificate is in
 * its {@code rootcertbundle}. It never calls the realm itself; see
 * {@link TestTokenIssuer}.</li>
 * <li>htpasswd: the registry challenges with {@code Basic realm="local-registry"} and
 * lets every listed user do everything. Passwords are stored as bcrypt hashes.</li>
 * </ul>
 * The factory methods return once {@code GET /v2/} answers {@code 401}, which takes well
 * under a second; they fail with the tail of the registry's log if the process exits or
 * is not ready within 10 seconds. If {@code docker-registry} is not installed they skip
 * the calling test through a JUnit assumption, or fail it when the {@code CI} environment
 * variable is set.
 * <p>
 * {@link #close()} stops the process and deletes the temporary directory; a JVM shutdown
 * hook stops the process too if the test JVM exits without closing. Instances are not
 * meant to be started, restarted and closed from several threads at once; the accessors
 * may be called from any thread.
 *
 * @author oci-token-cache team
 */
public final class LocalRegistry implements AutoCloseable {

	/**
	 * Realm of the Basic challenge in htpasswd mode.
	 */
	public static final String HTPASSWD_REALM = "local-registry";

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

	private static final int LOG_TAIL_LINES = 30;

	private static final int BCRYPT_COST = 5;

	private static final Log logger = LogFactory.getLog(LocalRegistry.class);

	private final ExternalCommand command;

	private final Path directory;

	private final Path logFile;

	private final int port;

	private final @Nullable TokenAuth tokenAuth;

	private final Map<String, String> configurationOverrides;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final Thread shutdownHook;

	private volatile @Nullable Process process;

	private volatile List<SigningKey> trustedKeys;

	private LocalRegistry(ExternalCommand command, @Nullable TokenAuth tokenAuth, List<SigningKey> trustedKeys,
			Map<String, String> configurationOverrides) {
		configurationOverrides.keySet().forEach((name) -> {
			if (!name.startsWith("REGISTRY_")) {
				throw new IllegalArgumentException("Not a REGISTRY_ variable: '" + name + "'");
			}
		});
		this.command = command;
		this.tokenAuth = tokenAuth;
		this.configurationOverrides = Map.copyOf(configurationOverrides);
		this.trustedKeys = List.copyOf(trustedKeys);
		this.directory = createTempDirectory();
		this.logFile = this.directory.resolve("registry.log");
		this.port = freePort();
		this.shutdownHook = new Thread(this::destroyProcess, "local-registry-shutdown");
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Start a registry that trusts tokens from the given issuer, signed with its current
	 * signing key.
	 * @param issuer the token issuer
	 * @return the started registry
	 */
	public static LocalRegistry startWithTokenAuth(TestTokenIssuer issuer) {
		return startWithTokenAuth(issuer, Map.of());
	}

	/**
	 * Start a registry that trusts tokens from the given issuer, signed with its current
	 * signing key, with parts of its configuration overridden.
	 * @param issuer the token issuer
	 * @param configurationOverrides {@code REGISTRY_*} environment variables that
	 * override the generated configuration file, such as
	 * {@code REGISTRY_HTTP_RELATIVEURLS=true} or
	 * {@code REGISTRY_HTTP_DEBUG_ADDR=127.0.0.1:<port>}; they also apply after a restart
	 * @return the started registry
	 */
	public static LocalRegistry startWithTokenAuth(TestTokenIssuer issuer, Map<String, String> configurationOverrides) {
		ExternalCommand command = requireInstalled();
		return start(new LocalRegistry(command, new TokenAuth(issuer.realm(), issuer.service(), issuer.issuer()),
				List.of(issuer.signingKey()), configurationOverrides), Map.of());
	}

	/**
	 * Start a registry in token authentication mode.
	 * @param realm the token endpoint named in challenges
	 * @param service the service name, which tokens must name as audience
	 * @param issuer the issuer name, which tokens must name as {@code iss}
	 * @param trustedKeys the keys whose certificates make up the {@code rootcertbundle}
	 * @return the started registry
	 */
	public static LocalRegistry startWithTokenAuth(URI realm, String service, String issuer,
			List<SigningKey> trustedKeys) {
		if (trustedKeys.isEmpty()) {
			throw new IllegalArgumentException("At least one trusted key is needed");
		}
		ExternalCommand command = requireInstalled();
		return start(new LocalRegistry(command, new TokenAuth(realm, service, issuer), trustedKeys, Map.of()),
				Map.of());
	}

	/**
	 * Start a registry in htpasswd mode.
	 * @param users the password of each user name
	 * @return the started registry
	 */
	public static LocalRegistry startWithHtpasswd(Map<String, String> users) {
		if (users.isEmpty()) {
			throw new IllegalArgumentException("At least one user is needed");
		}
		ExternalCommand command = requireInstalled();
		return start(new LocalRegistry(command, null, List.of(), Map.of()), users);
	}

	/**
	 * Check that {@code docker-registry} is installed, before doing expensive
	 * preparations.
	 * @throws org.opentest4j.TestAbortedException if it is missing and {@code CI} is not
	 * set
	 * @throws IllegalStateException if it is missing and {@code CI} is set
	 */
	public static void checkInstalled() {
		requireInstalled();
	}

	private static ExternalCommand requireInstalled() {
		return ExternalCommand.installed("docker-registry", "docker-registry");
	}

	private static LocalRegistry start(LocalRegistry registry, Map<String, String> users) {
		try {
			registry.writeConfiguration(users);
			registry.startProcess();
			return registry;
		}
		catch (RuntimeException ex) {
			registry.close();
			throw ex;
		}
	}

	/**
	 * Return the registry's base URL.
	 * @return {@code http://127.0.0.1:<port>}, without a trailing slash
	 */
	public URI baseUrl() {
		return URI.create("http://" + hostAndPort());
	}

	/**
	 * Return the registry's host and port, as used in image references.
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String hostAndPort() {
		return "127.0.0.1:" + this.port;
	}

	/**
	 * Return the port the registry listens on; it stays the same across restarts.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return whether the registry runs in token authentication mode.
	 * @return {@code true} for token mode, {@code false} for htpasswd mode
	 */
	public boolean isTokenAuth() {
		return this.tokenAuth != null;
	}

	/**
	 * Return the keys the registry currently trusts; empty in htpasswd mode.
	 * @return the trusted keys
	 */
	public List<SigningKey> trustedKeys() {
		return this.trustedKeys;
	}

	/**
	 * Return the file that receives the registry's standard output and error, kept across
	 * restarts. It holds user names and request URLs, but no passwords or tokens.
	 * @return the log file
	 */
	public Path logFile() {
		return this.logFile;
	}

	/**
	 * Return the last lines of the registry's log.
	 * @return up to 30 lines
	 */
	public String logTail() {
		try {
			if (!Files.exists(this.logFile)) {
				return "";
			}
			List<String> lines = Files.readAllLines(this.logFile, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
		}
		catch (IOException ex) {
			return "(log unreadable: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Restart a token mode registry so that it trusts only the given keys, keeping its
	 * port and stored images. Tokens signed with a key that is no longer trusted are
	 * rejected with {@code error="invalid_token"} from then on.
	 * @param trustedKeys the keys to trust
	 * @throws IllegalStateException in htpasswd mode
	 */
	public void restart(List<SigningKey> trustedKeys) {
		if (this.tokenAuth == null) {
			throw new IllegalStateException("Only a token mode registry can be restarted with new keys");
		}
		if (trustedKeys.isEmpty()) {
			throw new IllegalArgumentException("At least one trusted key is needed");
		}
		destroyProcess();
		this.trustedKeys = List.copyOf(trustedKeys);
		writeConfiguration(Map.of());
		startProcess();
	}

	/**
	 * Restart a token mode registry so that it trusts only the given keys.
	 * @param trustedKeys the keys to trust
	 * @see #restart(List)
	 */
	public void restart(SigningKey... trustedKeys) {
		restart(List.of(trustedKeys));
	}

	/**
	 * Stop the registry (SIGTERM, then SIGKILL after 5 seconds) and delete its temporary
	 * directory, storage and log included. Calling it again has no effect.
	 */
	@Override
	public void close() {
		destroyProcess();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down; the hook runs anyway
		}
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + this.directory, ex);
		}
	}

	@Override
	public String toString() {
		return "LocalRegistry[" + hostAndPort() + ", " + ((this.tokenAuth != null) ? "token" : "htpasswd") + "]";
	}

	private void writeConfiguration(Map<String, String> users) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("version: 0.1\n");
		yaml.append("log:\n  level: info\n  formatter: text\n");
		yaml.append("storage:\n  filesystem:\n    rootdirectory: ").append(quote(this.directory.resolve("storage")));
		yaml.append("\n  delete:\n    enabled: true\n  cache:\n    blobdescriptor: inmemory\n");
		yaml.append("http:\n  addr: ").append(quote(hostAndPort())).append('\n');
		yaml.append("  secret: not-a-secret-but-fixed-for-tests\n");
		yaml.append("auth:\n");
		if (this.tokenAuth != null) {
			Path bundle = write("bundle.pem", SigningKey.certificateBundle(this.trustedKeys));
			yaml.append("  token:\n");
			yaml.append("    realm: ").append(quote(this.tokenAuth.realm())).append('\n');
			yaml.append("    service: ").append(quote(this.tokenAuth.service())).append('\n');
			yaml.append("    issuer: ").append(quote(this.tokenAuth.issuer())).append('\n');
			yaml.append("    rootcertbundle: ").append(quote(bundle)).append('\n');
		}
		else {
			Path htpasswd = write("htpasswd", htpasswd(users));
			yaml.append("  htpasswd:\n");
			yaml.append("    realm: ").append(quote(HTPASSWD_REALM)).append('\n');
			yaml.append("    path: ").append(quote(htpasswd)).append('\n');
		}
		write("config.yml", yaml.toString());
	}

	private static String htpasswd(Map<String, String> users) {
		// The registry (Go's x/crypto/bcrypt) accepts Spring's $2a$ hashes as they are
		BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(BCRYPT_COST);
		StringBuilder htpasswd = new StringBuilder();
		users.forEach((name, password) -> {
			if (name.isEmpty() || name.contains(":") || name.contains("\n")) {
				throw new IllegalArgumentException("Unsupported user name '" + name + "'");
			}
			htpasswd.append(name).append(':').append(encoder.encode(password)).append('\n');
		});
		return htpasswd.toString();
	}

	private void startProcess() {
		ProcessBuilder builder = this.command
			.processBuilder(List.of("serve", this.directory.resolve("config.yml").toString()))
			.directory(this.directory.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.logFile.toFile()));
		// REGISTRY_* variables override the configuration file: only ours may do so
		builder.environment().keySet().removeIf((name) -> name.startsWith("REGISTRY_"));
		builder.environment().putAll(this.configurationOverrides);
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + this.command.executable(), ex);
		}
		awaitReady();
		logger.debug("Registry started on " + baseUrl() + " (" + this + ")");
	}

	private void awaitReady() {
		HttpRequest probe = HttpRequest.newBuilder(baseUrl().resolve("/v2/")).timeout(Duration.ofSeconds(1)).build();
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		String lastOutcome = "no answer";
		while (System.nanoTime() < deadline) {
			Process current = this.process;
			if (current == null || !current.isAlive()) {
				int exitCode = (current != null) ? current.exitValue() : -1;
				throw new IllegalStateException(
						"docker-registry exited with code " + exitCode + " before it became ready on " + hostAndPort()
								+ "; last lines of " + this.logFile + ":\n" + logTail());
			}
			try {
				int status = this.http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status == 401) {
					return;
				}
				lastOutcome = "status " + status;
			}
			catch (IOException ex) {
				lastOutcome = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				destroyProcess();
				throw new IllegalStateException("Interrupted while waiting for the registry", ex);
			}
			pause();
		}
		destroyProcess();
		throw new IllegalStateException("docker-registry did not answer GET /v2/ with 401 within "
				+ STARTUP_TIMEOUT.toSeconds() + " s on " + hostAndPort() + " (last: " + lastOutcome
				+ "); last lines of " + this.logFile + ":\n" + logTail());
	}

	private static void pause() {
		try {
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void destroyProcess() {
		Process current = this.process;
		if (current == null) {
			return;
		}
		try {
			current.destroy();
			if (!current.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				current.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			current.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	private Path write(String fileName, String content) {
		Path file = this.directory.resolve(fileName);
		try {
			return Files.writeString(file, content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write " + file, ex);
		}
	}

	private static String quote(Object value) {
		String text = value.toString();
		if (text.contains("\"") || text.contains("\\") || text.contains("\n")) {
			throw new IllegalArgumentException("Unsupported configuration value '" + text + "'");
		}
		return "\"" + text + "\"";
	}

	private static Path createTempDirectory() {
		try {
			return Files.createTempDirectory("local-registry-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory", ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	private record TokenAuth(URI realm, String service, String issuer) {

	}

}
