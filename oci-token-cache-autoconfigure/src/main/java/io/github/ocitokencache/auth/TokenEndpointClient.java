package io.github.ocitokencache.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;

import io.github.ocitokencache.cache.BasicCredentials;
import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.cache.TokenResponseReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Fetches a token from the realm of a registry's {@code Bearer} challenge, on Spring's
 * {@link RestClient}.
 * <p>
 * The request is built by {@link TokenRequest}: {@code GET} with the {@code scope} and
 * {@code service} parameters, anonymous or with Basic credentials, or the OAuth2 refresh
 * token {@code POST} when the registry's login is an identity token. Where credentials
 * may go is decided by the {@link RealmPolicy}: a realm the policy does not trust with
 * them is asked anonymously, and a plain {@code http} realm for an {@code https} registry
 * is not asked at all.
 * <p>
 * The answer is read with {@link TokenResponseReader} from its raw status, content type
 * and body (at most {@value #MAX_RESPONSE_BYTES} bytes), so every status reaches the
 * reader: a refusal (such as 401, 403 or 5xx) becomes a {@link TokenResponseException}
 * with the status and the registry's error code. Redirects are not followed when the
 * client's own request factory is used. A failure to get an answer at all (connection,
 * timeout) becomes a {@link TokenRequestException}. Nothing is cached here, and no
 * message or log line holds a token or a credential.
 * <p>
 * Instances are thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenEndpointClient {

	/**
	 * The largest answer read from a token endpoint, in bytes.
	 */
	public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

	/**
	 * The default time allowed to connect to a token endpoint.
	 */
	public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The default time allowed for a token endpoint's answer.
	 */
	public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);

	private static final Log logger = LogFactory.getLog(TokenEndpointClient.class);

	private final RestClient restClient;

	private final RealmPolicy realmPolicy;

	private final TokenResponseReader responseReader;

	/**
	 * Create a client on a {@link RestClient} built from the given builder with a request
	 * factory on the JDK's {@link HttpClient} that has the given timeouts and follows no
	 * redirects. The builder itself is not changed.
	 * @param restClientBuilder the builder to start from
	 * @param realmPolicy where credentials may be sent
	 * @param responseReader reads token endpoint answers
	 * @param connectTimeout the time allowed to connect
	 * @param readTimeout the time allowed for the answer
	 */
	public TokenEndpointClient(RestClient.Builder restClientBuilder, RealmPolicy realmPolicy,
			TokenResponseReader responseReader, Duration connectTimeout, Duration readTimeout) {
		this(restClientBuilder.clone().requestFactory(requestFactory(connectTimeout, readTimeout)).build(), realmPolicy,
				responseReader);
	}

	/**
	 * Create a client on the given {@link RestClient}, whose request factory sets
	 * timeouts and redirect handling.
	 * @param restClient the client to send token requests with
	 * @param realmPolicy where credentials may be sent
	 * @param responseReader reads token endpoint answers
	 */
	public TokenEndpointClient(RestClient restClient, RealmPolicy realmPolicy, TokenResponseReader responseReader) {
		Assert.notNull(restClient, "'restClient' must not be null");
		Assert.notNull(realmPolicy, "'realmPolicy' must not be null");
		Assert.notNull(responseReader, "'responseReader' must not be null");
		this.restClient = restClient;
		this.realmPolicy = realmPolicy;
		this.responseReader = responseReader;
	}

	private static JdkClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout) {
		Assert.isTrue(connectTimeout.compareTo(Duration.ZERO) > 0, "'connectTimeout' must be positive");
		Assert.isTrue(readTimeout.compareTo(Duration.ZERO) > 0, "'readTimeout' must be positive");
		HttpClient httpClient = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(readTimeout);
		return requestFactory;
	}

	/**
	 * Fetch a token that answers a bearer challenge.
	 * @param challenge the registry's {@code Bearer} challenge
	 * @param requestUrl the URL of the registry request that received the challenge; a
	 * relative realm is resolved against it
	 * @param reference the image the token is for; only registry and repository matter
	 * @param operation the operation the token is for
	 * @param login the credentials configured for the registry, if any
	 * @return the token
	 * @throws IllegalArgumentException if the challenge is not a bearer challenge
	 * @throws InvalidChallengeException if the challenge's realm cannot be used
	 * @throws InsecureRealmException if the realm is plain http for an https registry
	 * @throws TokenResponseException if the endpoint refused the request or its answer
	 * holds no token
	 * @throws TokenRequestException if no answer could be had
	 */
	public BearerToken fetch(AuthChallenge challenge, URI requestUrl, ImageReference reference,
			RegistryOperation operation, @Nullable RegistryLogin login) {
		TokenRequest request = TokenRequest.forChallenge(challenge, requestUrl, reference, operation);
		URI realm = request.realm();
		String realmHost = realm.getHost().toLowerCase(Locale.ROOT);
		this.realmPolicy.requireSecureTransport(realm, requestUrl, reference);
		BasicCredentials basicCredentials = null;
		if (login != null) {
			if (!this.realmPolicy.allowsCredentials(realm, reference)) {
				logger.warn("Not sending the credentials configured for registry '" + reference.registry()
						+ "' to token realm host '" + realmHost + "', which is neither the registry's host "
						+ "nor trusted for it; asking anonymously");
			}
			else if (login.identityToken() != null) {
				request = request.withRefreshToken(login.identityToken());
			}
			else {
				basicCredentials = login.basicCredentials();
			}
		}
		BearerToken token = send(request, basicCredentials, realmHost, reference.registry());
		if (logger.isDebugEnabled()) {
			logger.debug("Fetched a token for " + operation + " of " + reference.registry() + "/"
					+ reference.repository() + " from realm host '" + realmHost + "'"
					+ (request.usesRefreshToken() ? " with the identity token"
							: (basicCredentials != null) ? " with Basic credentials" : " anonymously"));
		}
		return token;
	}

	private BearerToken send(TokenRequest request, @Nullable BasicCredentials basicCredentials, String realmHost,
			String registry) {
		RestClient.RequestBodySpec spec = this.restClient.method(request.method())
			.uri(request.uri())
			.accept(MediaType.APPLICATION_JSON);
		if (basicCredentials != null) {
			spec.header(HttpHeaders.AUTHORIZATION, basicCredentials.authorization());
		}
		if (request.usesRefreshToken()) {
			spec.contentType(MediaType.APPLICATION_FORM_URLENCODED).body(request.formData());
		}
		try {
			BearerToken token = spec.exchange((clientRequest, response) -> read(response));
			Assert.state(token != null, "No token read");
			return token;
		}
		catch (RestClientException ex) {
			throw new TokenRequestException(realmHost, registry, ex);
		}
	}

	private BearerToken read(ClientHttpResponse response) throws IOException {
		int status = response.getStatusCode().value();
		MediaType contentType = response.getHeaders().getContentType();
		byte[] body;
		try (InputStream stream = response.getBody()) {
			body = stream.readNBytes(MAX_RESPONSE_BYTES + 1);
		}
		if (body.length > MAX_RESPONSE_BYTES) {
			throw new TokenResponseException("Token endpoint answered status " + status + " with a body larger than "
					+ MAX_RESPONSE_BYTES + " bytes", status, null);
		}
		return this.responseReader.read(status, (contentType != null) ? contentType.toString() : null, body);
	}

}
