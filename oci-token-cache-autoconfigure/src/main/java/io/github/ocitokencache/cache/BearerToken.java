package io.github.ocitokencache.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A bearer token as granted by a registry's token endpoint, with what the response said
 * about its lifetime. Read one from a response body with {@link TokenResponseReader}.
 * <p>
 * {@link #toString()} never shows the token or the refresh token.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class BearerToken implements RegistryCredential {

	private final String token;

	private final @Nullable String refreshToken;

	private final @Nullable Duration expiresIn;

	private final @Nullable Instant issuedAt;

	/**
	 * Create a token.
	 * @param token the token text, not empty
	 * @param refreshToken an OAuth2 refresh token the endpoint returned, if any
	 * @param expiresIn the positive lifetime the endpoint announced, if any
	 * @param issuedAt when the endpoint says it issued the token, if it said
	 */
	public BearerToken(String token, @Nullable String refreshToken, @Nullable Duration expiresIn,
			@Nullable Instant issuedAt) {
		Assert.hasLength(token, "'token' must not be empty");
		Assert.isTrue(expiresIn == null || expiresIn.compareTo(Duration.ZERO) > 0, "'expiresIn' must be positive");
		this.token = token;
		this.refreshToken = refreshToken;
		this.expiresIn = expiresIn;
		this.issuedAt = issuedAt;
	}

	/**
	 * Create a token with nothing known about its lifetime but what the token itself
	 * says.
	 * @param token the token text, not empty
	 * @return a bearer token
	 */
	public static BearerToken of(String token) {
		return new BearerToken(token, null, null, null);
	}

	/**
	 * Return the token text. A secret: never log it.
	 * @return the token
	 */
	public String token() {
		return this.token;
	}

	/**
	 * Return the OAuth2 refresh token the endpoint returned. A secret: never log it.
	 * @return the refresh token, or {@code null}
	 */
	public @Nullable String refreshToken() {
		return this.refreshToken;
	}

	/**
	 * Return the lifetime the endpoint announced in {@code expires_in}.
	 * @return the lifetime, or {@code null} if none or an unusable one was given
	 */
	public @Nullable Duration expiresIn() {
		return this.expiresIn;
	}

	/**
	 * Return the time the endpoint says it issued the token, from {@code issued_at}. The
	 * cache does not use it for lifetimes, which are anchored at the local clock.
	 * @return the issue time, or {@code null}
	 */
	public @Nullable Instant issuedAt() {
		return this.issuedAt;
	}

	@Override
	public String authorization() {
		return "Bearer " + this.token;
	}

	@Override
	public Kind kind() {
		return Kind.BEARER;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return obj instanceof BearerToken other && this.token.equals(other.token)
				&& Objects.equals(this.refreshToken, other.refreshToken)
				&& Objects.equals(this.expiresIn, other.expiresIn) && Objects.equals(this.issuedAt, other.issuedAt);
	}

	@Override
	public int hashCode() {
		return this.token.hashCode();
	}

	@Override
	public String toString() {
		return "BearerToken[token=<redacted>" + ((this.refreshToken != null) ? ", refreshToken=<redacted>" : "")
				+ ", expiresIn=" + this.expiresIn + ", issuedAt=" + this.issuedAt + "]";
	}

}
