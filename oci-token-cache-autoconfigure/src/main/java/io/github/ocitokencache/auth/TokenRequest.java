package io.github.ocitokencache.auth;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * A request for a token from a registry's token endpoint (the realm of a {@code Bearer}
 * challenge), in one of the two forms registries accept:
 * <ul>
 * <li>{@code GET <realm>?scope=...&service=...}, answered anonymously or with Basic
 * credentials: one {@code scope} parameter per resource;</li>
 * <li>the OAuth2 {@code POST <realm>} form with {@code grant_type=refresh_token}, for an
 * identity token (see {@link #withRefreshToken(String)}): all scopes in one
 * space-separated {@code scope} field.</li>
 * </ul>
 * The {@code service} parameter is sent only when the challenge named one. A query the
 * realm already has is kept. Parameter values are percent-encoded strictly, so a
 * {@code +} or {@code &} in a value survives any server's decoding.
 * <p>
 * <b>Scopes.</b> A token is cached for one repository and operation, so a request asks
 * for that repository's scope ({@code pull}, or {@code pull,push} for a push). When the
 * challenge's scope names the requested repository, the challenge was about this very
 * request: its scopes are requested as well (a cross-repository mount, for example, also
 * needs {@code pull} on the source repository), merged per resource with normalised
 * actions. When it does not (a {@code /v2/} ping names whatever repository it likes), the
 * challenge's scopes are ignored.
 * <p>
 * Instances are immutable and thread-safe. {@link #toString()} never shows the refresh
 * token.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenRequest {

	/**
	 * The {@code client_id} sent with the refresh token grant.
	 */
	public static final String CLIENT_ID = "oci-token-cache";

	private final URI realm;

	private final @Nullable String service;

	private final List<TokenScope> scopes;

	private final @Nullable String refreshToken;

	private TokenRequest(URI realm, @Nullable String service, List<TokenScope> scopes, @Nullable String refreshToken) {
		this.realm = realm;
		this.service = service;
		this.scopes = scopes;
		this.refreshToken = refreshToken;
	}

	/**
	 * Create the {@code GET} request for an operation on a repository.
	 * @param realm the absolute token endpoint URL
	 * @param service the challenge's {@code service}, if it named one
	 * @param reference the image; only its repository matters
	 * @param operation the operation the token is for
	 * @param challengeScopes the scopes the challenge named, possibly none
	 * @return the request
	 */
	public static TokenRequest of(URI realm, @Nullable String service, ImageReference reference,
			RegistryOperation operation, List<TokenScope> challengeScopes) {
		Assert.isTrue(realm.isAbsolute(), "'realm' must be an absolute URL");
		String repository = reference.repository();
		List<TokenScope> scopes = new ArrayList<>();
		scopes.add(TokenScope.repository(repository, operation));
		if (challengeScopes.stream().anyMatch((scope) -> scope.isRepository(repository))) {
			scopes.addAll(challengeScopes);
		}
		return new TokenRequest(realm, (service != null && !service.isEmpty()) ? service : null,
				TokenScope.merge(scopes), null);
	}

	/**
	 * Create the {@code GET} request that answers a bearer challenge: the realm resolved
	 * against the request URL, the challenge's service and scopes.
	 * @param challenge a {@code Bearer} challenge
	 * @param requestUrl the URL of the request that received the challenge
	 * @param reference the image; only its repository matters
	 * @param operation the operation the token is for
	 * @return the request
	 * @throws InvalidChallengeException if the challenge's realm cannot be used
	 * @throws IllegalArgumentException if the challenge is not a bearer challenge
	 */
	public static TokenRequest forChallenge(AuthChallenge challenge, URI requestUrl, ImageReference reference,
			RegistryOperation operation) {
		Assert.isTrue(challenge.isBearer(),
				() -> "A token is requested for a Bearer challenge, not for " + challenge.scheme());
		return of(challenge.resolveRealm(requestUrl), challenge.service(), reference, operation, challenge.scopes());
	}

	/**
	 * Return this request as the OAuth2 refresh token grant: {@code POST <realm>} with
	 * the form fields {@code grant_type=refresh_token}, {@code service} (when known),
	 * {@code scope}, {@code client_id} and {@code refresh_token}.
	 * @param refreshToken the identity (refresh) token, a secret
	 * @return the refresh token request
	 */
	public TokenRequest withRefreshToken(String refreshToken) {
		Assert.hasLength(refreshToken, "'refreshToken' must not be empty");
		return new TokenRequest(this.realm, this.service, this.scopes, refreshToken);
	}

	/**
	 * Return the HTTP method.
	 * @return {@code GET}, or {@code POST} for the refresh token grant
	 */
	public HttpMethod method() {
		return (this.refreshToken != null) ? HttpMethod.POST : HttpMethod.GET;
	}

	/**
	 * Return the URL to send the request to: for {@code GET} the realm with the
	 * {@code scope} and {@code service} parameters added to any query it has, for
	 * {@code POST} the realm as it is.
	 * @return the request URL, encoded
	 */
	public URI uri() {
		if (this.refreshToken != null) {
			return this.realm;
		}
		UriComponentsBuilder builder = UriComponentsBuilder.fromUri(this.realm);
		for (TokenScope scope : this.scopes) {
			builder.queryParam("scope", encode(scope.toString()));
		}
		if (this.service != null) {
			builder.queryParam("service", encode(this.service));
		}
		return builder.build(true).toUri();
	}

	private static String encode(String value) {
		return UriUtils.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Return the form to post: empty for {@code GET}. Holds the refresh token, a secret:
	 * never log it.
	 * @return a new form map
	 */
	public MultiValueMap<String, String> formData() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		if (this.refreshToken != null) {
			form.add("grant_type", "refresh_token");
			if (this.service != null) {
				form.add("service", this.service);
			}
			form.add("scope", String.join(" ", this.scopes.stream().map(TokenScope::toString).toList()));
			form.add("client_id", CLIENT_ID);
			form.add("refresh_token", this.refreshToken);
		}
		return form;
	}

	/**
	 * Return whether this is the refresh token grant.
	 * @return {@code true} for the {@code POST} form
	 */
	public boolean usesRefreshToken() {
		return this.refreshToken != null;
	}

	/**
	 * Return the token endpoint, without the parameters this request adds.
	 * @return the absolute realm URL
	 */
	public URI realm() {
		return this.realm;
	}

	/**
	 * Return the service sent to the token endpoint.
	 * @return the service, or {@code null} if the challenge named none
	 */
	public @Nullable String service() {
		return this.service;
	}

	/**
	 * Return the scopes requested, normalised.
	 * @return the scopes, never empty
	 */
	public List<TokenScope> scopes() {
		return this.scopes;
	}

	@Override
	public String toString() {
		if (this.refreshToken != null) {
			return "POST " + this.realm + " (grant_type=refresh_token, service=" + this.service + ", scope="
					+ this.scopes + ", refresh_token=<redacted>)";
		}
		return "GET " + uri();
	}

}
