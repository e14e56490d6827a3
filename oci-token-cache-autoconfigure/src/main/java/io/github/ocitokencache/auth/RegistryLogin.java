package io.github.ocitokencache.auth;

import io.github.ocitokencache.cache.BasicCredentials;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The credentials an application configured for one registry, presented to its token
 * endpoint: a user name and password (sent as Basic credentials), or an identity token
 * (sent with the OAuth2 refresh token grant).
 * <p>
 * Instances are immutable and thread-safe. {@link #toString()} shows the user name at
 * most, never a secret.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class RegistryLogin {

	private final @Nullable BasicCredentials basicCredentials;

	private final @Nullable String identityToken;

	private RegistryLogin(@Nullable BasicCredentials basicCredentials, @Nullable String identityToken) {
		this.basicCredentials = basicCredentials;
		this.identityToken = identityToken;
	}

	/**
	 * Create a login with a user name and password.
	 * @param username the user name, not empty
	 * @param password the password
	 * @return the login
	 */
	public static RegistryLogin basic(String username, String password) {
		return new RegistryLogin(new BasicCredentials(username, password), null);
	}

	/**
	 * Create a login with an identity token, as {@code docker login} stores for some
	 * registries.
	 * @param identityToken the identity token, not empty
	 * @return the login
	 */
	public static RegistryLogin identityToken(String identityToken) {
		Assert.hasLength(identityToken, "'identityToken' must not be empty");
		return new RegistryLogin(null, identityToken);
	}

	/**
	 * Return the user name and password.
	 * @return the credentials, or {@code null} for an identity token login
	 */
	public @Nullable BasicCredentials basicCredentials() {
		return this.basicCredentials;
	}

	/**
	 * Return the identity token. A secret: never log it.
	 * @return the identity token, or {@code null} for a user name and password login
	 */
	public @Nullable String identityToken() {
		return this.identityToken;
	}

	@Override
	public String toString() {
		return (this.basicCredentials != null) ? "RegistryLogin[" + this.basicCredentials + "]"
				: "RegistryLogin[identityToken=<redacted>]";
	}

}
