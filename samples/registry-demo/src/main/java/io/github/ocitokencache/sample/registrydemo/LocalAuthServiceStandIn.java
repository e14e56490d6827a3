package io.github.ocitokencache.sample.registrydemo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for a registry's authorization service, for the demo only: what
 * {@code auth.docker.io} or GHCR's token endpoint is to their registries, this is to a
 * {@code docker-registry} started on loopback in token mode. It is not part of the
 * starter, and no application should run it.
 * <p>
 * It generates an RSA key and a self-signed certificate with the JDK's {@code keytool},
 * writes the certificate to a file the registry reads as its {@code rootcertbundle}, and
 * answers on {@code 127.0.0.1}:
 * <ul>
 * <li>{@code GET /token?service=S&scope=repository:NAME:ACTIONS...}, the Docker token
 * protocol: a caller with the configured user name and password (HTTP Basic) is granted
 * what it asks for, a caller without credentials is granted {@code pull} only, a caller
 * with wrong credentials gets {@code 401}. The answer is {@code {"token": ...,
 * "access_token": ..., "expires_in": ..., "issued_at": ...}}; the token is an RS256 JWT
 * whose header names the key by its libtrust key id ({@code kid}), with {@code aud} a
 * single string and {@code exp}, {@code nbf} and {@code iat} whole seconds, as CNCF
 * Distribution 2.8 demands.</li>
 * <li>{@code GET /stats}: {@code {"tokenRequests": N, "tokensIssued": N, "refused": N}},
 * counted since start, so the demo can show how many tokens a client asked for.</li>
 * </ul>
 * Neither tokens nor passwords are ever printed. Instances are thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class LocalAuthServiceStandIn implements AutoCloseable {

	/**
	 * Environment variable that holds the password of the demo user.
	 */
	public static final String PASSWORD_VARIABLE = "DEMO_REGISTRY_PASSWORD";

	private static final String KEYSTORE_PASSWORD_VARIABLE = "DEMO_KEYSTORE_PASSWORD";

	private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Settings settings;

	private final PrivateKey privateKey;

	private final String keyId;

	private final HttpServer server;

	private final ExecutorService executor;

	private final AtomicLong tokenRequests = new AtomicLong();

	private final AtomicLong tokensIssued = new AtomicLong();

	private final AtomicLong refused = new AtomicLong();

	private LocalAuthServiceStandIn(Settings settings, PrivateKey privateKey, X509Certificate certificate)
			throws IOException {
		this.settings = settings;
		this.privateKey = privateKey;
		this.keyId = libtrustKeyId(certificate);
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
		this.executor = Executors.newFixedThreadPool(4);
		this.server.setExecutor(this.executor);
		this.server.createContext("/token", this::token);
		this.server.createContext("/stats", this::stats);
		this.server.start();
	}

	/**
	 * Generate a signing key, write its certificate and start answering.
	 * @param settings what to listen on, whom to accept and what to sign
	 * @return the running stand-in
	 */
	public static LocalAuthServiceStandIn start(Settings settings) {
		try {
			Path directory = Files.createTempDirectory("auth-stand-in-");
			try {
				Path keystore = directory.resolve("signing.p12");
				String password = HexFormat.of().formatHex(randomBytes(16));
				generateKey(keystore, password);
				KeyStore store = KeyStore.getInstance("PKCS12");
				try (InputStream input = Files.newInputStream(keystore)) {
					store.load(input, password.toCharArray());
				}
				PrivateKey privateKey = (PrivateKey) store.getKey("signing", password.toCharArray());
				X509Certificate certificate = (X509Certificate) store.getCertificate("signing");
				Files.writeString(settings.certificateFile(), pem(certificate), StandardCharsets.US_ASCII);
				return new LocalAuthServiceStandIn(settings, privateKey, certificate);
			}
			finally {
				Files.deleteIfExists(directory.resolve("signing.p12"));
				Files.deleteIfExists(directory);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the local auth service stand-in", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not load the key keytool generated", ex);
		}
	}

	/**
	 * Run the stand-in until the process is stopped. Arguments:
	 * {@code --port=N --certificate=FILE [--service=S] [--issuer=I] [--username=U]
	 * [--token-lifetime-secs=N]}; the password is read from the environment variable
	 * {@value #PASSWORD_VARIABLE}, so that it shows in no process listing.
	 * @param args the arguments
	 * @throws InterruptedException if interrupted while running
	 */
	public static void main(String[] args) throws InterruptedException {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
			}
			options.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		String password = System.getenv(PASSWORD_VARIABLE);
		if (password == null || password.isEmpty()) {
			throw new IllegalStateException("Set " + PASSWORD_VARIABLE + " to the demo user's password");
		}
		Settings settings = new Settings(Integer.parseInt(require(options, "port")),
				Path.of(require(options, "certificate")), options.getOrDefault("service", Settings.DEFAULT_SERVICE),
				options.getOrDefault("issuer", Settings.DEFAULT_ISSUER), options.getOrDefault("username", "demo"),
				password, Duration.ofSeconds(Long.parseLong(options.getOrDefault("token-lifetime-secs", "300"))));
		LocalAuthServiceStandIn standIn = start(settings);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			standIn.close();
			stopped.countDown();
		}));
		System.out.println("Local auth service stand-in listening on " + standIn.realm() + " (user "
				+ settings.username() + ", tokens live " + settings.tokenLifetime().toSeconds() + "s)");
		stopped.await();
	}

	private static String require(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("Missing --" + name + "=...");
		}
		return value;
	}

	/**
	 * Return the token endpoint, the realm the registry names in its challenges.
	 * @return {@code http://127.0.0.1:<port>/token}
	 */
	public URI realm() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/token");
	}

	/**
	 * Return the number of requests to the token endpoint so far, answered or refused.
	 * @return the count
	 */
	public long tokenRequests() {
		return this.tokenRequests.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void stats(HttpExchange exchange) throws IOException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("tokenRequests", this.tokenRequests.get());
		body.put("tokensIssued", this.tokensIssued.get());
		body.put("refused", this.refused.get());
		respond(exchange, 200, body);
	}

	private void token(HttpExchange exchange) throws IOException {
		this.tokenRequests.incrementAndGet();
		if (!"GET".equals(exchange.getRequestMethod())) {
			refuse(exchange, 405, "UNSUPPORTED", "only GET is supported");
			return;
		}
		Map<String, List<String>> parameters = parseQuery(exchange.getRequestURI().getRawQuery());
		if (!List.of(this.settings.service()).equals(parameters.get("service"))) {
			refuse(exchange, 400, "DENIED", "unknown service");
			return;
		}
		Set<String> allowedActions = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
		if (allowedActions == null) {
			exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + this.settings.issuer() + "\"");
			refuse(exchange, 401, "UNAUTHORIZED", "authentication required");
			return;
		}
		List<Map<String, Object>> access = new ArrayList<>();
		for (String parameter : parameters.getOrDefault("scope", List.of())) {
			for (String scope : parameter.trim().split("\\s+")) {
				Map<String, Object> granted = grant(scope, allowedActions);
				if (granted != null) {
					access.add(granted);
				}
			}
		}
		boolean authenticated = allowedActions.contains("push");
		Instant now = Instant.now();
		long lifetime = this.settings.tokenLifetime().toSeconds();
		Map<String, Object> body = new LinkedHashMap<>();
		String token = sign(authenticated ? this.settings.username() : null, access, now.getEpochSecond(), lifetime);
		body.put("token", token);
		body.put("access_token", token);
		body.put("expires_in", lifetime);
		body.put("issued_at", now.truncatedTo(ChronoUnit.SECONDS).toString());
		this.tokensIssued.incrementAndGet();
		respond(exchange, 200, body);
	}

	private @Nullable Set<String> authenticate(@Nullable String authorization) {
		if (authorization == null) {
			return Set.of("pull");
		}
		if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			return null;
		}
		String credentials;
		try {
			credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		String expected = this.settings.username() + ":" + this.settings.password();
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
				credentials.getBytes(StandardCharsets.UTF_8)) ? Set.of("pull", "push") : null;
	}

	private static @Nullable Map<String, Object> grant(String scope, Set<String> allowedActions) {
		int first = scope.indexOf(':');
		int last = scope.lastIndexOf(':');
		if (first <= 0 || last <= first + 1) {
			return null;
		}
		Set<String> actions = new LinkedHashSet<>();
		for (String action : scope.substring(last + 1).split(",")) {
			if (allowedActions.contains(action)) {
				actions.add(action);
			}
		}
		if (actions.isEmpty()) {
			return null;
		}
		Map<String, Object> granted = new LinkedHashMap<>();
		granted.put("type", scope.substring(0, first));
		granted.put("name", scope.substring(first + 1, last));
		granted.put("actions", List.copyOf(actions));
		return granted;
	}

	private String sign(@Nullable String subject, List<Map<String, Object>> access, long issuedAt, long lifetime) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "RS256");
		header.put("typ", "JWT");
		header.put("kid", this.keyId);
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.settings.issuer());
		if (subject != null) {
			claims.put("sub", subject);
		}
		claims.put("aud", this.settings.service());
		claims.put("exp", issuedAt + lifetime);
		claims.put("nbf", issuedAt);
		claims.put("iat", issuedAt);
		claims.put("jti", UUID.randomUUID().toString());
		claims.put("access", access);
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String signingInput = base64.encodeToString(json.writeValueAsBytes(header)) + "."
				+ base64.encodeToString(json.writeValueAsBytes(claims));
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(this.privateKey);
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + base64.encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not sign a token", ex);
		}
	}

	private void refuse(HttpExchange exchange, int status, String code, String message) throws IOException {
		this.refused.incrementAndGet();
		respond(exchange, status, Map.of("errors", List.of(Map.of("code", code, "message", message))));
	}

	private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = json.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream output = exchange.getResponseBody()) {
			output.write(bytes);
		}
	}

	private static Map<String, List<String>> parseQuery(@Nullable String query) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (query != null) {
			for (String pair : query.split("&")) {
				int equals = pair.indexOf('=');
				if (equals > 0) {
					parameters
						.computeIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
								(name) -> new ArrayList<>())
						.add(URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
				}
			}
		}
		return parameters;
	}

	private static void generateKey(Path keystore, String password) throws IOException {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "signing", "-keyalg",
				"RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA", "-dname", "CN=local-auth-service-stand-in",
				"-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass:env",
				KEYSTORE_PASSWORD_VARIABLE, "-keypass:env", KEYSTORE_PASSWORD_VARIABLE, "-noprompt")
			.redirectErrorStream(true);
		builder.environment().put(KEYSTORE_PASSWORD_VARIABLE, password);
		Process process = builder.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool failed: " + output.strip());
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while keytool generated the signing key", ex);
		}
	}

	/**
	 * Return the libtrust key id of a certificate's public key, the {@code kid} CNCF
	 * Distribution looks up in its {@code rootcertbundle}: SHA-256 of the DER
	 * SubjectPublicKeyInfo, its first 30 bytes in base32 without padding, in groups of
	 * four joined by {@code :}.
	 * @param certificate the certificate
	 * @return the key id
	 */
	static String libtrustKeyId(X509Certificate certificate) {
		byte[] digest;
		try {
			digest = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		StringBuilder base32 = new StringBuilder();
		int buffer = 0;
		int bits = 0;
		for (byte b : Arrays.copyOf(digest, 30)) {
			buffer = (buffer << 8) | (b & 0xff);
			bits += 8;
			while (bits >= 5) {
				base32.append(BASE32.charAt((buffer >> (bits - 5)) & 0x1f));
				bits -= 5;
			}
		}
		StringBuilder keyId = new StringBuilder();
		for (int i = 0; i < base32.length(); i += 4) {
			keyId.append((i > 0) ? ":" : "").append(base32, i, i + 4);
		}
		return keyId.toString();
	}

	private static String pem(X509Certificate certificate) throws GeneralSecurityException {
		return "-----BEGIN CERTIFICATE-----\n"
				+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(certificate.getEncoded())
				+ "\n-----END CERTIFICATE-----\n";
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new SecureRandom().nextBytes(bytes);
		return bytes;
	}

	/**
	 * What the stand-in listens on, whom it accepts and what it signs.
	 *
	 * @param port the loopback port, {@code 0} for any free one
	 * @param certificateFile where to write the PEM certificate the registry trusts
	 * @param service the service, which callers must name and tokens carry as audience
	 * @param issuer the issuer, the tokens' {@code iss}
	 * @param username the one user granted push
	 * @param password that user's password
	 * @param tokenLifetime how long each token is valid
	 */
	public record Settings(int port, Path certificateFile, String service, String issuer, String username,
			String password, Duration tokenLifetime) {

		/**
		 * The default service name.
		 */
		public static final String DEFAULT_SERVICE = "registry-demo";

		/**
		 * The default issuer name.
		 */
		public static final String DEFAULT_ISSUER = "local-auth-service-stand-in";

		@Override
		public String toString() {
			return "Settings[port=" + this.port + ", service=" + this.service + ", issuer=" + this.issuer
					+ ", username=" + this.username + ", password=<redacted>, tokenLifetime=" + this.tokenLifetime
					+ "]";
		}

	}

}
