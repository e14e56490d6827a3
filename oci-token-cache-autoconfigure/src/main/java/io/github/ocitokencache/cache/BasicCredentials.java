package io.github.ocitokencache.cache;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A user name and password sent with HTTP Basic authentication. They never expire in the
 * cache: only the size bound or an invalidation removes them.
 * <p>
 * {@link #toString()} shows the user name, never the password.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class BasicCredentials implements RegistryCredential {

	private final String username;

	private final String password;

	/**
	 * Create credentials.
	 * @param username the user name, not empty
	 * @param password the password
	 */
	public BasicCredentials(String username, String password) {
		Assert.hasLength(username, "'username' must not be empty");
		Assert.notNull(password, "'password' must not be null");
		this.username = username;
		this.password = password;
	}

	/**
	 * Return the user name.
	 * @return the user name
	 */
	public String username() {
		return this.username;
	}

	/**
	 * Return the password. A secret: never log it.
	 * @return the password
	 */
	public String password() {
		return this.password;
	}

	@Override
	public String authorization() {
		String pair = this.username + ":" + this.password;
		return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public Kind kind() {
		return Kind.BASIC;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		return obj instanceof BasicCredentials other && this.username.equals(other.username)
				&& this.password.equals(other.password);
	}

	@Override
	public int hashCode() {
		return this.username.hashCode();
	}

	@Override
	public String toString() {
		return "BasicCredentials[username=" + this.username + ", password=<redacted>]";
	}

}
