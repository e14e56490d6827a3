package io.github.ocitokencache.testsupport.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A token endpoint that plays the authorization service of a {@link LocalRegistry} in
 * token mode: it authenticates callers and mints RS256 JWTs the registry accepts.
 * <p>
 * It answers on {@link #realm()} ({@code http://127.0.0.1:<port>/token}):
 * <ul>
 * <li>{@code GET /token?service=S&scope=A&scope=B[&account=U]}, the Docker token
 * protocol. A caller is authenticated with HTTP Basic against the configured users; a
 * wrong user name or password, or any other kind of {@code Authorization} header, gets
 * {@code 401} with a JSON error. A caller without credentials gets {@code 401} too,
 * unless anonymous pull is enabled, in which case it is granted the {@code pull} action
 * only. The {@code account} parameter is accepted and ignored: the Basic user name is
 * authoritative.</li>
 * <li>{@code POST /token} with a form body, the OAuth2 flavour:
 * {@code grant_type=refresh_token} with a {@code refresh_token} that is one of the
 * configured identity tokens, or {@code grant_type=password} with {@code username} and
 * {@code password}; both also need {@code service}, {@code client_id} and any number of
 * {@code scope} parameters. Failures are answered with {@code 400} and an OAuth2
 * {@code error}.</li>
 * </ul>
 * Each {@code scope} parameter may hold several space-separated scopes of the form
 * {@code <type>[(<class>)]:<name>:<action>[,<action>...]}, for example
 * {@code repository:demo/app:pull,push} or {@code registry:catalog:*}. A service other
 * than the configured one is answered with {@code 400}.
 * <p>
 * A successful answer is {@code 200} with {@code {"token":..., "access_token":...,
 * "expires_in":..., "issued_at":...}} (the OAuth2 answer also has {@code scope}). The
 * token has the header {@code alg=RS256}, {@code typ=JWT} and {@code kid} (the libtrust
 * id of the signing key), and the claims {@code iss}, {@code sub} (absent for anonymous
 * callers), {@code aud} (a single string, the service), {@code exp}, {@code nbf},
 * {@code iat}, {@code jti} and {@code access}, a list of {@code {"type":..., "name":...,
 * "actions":[...]}} holding the granted actions of every requested resource, with
 * resources that were granted no action left out.
 * <p>
 * Every request to {@code /token}, successful or not, is recorded as a
 * {@link TokenRequest} before it is answered, so a test can assert how many token
 * requests a client made as soon as the client has its answer. This class is thread-safe:
 * the signing key, token lifetime and whether {@code expires_in} is sent may be changed
 * while requests are served. The issuer never logs a password or a token.
 *
 * @author oci-token-cache team
 */
public final class TestTokenIssuer implements AutoCloseable {

	/**
	 * Default service name, the token audience.
	 */
	public static final String DEFAULT_SERVICE = "test-registry";

	/**
	 * Default issuer name, the {@code iss} claim.
	 */
	public static final String DEFAULT_ISSUER = "test-issuer";

	/**
	 * Default token lifetime.
	 */
	public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

	private static final String PULL = "pull";

	private static final Log logger = LogFactory.getLog(TestTokenIssuer.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String service;

	private final String issuer;

	private final Map<String, User> users;

	private final Map<String, String> identityTokens;

	private final boolean anonymousPull;

	private final HttpServer server;

	private final ExecutorService executor;

	private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

	private volatile SigningKey signingKey;

	private volatile Duration tokenLifetime;

	private volatile boolean sendExpiresIn;

	private TestTokenIssuer(Builder builder) {
		this.service = builder.service;
		this.issuer = builder.issuer;
		this.users = Map.copyOf(builder.users);
		this.identityTokens = Map.copyOf(builder.identityTokens);
		this.anonymousPull = builder.anonymousPull;
		this.signingKey = builder.signingKey;
		this.tokenLifetime = builder.tokenLifetime;
		this.sendExpiresIn = builder.sendExpiresIn;
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the token issuer", ex);
		}
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "test-token-issuer");
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/token", this::handle);
		this.server.start();
		logger.debug("Token issuer started on " + realm());
	}

	/**
	 * Return a builder for an issuer that signs with the given key.
	 * @param signingKey the key to sign tokens with
	 * @return a new builder
	 */
	public static Builder builder(SigningKey signingKey) {
		return new Builder(signingKey);
	}

	/**
	 * Return the URL of the token endpoint, the {@code realm} of the registry's
	 * challenge.
	 * @return {@code http://127.0.0.1:<port>/token}
	 */
	public URI realm() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/token");
	}

	/**
	 * Return the service name that callers must send and tokens name as audience.
	 * @return the service name
	 */
	public String service() {
		return this.service;
	}

	/**
	 * Return the issuer name, the {@code iss} claim of every token.
	 * @return the issuer name
	 */
	public String issuer() {
		return this.issuer;
	}

	/**
	 * Return the key that tokens are currently signed with.
	 * @return the signing key
	 */
	public SigningKey signingKey() {
		return this.signingKey;
	}

	/**
	 * Sign all tokens minted from now on with the given key. The registry rejects them
	 * until it trusts the key (see {@link LocalRegistry#restart(List)}).
	 * @param signingKey the new signing key
	 */
	public void rotateKey(SigningKey signingKey) {
		this.signingKey = signingKey;
	}

	/**
	 * Return the lifetime of tokens minted from now on.
	 * @return the token lifetime
	 */
	public Duration tokenLifetime() {
		return this.tokenLifetime;
	}

	/**
	 * Set the lifetime of tokens minted from now on: {@code exp} is {@code iat} plus the
	 * lifetime in whole seconds, and {@code expires_in} is that number of seconds. Short
	 * lifetimes are allowed, and zero or negative ones mint tokens that are already
	 * expired. Note that the registry accepts a token for 60 seconds after its
	 * {@code exp}.
	 * @param tokenLifetime the token lifetime
	 */
	public void setTokenLifetime(Duration tokenLifetime) {
		this.tokenLifetime = tokenLifetime;
	}

	/**
	 * Set whether answers carry {@code expires_in}. Without it a client has to assume the
	 * Docker default of 60 seconds or read {@code exp} from the token.
	 * @param sendExpiresIn whether to send {@code expires_in}
	 */
	public void setSendExpiresIn(boolean sendExpiresIn) {
		this.sendExpiresIn = sendExpiresIn;
	}

	/**
	 * Return the number of requests received since start or the last
	 * {@link #resetRequests()}, including rejected ones.
	 * @return the request count
	 */
	public int requestCount() {
		return this.requests.size();
	}

	/**
	 * Return the requests received since start or the last {@link #resetRequests()}, in
	 * the order they were answered.
	 * @return an immutable snapshot of the recorded requests
	 */
	public List<TokenRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Forget the recorded requests.
	 */
	public void resetRequests() {
		this.requests.clear();
	}

	/**
	 * Mint a token directly, without a request and without an authorization check: the
	 * token grants exactly the given scopes. The request count is unchanged.
	 * @param subject the {@code sub} claim, or {@code null} to leave it out
	 * @param scopes scopes such as {@code repository:demo/app:pull}
	 * @return the signed token
	 */
	public String mintToken(@Nullable String subject, String... scopes) {
		return mint(subject, Access.parse(List.of(scopes)), Instant.now().truncatedTo(ChronoUnit.SECONDS),
				this.tokenLifetime);
	}

	/**
	 * Stop the server. Calling it again has no effect.
	 */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
		logger.debug("Token issuer on " + realm() + " stopped");
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			String method = exchange.getRequestMethod();
			boolean authorizationPresent = exchange.getRequestHeaders().containsKey("Authorization");
			if (!"/token".equals(exchange.getRequestURI().getPath())) {
				record(new TokenRequest(method, null, List.of(), authorizationPresent, null, null, 404));
				respond(exchange, 404, errors("NOT_FOUND", "not found"));
				return;
			}
			switch (method) {
				case "GET" -> handleGet(exchange, authorizationPresent);
				case "POST" -> handlePost(exchange, authorizationPresent);
				default -> {
					record(new TokenRequest(method, null, List.of(), authorizationPresent, null, null, 405));
					exchange.getResponseHeaders().add("Allow", "GET, POST");
					respond(exchange, 405, errors("UNSUPPORTED", "method not allowed"));
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Token issuer failed to answer a request", ex);
			throw ex;
		}
		finally {
			exchange.close();
		}
	}

	private void handleGet(HttpExchange exchange, boolean authorizationPresent) throws IOException {
		Map<String, List<String>> parameters = parseForm(exchange.getRequestURI().getRawQuery());
		String service = first(parameters, "service");
		List<String> scopes = splitScopes(parameters.getOrDefault("scope", List.of()));
		Caller caller = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
		IntConsumer recorder = (status) -> record(new TokenRequest("GET", service, scopes, authorizationPresent,
				(caller != null) ? caller.name() : null, null, status));
		if (!this.service.equals(service)) {
			recorder.accept(400);
			respond(exchange, 400, errors("DENIED", "unknown service"));
			return;
		}
		if (caller == null) {
			recorder.accept(401);
			exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"" + this.issuer + "\"");
			respond(exchange, 401,
					errors("UNAUTHORIZED", authorizationPresent ? "invalid credentials" : "authentication required"));
			return;
		}
		List<Access> requested;
		try {
			requested = Access.parse(scopes);
		}
		catch (IllegalArgumentException ex) {
			recorder.accept(400);
			respond(exchange, 400, errors("DENIED", ex.getMessage()));
			return;
		}
		recorder.accept(200);
		respond(exchange, 200, tokenResponse(caller, requested, false));
	}

	private void handlePost(HttpExchange exchange, boolean authorizationPresent) throws IOException {
		Map<String, List<String>> form;
		try (InputStream body = exchange.getRequestBody()) {
			form = parseForm(new String(body.readAllBytes(), StandardCharsets.UTF_8));
		}
		String service = first(form, "service");
		String grantType = first(form, "grant_type");
		List<String> scopes = splitScopes(form.getOrDefault("scope", List.of()));
		Caller caller = null;
		String error = null;
		if ("refresh_token".equals(grantType)) {
			String user = this.identityTokens.get(first(form, "refresh_token"));
			caller = (user != null) ? new Caller(user, this.users.get(user).actions()) : null;
			error = (caller != null) ? null : "invalid_grant";
		}
		else if ("password".equals(grantType)) {
			caller = authenticate(first(form, "username"), first(form, "password"));
			error = (caller != null) ? null : "invalid_grant";
		}
		else {
			error = "unsupported_grant_type";
		}
		List<Access> requested = List.of();
		if (error == null && (!this.service.equals(service) || first(form, "client_id") == null)) {
			error = "invalid_request";
		}
		if (error == null) {
			try {
				requested = Access.parse(scopes);
			}
			catch (IllegalArgumentException ex) {
				error = "invalid_scope";
			}
		}
		int status = (error != null) ? 400 : 200;
		record(new TokenRequest("POST", service, scopes, authorizationPresent, (caller != null) ? caller.name() : null,
				grantType, status));
		if (error != null) {
			respond(exchange, 400, Map.of("error", error));
			return;
		}
		respond(exchange, 200, tokenResponse(caller, requested, true));
	}

	private Map<String, Object> tokenResponse(Caller caller, List<Access> requested, boolean oauth) {
		List<Access> granted = grant(caller, requested);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Duration lifetime = this.tokenLifetime;
		String token = mint(caller.name(), granted, now, lifetime);
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("token", token);
		response.put("access_token", token);
		if (this.sendExpiresIn) {
			response.put("expires_in", lifetime.toSeconds());
		}
		response.put("issued_at", now.toString());
		if (oauth) {
			response.put("scope", granted.stream().map(Access::toString).collect(Collectors.joining(" ")));
		}
		logger.debug("Issued a token for " + ((caller.name() != null) ? caller.name() : "an anonymous caller")
				+ " granting " + granted);
		return response;
	}

	private List<Access> grant(Caller caller, List<Access> requested) {
		List<Access> granted = new ArrayList<>();
		for (Access access : requested) {
			List<String> actions = access.actions()
				.stream()
				.filter((action) -> caller.actions() == null || caller.actions().contains(action))
				.toList();
			if (!actions.isEmpty()) {
				granted.add(new Access(access.type(), access.name(), actions));
			}
		}
		return granted;
	}

	private String mint(@Nullable String subject, List<Access> access, Instant issuedAt, Duration lifetime) {
		SigningKey key = this.signingKey;
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
			.keyID(key.keyId())
			.build();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(subject)
			.audience(this.service)
			.expirationTime(Date.from(issuedAt.plusSeconds(lifetime.toSeconds())))
			.notBeforeTime(Date.from(issuedAt))
			.issueTime(Date.from(issuedAt))
			.jwtID(UUID.randomUUID().toString().replace("-", ""))
			.claim("access", access.stream().map(Access::toClaim).toList())
			.build();
		SignedJWT jwt = new SignedJWT(header, claims);
		try {
			jwt.sign(new RSASSASigner(key.privateKey()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a token", ex);
		}
		return jwt.serialize();
	}

	private @Nullable Caller authenticate(@Nullable String authorization) {
		if (authorization == null) {
			return this.anonymousPull ? new Caller(null, Set.of(PULL)) : null;
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
		int colon = credentials.indexOf(':');
		return (colon >= 0) ? authenticate(credentials.substring(0, colon), credentials.substring(colon + 1)) : null;
	}

	private @Nullable Caller authenticate(@Nullable String name, @Nullable String password) {
		User user = (name != null) ? this.users.get(name) : null;
		if (user == null || password == null || !MessageDigest.isEqual(user.password().getBytes(StandardCharsets.UTF_8),
				password.getBytes(StandardCharsets.UTF_8))) {
			return null;
		}
		return new Caller(name, user.actions());
	}

	private void record(TokenRequest request) {
		this.requests.add(request);
	}

	private static Map<String, Object> errors(String code, String message) {
		return Map.of("errors", List.of(Map.of("code", code, "message", message)));
	}

	private static void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
		byte[] bytes = json.writeValueAsBytes(body);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream output = exchange.getResponseBody()) {
			output.write(bytes);
		}
	}

	private static Map<String, List<String>> parseForm(@Nullable String encoded) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return parameters;
		}
		for (String pair : encoded.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = URLDecoder.decode((equals >= 0) ? pair.substring(0, equals) : pair, StandardCharsets.UTF_8);
			String value = (equals >= 0) ? URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8) : "";
			parameters.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}
		return parameters;
	}

	private static @Nullable String first(Map<String, List<String>> parameters, String name) {
		List<String> values = parameters.get(name);
		return (values != null && !values.isEmpty()) ? values.get(0) : null;
	}

	private static List<String> splitScopes(List<String> parameters) {
		List<String> scopes = new ArrayList<>();
		for (String parameter : parameters) {
			for (String scope : parameter.trim().split("\\s+")) {
				if (!scope.isEmpty()) {
					scopes.add(scope);
				}
			}
		}
		return Collections.unmodifiableList(scopes);
	}

	/**
	 * A request received by the issuer.
	 *
	 * @param method the HTTP method
	 * @param service the {@code service} parameter, or {@code null} if absent
	 * @param scopes the requested scopes, one element per space-separated scope, in
	 * request order
	 * @param authorizationPresent whether the request had an {@code Authorization} header
	 * @param user the authenticated user, or {@code null} if anonymous or not
	 * authenticated
	 * @param grantType the OAuth2 {@code grant_type} of a {@code POST}, or {@code null}
	 * @param status the HTTP status of the answer
	 */
	public record TokenRequest(String method, @Nullable String service, List<String> scopes,
			boolean authorizationPresent, @Nullable String user, @Nullable String grantType, int status) {

	}

	/**
	 * An entry of the {@code access} claim: actions granted on one resource.
	 *
	 * @param type the resource type, such as {@code repository} or {@code registry}
	 * @param name the resource name, such as {@code demo/app} or {@code catalog}
	 * @param actions the actions, such as {@code pull}, {@code push} or {@code *}
	 */
	public record Access(String type, String name, List<String> actions) {

		/**
		 * Parse scopes into access entries, merging the actions of scopes that name the
		 * same resource. A resource class such as {@code repository(plugin)} is dropped,
		 * as the registry ignores it.
		 * @param scopes scopes such as {@code repository:demo/app:pull,push}
		 * @return the access entries in the order their resources first appear
		 * @throws IllegalArgumentException if a scope is malformed
		 */
		public static List<Access> parse(List<String> scopes) {
			Map<String, Set<String>> actionsByResource = new LinkedHashMap<>();
			for (String scope : scopes) {
				int first = scope.indexOf(':');
				int last = scope.lastIndexOf(':');
				if (first <= 0 || last == first || last == first + 1 || last == scope.length() - 1) {
					throw new IllegalArgumentException("malformed scope '" + scope + "'");
				}
				String type = scope.substring(0, first).replaceFirst("\\(.*\\)$", "");
				String resource = type + ":" + scope.substring(first + 1, last);
				Set<String> actions = actionsByResource.computeIfAbsent(resource, (key) -> new LinkedHashSet<>());
				for (String action : scope.substring(last + 1).split(",")) {
					if (!action.isEmpty()) {
						actions.add(action);
					}
				}
			}
			List<Access> access = new ArrayList<>();
			actionsByResource.forEach((resource, actions) -> {
				int colon = resource.indexOf(':');
				access
					.add(new Access(resource.substring(0, colon), resource.substring(colon + 1), List.copyOf(actions)));
			});
			return access;
		}

		Map<String, Object> toClaim() {
			Map<String, Object> claim = new LinkedHashMap<>();
			claim.put("type", this.type);
			claim.put("name", this.name);
			claim.put("actions", this.actions);
			return claim;
		}

		@Override
		public String toString() {
			return this.type + ":" + this.name + ":" + String.join(",", this.actions);
		}

	}

	/**
	 * Builder for a {@link TestTokenIssuer}.
	 */
	public static final class Builder {

		private final SigningKey signingKey;

		private final Map<String, User> users = new LinkedHashMap<>();

		private final Map<String, String> identityTokens = new LinkedHashMap<>();

		private String service = DEFAULT_SERVICE;

		private String issuer = DEFAULT_ISSUER;

		private boolean anonymousPull;

		private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;

		private boolean sendExpiresIn = true;

		private Builder(SigningKey signingKey) {
			this.signingKey = signingKey;
		}

		/**
		 * Set the service name (default {@value TestTokenIssuer#DEFAULT_SERVICE}).
		 * @param service the service name, which callers must send and tokens name as
		 * audience
		 * @return this builder
		 */
		public Builder service(String service) {
			this.service = service;
			return this;
		}

		/**
		 * Set the issuer name (default {@value TestTokenIssuer#DEFAULT_ISSUER}).
		 * @param issuer the {@code iss} claim
		 * @return this builder
		 */
		public Builder issuer(String issuer) {
			this.issuer = issuer;
			return this;
		}

		/**
		 * Add a user who is granted every action asked for.
		 * @param name the user name
		 * @param password the password
		 * @return this builder
		 */
		public Builder user(String name, String password) {
			this.users.put(name, new User(password, null));
			return this;
		}

		/**
		 * Add a user who is granted only the given actions, for example just
		 * {@code pull}.
		 * @param name the user name
		 * @param password the password
		 * @param actions the actions the user may be granted
		 * @return this builder
		 */
		public Builder user(String name, String password, Set<String> actions) {
			this.users.put(name, new User(password, Set.copyOf(actions)));
			return this;
		}

		/**
		 * Add an identity token, accepted as {@code refresh_token} of an OAuth2
		 * {@code POST} and mapped to a user added before.
		 * @param identityToken the identity token
		 * @param user the name of the user it stands for
		 * @return this builder
		 */
		public Builder identityToken(String identityToken, String user) {
			if (!this.users.containsKey(user)) {
				throw new IllegalArgumentException("Unknown user '" + user + "'");
			}
			this.identityTokens.put(identityToken, user);
			return this;
		}

		/**
		 * Grant callers without credentials the {@code pull} action (by default they get
		 * {@code 401}).
		 * @return this builder
		 */
		public Builder anonymousPull() {
			this.anonymousPull = true;
			return this;
		}

		/**
		 * Set the initial token lifetime (default 5 minutes).
		 * @param tokenLifetime the token lifetime
		 * @return this builder
		 * @see TestTokenIssuer#setTokenLifetime(Duration)
		 */
		public Builder tokenLifetime(Duration tokenLifetime) {
			this.tokenLifetime = tokenLifetime;
			return this;
		}

		/**
		 * Set whether answers initially carry {@code expires_in} (default {@code true}).
		 * @param sendExpiresIn whether to send {@code expires_in}
		 * @return this builder
		 */
		public Builder sendExpiresIn(boolean sendExpiresIn) {
			this.sendExpiresIn = sendExpiresIn;
			return this;
		}

		/**
		 * Start an issuer on a free loopback port.
		 * @return the started issuer
		 */
		public TestTokenIssuer start() {
			return new TestTokenIssuer(this);
		}

	}

	private record User(String password, @Nullable Set<String> actions) {

		@Override
		public String toString() {
			return "User[actions=" + this.actions + "]";
		}

	}

	private record Caller(@Nullable String name, @Nullable Set<String> actions) {

	}

}
