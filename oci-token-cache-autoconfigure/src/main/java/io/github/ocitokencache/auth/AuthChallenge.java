package io.github.ocitokencache.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header: a scheme such as
 * {@code Bearer} or {@code Basic}, and either parameters or a token68. Read challenges
 * with {@link WwwAuthenticate}.
 * <p>
 * Scheme and parameter names are case-insensitive; parameter names are kept in lower
 * case. The accessors for the well-known parameters treat an empty value as missing.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class AuthChallenge {

	/**
	 * The scheme of a challenge answered with a token from the realm.
	 */
	public static final String BEARER = "Bearer";

	/**
	 * The scheme of a challenge answered with a user name and password.
	 */
	public static final String BASIC = "Basic";

	private final String scheme;

	private final @Nullable String token68;

	private final Map<String, String> parameters;

	AuthChallenge(String scheme, @Nullable String token68, Map<String, String> parameters) {
		Assert.hasLength(scheme, "'scheme' must not be empty");
		this.scheme = scheme;
		this.token68 = token68;
		this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
	}

	/**
	 * Return the scheme as the server spelled it.
	 * @return the scheme, such as {@code Bearer}
	 */
	public String scheme() {
		return this.scheme;
	}

	/**
	 * Return whether this challenge has the given scheme, ignoring case.
	 * @param scheme the scheme to compare with
	 * @return {@code true} if the schemes are equal ignoring case
	 */
	public boolean hasScheme(String scheme) {
		return this.scheme.equalsIgnoreCase(scheme);
	}

	/**
	 * Return whether this is a {@value #BEARER} challenge.
	 * @return {@code true} for a bearer challenge
	 */
	public boolean isBearer() {
		return hasScheme(BEARER);
	}

	/**
	 * Return whether this is a {@value #BASIC} challenge.
	 * @return {@code true} for a basic challenge
	 */
	public boolean isBasic() {
		return hasScheme(BASIC);
	}

	/**
	 * Return the {@code realm} parameter as sent: for a bearer challenge the token
	 * endpoint, possibly relative (see {@link #resolveRealm(URI)}); for a basic challenge
	 * a label.
	 * @return the realm, or {@code null} if missing or empty
	 */
	public @Nullable String realm() {
		return parameter("realm");
	}

	/**
	 * Return the {@code service} parameter, which names the registry to its token
	 * endpoint.
	 * @return the service, or {@code null} if missing or empty
	 */
	public @Nullable String service() {
		return parameter("service");
	}

	/**
	 * Return the {@code scope} parameter exactly as sent: a space-separated list such as
	 * {@code repository:team/app:pull,push}.
	 * @return the scope, or {@code null} if missing or empty
	 * @see #scopes()
	 */
	public @Nullable String scope() {
		return parameter("scope");
	}

	/**
	 * Return the scopes of the {@code scope} parameter, normalised as by
	 * {@link TokenScope#parseList(String)}.
	 * @return the scopes, empty if the challenge named none
	 */
	public List<TokenScope> scopes() {
		return TokenScope.parseList(scope());
	}

	/**
	 * Return the {@code error} parameter, such as {@code invalid_token} for a token that
	 * was rejected or {@code insufficient_scope} for one that does not grant enough.
	 * @return the error, or {@code null} if missing or empty
	 */
	public @Nullable String error() {
		return parameter("error");
	}

	/**
	 * Return a parameter by name, ignoring case.
	 * @param name the parameter name
	 * @return the value, or {@code null} if missing or empty
	 */
	public @Nullable String parameter(String name) {
		Assert.notNull(name, "'name' must not be null");
		String value = this.parameters.get(name.toLowerCase(Locale.ROOT));
		return (value != null && !value.isEmpty()) ? value : null;
	}

	/**
	 * Return all parameters, names in lower case, values as sent (empty ones included),
	 * in the order they were sent.
	 * @return the parameters, unmodifiable
	 */
	public Map<String, String> parameters() {
		return this.parameters;
	}

	/**
	 * Return the token68 that some schemes (such as {@code Negotiate}) send instead of
	 * parameters.
	 * @return the token68, or {@code null} if the challenge has none
	 */
	public @Nullable String token68() {
		return this.token68;
	}

	/**
	 * Return the token endpoint of a bearer challenge as an absolute URL: a relative
	 * realm is resolved against the URL of the request that was answered with this
	 * challenge, and a fragment is dropped.
	 * @param requestUrl the absolute URL of the request that received the challenge
	 * @return the absolute realm URL
	 * @throws InvalidChallengeException if the realm is missing, is not a URI, is not an
	 * {@code http} or {@code https} URL with a host, or carries user information
	 */
	public URI resolveRealm(URI requestUrl) {
		Assert.isTrue(requestUrl != null && requestUrl.isAbsolute(), "'requestUrl' must be an absolute URI");
		String realm = realm();
		if (realm == null) {
			throw new InvalidChallengeException(this.scheme + " challenge has no realm");
		}
		URI resolved;
		try {
			resolved = requestUrl.resolve(new URI(realm));
		}
		catch (URISyntaxException ex) {
			throw new InvalidChallengeException(
					this.scheme + " challenge realm is not a valid URI (" + ex.getReason() + ")");
		}
		String scheme = resolved.getScheme();
		if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
			throw new InvalidChallengeException(
					this.scheme + " challenge realm must be an http or https URL, not '" + scheme + "'");
		}
		if (resolved.getHost() == null) {
			throw new InvalidChallengeException(this.scheme + " challenge realm has no host");
		}
		if (resolved.getRawUserInfo() != null) {
			throw new InvalidChallengeException(this.scheme + " challenge realm on host '" + resolved.getHost()
					+ "' must not carry user information");
		}
		if (resolved.getRawFragment() != null) {
			return withoutFragment(resolved);
		}
		return resolved;
	}

	private static URI withoutFragment(URI uri) {
		String text = uri.toString();
		return URI.create(text.substring(0, text.indexOf('#')));
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return obj instanceof AuthChallenge other && this.scheme.equalsIgnoreCase(other.scheme)
				&& Objects.equals(this.token68, other.token68) && this.parameters.equals(other.parameters);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.scheme.toLowerCase(Locale.ROOT), this.token68, this.parameters);
	}

	@Override
	public String toString() {
		StringBuilder builder = new StringBuilder(this.scheme);
		if (this.token68 != null) {
			builder.append(' ').append(this.token68);
		}
		String separator = " ";
		for (Map.Entry<String, String> parameter : this.parameters.entrySet()) {
			builder.append(separator).append(parameter.getKey()).append("=\"");
			builder.append(parameter.getValue().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
			separator = ", ";
		}
		return builder.toString();
	}

}
