package io.github.ocitokencache.auth;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.github.ocitokencache.cache.BasicCredentials;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryCredential;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenResponseException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.util.Assert;

/**
 * Authenticates requests to OCI registries with credentials from a {@link TokenCache}.
 * Add it to the {@code RestClient} that talks to registries, and to no other:
 * <pre class="code">
 * RestClient registryClient = restClientBuilder.requestFactory(new JdkClientHttpRequestFactory())
 * 	.requestInterceptor(registryAuthInterceptor)
 * 	.build();
 * </pre>
 * <p>
 * <b>What a request is about.</b> The repository comes from a {@code /v2/<name>/...} path
 * ending in {@code manifests/<reference>}, {@code blobs/<digest>},
 * {@code blobs/uploads/[<id>]}, {@code tags/list} or {@code referrers/<digest>}; the
 * registry from the URL's host and port (Docker Hub's spellings are one registry).
 * Uploads are pushes; otherwise {@code GET} and {@code HEAD} are pulls and {@code POST},
 * {@code PUT} and {@code PATCH} pushes.
 * <p>
 * <b>Credentials sent.</b> A repository request carries the cached credential for its
 * repository and operation. On a cold key, if the registry's host has challenged before,
 * the credential is fetched through the cache before the request is sent, which saves the
 * round trip of a 401. Otherwise the request goes out without one.
 * <p>
 * <b>Challenges.</b> A 401 is answered at most once, and the request is then sent again
 * with the same body (Spring buffers it for interceptors):
 * <ul>
 * <li>a {@code Bearer} challenge to a request that carried no token: a token is fetched
 * with {@link TokenEndpointClient} through
 * {@link TokenCache#get(ImageReference, RegistryOperation, java.util.function.Supplier)},
 * so concurrent requests for one repository and operation cause one token request;</li>
 * <li>a {@code Bearer} challenge to a request that carried a token, with
 * {@code error="invalid_token"} or no error: that token is invalidated (only if the cache
 * still holds it) and one new token is fetched through the cache;</li>
 * <li>a {@code Bearer} challenge with {@code error="insufficient_scope"} to a request
 * that carried a token (a cross-repository mount, for example, also needs {@code pull} on
 * the source): a token for the challenge's scopes is fetched and used once,
 * uncached;</li>
 * <li>a {@code Basic} challenge: the credentials configured for the registry's host, if
 * any, cached without expiry; a request that already carried them is not retried.</li>
 * </ul>
 * Whatever the second answer is, it is returned as it is. A failed token request throws
 * its exception ({@link TokenResponseException} for a refusal, with its status;
 * {@link TokenRequestException}, {@link InvalidChallengeException} or
 * {@link InsecureRealmException} otherwise), and nothing is cached.
 * <p>
 * <b>Requests the cache does not model.</b> A {@code DELETE} needs the {@code delete}
 * action: it is sent without a bearer token, and a {@code Bearer} challenge is answered
 * with a token for the scopes the challenge asks, used once and not cached. Paths that
 * are not repository paths, such as the {@code /v2/} ping or {@code /v2/_catalog}, get
 * the configured Basic credentials of a registry known to use Basic authentication and
 * nothing else; their challenges are only remembered, which warms the cache for later
 * repository requests. A request that already has an {@code Authorization} header is
 * passed on untouched.
 * <p>
 * <b>Redirects.</b> Registries redirect blob downloads to storage hosts. A credential
 * must never follow a redirect to another host, and the JDK {@code HttpClient} does
 * forward the {@code Authorization} header when it follows redirects itself. Use a
 * request factory that does not follow redirects, such as
 * {@code new JdkClientHttpRequestFactory()}, whose {@code HttpClient} follows none (a
 * factory built by Spring Boot may follow them, depending on its redirect setting). This
 * interceptor then follows the redirects of {@code GET} and {@code HEAD} repository
 * requests itself, up to {@value #MAX_REDIRECTS} of them, sending the credential only to
 * the origin (scheme, host and port) of the original request.
 * <p>
 * Instances are thread-safe. No token, password or {@code Authorization} header is ever
 * logged.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class RegistryAuthInterceptor implements ClientHttpRequestInterceptor {

	/**
	 * The most redirects followed for one request.
	 */
	public static final int MAX_REDIRECTS = 5;

	private static final String INVALID_TOKEN = "invalid_token";

	private static final String INSUFFICIENT_SCOPE = "insufficient_scope";

	private static final Log logger = LogFactory.getLog(RegistryAuthInterceptor.class);

	private final TokenCache tokenCache;

	private final TokenEndpointClient tokenEndpointClient;

	private final Map<String, RegistryLogin> logins;

	private final List<TokenFetchListener> fetchListeners;

	private final ConcurrentMap<String, AuthChallenge> challenges = new ConcurrentHashMap<>();

	/**
	 * Create an interceptor that asks token endpoints anonymously.
	 * @param tokenCache the cache of credentials
	 * @param tokenEndpointClient fetches tokens from token endpoints
	 */
	public RegistryAuthInterceptor(TokenCache tokenCache, TokenEndpointClient tokenEndpointClient) {
		this(builder(tokenCache, tokenEndpointClient));
	}

	private RegistryAuthInterceptor(Builder builder) {
		this.tokenCache = builder.tokenCache;
		this.tokenEndpointClient = builder.tokenEndpointClient;
		this.logins = Map.copyOf(builder.logins);
		this.fetchListeners = List.copyOf(builder.fetchListeners);
	}

	/**
	 * Return a builder for an interceptor.
	 * @param tokenCache the cache of credentials
	 * @param tokenEndpointClient fetches tokens from token endpoints
	 * @return a new builder
	 */
	public static Builder builder(TokenCache tokenCache, TokenEndpointClient tokenEndpointClient) {
		return new Builder(tokenCache, tokenEndpointClient);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		URI uri = request.getURI();
		String registry = RepositoryRequest.registry(uri);
		if (registry == null || request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			return execution.execute(request, body);
		}
		RepositoryRequest target = RepositoryRequest.of(request.getMethod(), uri);
		RegistryCredential sent = credentialBeforeSending(registry, target, uri);
		Answered answered = send(request, uri, body, sent, execution, target);
		ClientHttpResponse response = answered.response();
		// A 401 from a host a redirect led to is that host's business, not a challenge of
		// this registry: nothing is remembered, fetched or cached for it.
		if (response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value() || !isSameOrigin(uri, answered.by())) {
			return response;
		}
		AuthChallenge challenge = WwwAuthenticate.from(response.getHeaders()).preferredChallenge();
		if (challenge == null) {
			return response;
		}
		remember(registry, challenge, uri);
		RegistryCredential retry = answer(registry, challenge, sent, target, uri);
		if (retry == null || retry.equals(sent)) {
			return response;
		}
		response.close();
		if (logger.isDebugEnabled()) {
			logger.debug("Answering a " + challenge.scheme() + " challenge of registry " + registry + " to "
					+ request.getMethod() + " " + uri.getRawPath() + " and sending it again");
		}
		return send(request, uri, body, retry, execution, target).response();
	}

	private @Nullable RegistryCredential credentialBeforeSending(String registry, @Nullable RepositoryRequest target,
			URI uri) {
		AuthChallenge known = this.challenges.get(registry);
		BasicCredentials basic = basicCredentials(registry);
		if (target == null || target.operation() == null) {
			return (known != null && known.isBasic()) ? basic : null;
		}
		ImageReference reference = target.reference();
		RegistryOperation operation = target.operation();
		RegistryCredential cached = this.tokenCache.get(reference, operation);
		if (cached != null || known == null) {
			return cached;
		}
		if (known.isBearer()) {
			try {
				return this.tokenCache.load(reference, operation,
						() -> fetch(known, uri, reference, operation, this.logins.get(registry)));
			}
			catch (RuntimeException ex) {
				// The remembered realm may have moved or be down for a moment. Forget it
				// and
				// send the request without a token, so that the registry challenges
				// afresh;
				// if its realm fails too, that failure reaches the caller.
				this.challenges.remove(registry, known);
				if (logger.isDebugEnabled()) {
					logger.debug("Token request to the remembered realm of registry " + registry
							+ " failed; asking the registry for a new challenge: " + ex.getMessage());
				}
				return null;
			}
		}
		return (basic != null) ? this.tokenCache.load(reference, operation, () -> basic) : null;
	}

	private @Nullable RegistryCredential answer(String registry, AuthChallenge challenge,
			@Nullable RegistryCredential sent, @Nullable RepositoryRequest target, URI uri) {
		if (challenge.isBasic()) {
			return answerBasic(registry, sent, target);
		}
		if (target == null) {
			return null;
		}
		ImageReference reference = target.reference();
		RegistryOperation operation = target.operation();
		RegistryLogin login = this.logins.get(registry);
		if (operation == null || (sent instanceof BearerToken && INSUFFICIENT_SCOPE.equals(challenge.error()))) {
			return fetch(challenge, uri, reference, operation, login);
		}
		if (sent != null) {
			this.tokenCache.invalidate(reference, operation, sent);
		}
		return this.tokenCache.load(reference, operation, () -> fetch(challenge, uri, reference, operation, login));
	}

	private @Nullable RegistryCredential answerBasic(String registry, @Nullable RegistryCredential sent,
			@Nullable RepositoryRequest target) {
		BasicCredentials basic = basicCredentials(registry);
		if (basic == null || sent instanceof BasicCredentials) {
			return null;
		}
		if (target == null || target.operation() == null) {
			return basic;
		}
		if (sent != null) {
			this.tokenCache.invalidate(target.reference(), target.operation(), sent);
		}
		return this.tokenCache.load(target.reference(), target.operation(), () -> basic);
	}

	private @Nullable BasicCredentials basicCredentials(String registry) {
		RegistryLogin login = this.logins.get(registry);
		return (login != null) ? login.basicCredentials() : null;
	}

	private void remember(String registry, AuthChallenge challenge, URI uri) {
		if (challenge.isBasic()) {
			this.challenges.put(registry, new AuthChallenge(AuthChallenge.BASIC, null, Map.of()));
			return;
		}
		try {
			Map<String, String> parameters = new LinkedHashMap<>();
			parameters.put("realm", challenge.resolveRealm(uri).toString());
			if (challenge.service() != null) {
				parameters.put("service", challenge.service());
			}
			this.challenges.put(registry, new AuthChallenge(AuthChallenge.BEARER, null, parameters));
		}
		catch (InvalidChallengeException ex) {
			// An unusable realm fails when it is answered; it is not kept for later.
			this.challenges.remove(registry);
		}
	}

	private RegistryCredential fetch(AuthChallenge challenge, URI uri, ImageReference reference,
			@Nullable RegistryOperation operation, @Nullable RegistryLogin login) {
		long start = System.nanoTime();
		TokenFetchListener.Outcome outcome = TokenFetchListener.Outcome.ERROR;
		try {
			BearerToken token = this.tokenEndpointClient.fetch(challenge, uri, reference,
					(operation != null) ? operation : RegistryOperation.PULL, login);
			outcome = TokenFetchListener.Outcome.SUCCESS;
			return token;
		}
		catch (TokenResponseException ex) {
			outcome = (ex.getStatusCode() >= 400) ? TokenFetchListener.Outcome.REFUSED
					: TokenFetchListener.Outcome.ERROR;
			throw ex;
		}
		finally {
			tellFetchListeners(operation, outcome, Duration.ofNanos(System.nanoTime() - start));
		}
	}

	private void tellFetchListeners(@Nullable RegistryOperation operation, TokenFetchListener.Outcome outcome,
			Duration duration) {
		for (TokenFetchListener listener : this.fetchListeners) {
			try {
				listener.tokenFetched(operation, outcome, duration);
			}
			catch (RuntimeException ex) {
				// A listener only observes; its failure must neither fail the request nor
				// replace the token or the exception of the fetch. Listeners are given no
				// token or credential, so their exception cannot hold one.
				logger.warn("Token fetch listener " + listener.getClass().getName() + " failed", ex);
			}
		}
	}

	private Answered send(HttpRequest request, URI uri, byte[] body, @Nullable RegistryCredential credential,
			ClientHttpRequestExecution execution, @Nullable RepositoryRequest target) throws IOException {
		ClientHttpResponse response = execution.execute(authorized(request, uri, credential), body);
		if (target == null || !isFollowed(request.getMethod())) {
			return new Answered(response, uri);
		}
		URI current = uri;
		for (int redirects = 0; redirects < MAX_REDIRECTS && isRedirect(response); redirects++) {
			URI location = location(response, current);
			if (location == null) {
				return new Answered(response, current);
			}
			response.close();
			current = location;
			RegistryCredential forwarded = isSameOrigin(uri, location) ? credential : null;
			if (logger.isDebugEnabled()) {
				logger.debug("Following a redirect from registry " + target.reference().registry() + " to host '"
						+ location.getHost() + "'" + ((forwarded != null) ? " with" : " without") + " credentials");
			}
			response = execution.execute(authorized(request, location, forwarded), new byte[0]);
		}
		return new Answered(response, current);
	}

	private static HttpRequest authorized(HttpRequest request, URI uri, @Nullable RegistryCredential credential) {
		HttpHeaders headers = HttpHeaders.copyOf(request.getHeaders());
		if (credential != null) {
			headers.set(HttpHeaders.AUTHORIZATION, credential.authorization());
		}
		return new HttpRequestWrapper(request) {

			@Override
			public URI getURI() {
				return uri;
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

	private static boolean isFollowed(HttpMethod method) {
		return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method);
	}

	private static boolean isRedirect(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
	}

	private static @Nullable URI location(ClientHttpResponse response, URI base) {
		URI location = response.getHeaders().getLocation();
		if (location == null) {
			return null;
		}
		URI resolved = base.resolve(location);
		String scheme = resolved.getScheme();
		boolean web = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
		return (web && resolved.getHost() != null) ? resolved : null;
	}

	private static boolean isSameOrigin(URI original, URI location) {
		return original.getScheme().equalsIgnoreCase(location.getScheme())
				&& original.getHost().toLowerCase(Locale.ROOT).equals(location.getHost().toLowerCase(Locale.ROOT))
				&& port(original) == port(location);
	}

	private static int port(URI uri) {
		if (uri.getPort() != -1) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	@Override
	public String toString() {
		return "RegistryAuthInterceptor[registriesWithLogins=" + this.logins.keySet() + "]";
	}

	/**
	 * Settings for a {@link RegistryAuthInterceptor}.
	 */
	public static final class Builder {

		private final TokenCache tokenCache;

		private final TokenEndpointClient tokenEndpointClient;

		private final Map<String, RegistryLogin> logins = new LinkedHashMap<>();

		private final List<TokenFetchListener> fetchListeners = new ArrayList<>();

		private Builder(TokenCache tokenCache, TokenEndpointClient tokenEndpointClient) {
			Assert.notNull(tokenCache, "'tokenCache' must not be null");
			Assert.notNull(tokenEndpointClient, "'tokenEndpointClient' must not be null");
			this.tokenCache = tokenCache;
			this.tokenEndpointClient = tokenEndpointClient;
		}

		/**
		 * Use the given credentials for a registry: sent to its token endpoint when the
		 * {@link RealmPolicy} allows, or answering its {@code Basic} challenges.
		 * @param registry the registry's host, with its port if it has one, such as
		 * {@code registry.example.com:5000}; Docker Hub's spellings are one registry
		 * @param login the credentials
		 * @return this builder
		 */
		public Builder login(String registry, RegistryLogin login) {
			Assert.hasLength(registry, "'registry' must not be empty");
			Assert.notNull(login, "'login' must not be null");
			String canonical = RepositoryRequest.registry(URI.create("http://" + registry.trim()));
			Assert.isTrue(canonical != null, () -> "'" + registry + "' is not a registry host");
			this.logins.put(Objects.requireNonNull(canonical), login);
			return this;
		}

		/**
		 * Tell the given listener, too, about every token request. Listeners are told in
		 * the order they were added; one that throws is logged at warning level and
		 * skipped, and neither the request nor the other listeners notice.
		 * @param fetchListener the listener
		 * @return this builder
		 */
		public Builder fetchListener(TokenFetchListener fetchListener) {
			Assert.notNull(fetchListener, "'fetchListener' must not be null");
			this.fetchListeners.add(fetchListener);
			return this;
		}

		/**
		 * Build the interceptor.
		 * @return a new interceptor
		 */
		public RegistryAuthInterceptor build() {
			return new RegistryAuthInterceptor(this);
		}

	}

	/**
	 * A response and the URI that answered it, which differs from the request's after a
	 * redirect.
	 */
	private record Answered(ClientHttpResponse response, URI by) {

	}

}
