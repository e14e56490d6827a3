package io.github.ocitokencache.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ocitokencache.cache.TokenCache;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the OCI registry token cache, bound from
 * {@code oci.token-cache.*}.
 * <p>
 * Setters reject values outside the range each property documents, and registry settings
 * that could not be used as written, with an {@link InvalidTokenCachePropertyException},
 * so an invalid value stops start-up while the properties are bound, whether or not the
 * auto-configured {@link TokenCache} is used.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@ConfigurationProperties(TokenCacheProperties.PREFIX)
public class TokenCacheProperties {

	/**
	 * The prefix of every property of the token cache.
	 */
	public static final String PREFIX = "oci.token-cache";

	/**
	 * The longest lifetime, in seconds, that any of the lifetime properties accepts: one
	 * year, far beyond any registry token and safely within millisecond arithmetic.
	 */
	static final long MAX_LIFETIME_SECS = Duration.ofDays(365).toSeconds();

	static final AllowedRange LIFETIME_RANGE = new AllowedRange(1, MAX_LIFETIME_SECS);

	static final AllowedRange MARGIN_RANGE = new AllowedRange(0, MAX_LIFETIME_SECS);

	static final AllowedRange ENTRIES_RANGE = new AllowedRange(1, Long.MAX_VALUE);

	private static final Map<String, AllowedRange> RANGES = Map.of(PREFIX + ".default-expiration-secs", LIFETIME_RANGE,
			PREFIX + ".max-expiration-secs", LIFETIME_RANGE, PREFIX + ".expiration-margin-secs", MARGIN_RANGE,
			PREFIX + ".max-entries", ENTRIES_RANGE);

	/**
	 * Whether to auto-configure the token cache, its metrics and its endpoint.
	 */
	private boolean enabled = true;

	/**
	 * Lifetime, in seconds, of a token whose response and claims say nothing about its
	 * expiry.
	 */
	private long defaultExpirationSecs = 60;

	/**
	 * Longest lifetime, in seconds, believed for any token, whatever its response or
	 * claims say.
	 */
	private long maxExpirationSecs = 3600;

	/**
	 * Seconds before its expiry at which a token stops being handed out; never more than
	 * half a token's lifetime is taken.
	 */
	private long expirationMarginSecs = 10;

	/**
	 * Most entries kept; beyond that the least valuable are evicted.
	 */
	private long maxEntries = 10000;

	/**
	 * Credentials per registry, keyed by host and optional port (no scheme or path), as
	 * in "oci.token-cache.registries[ghcr.io].username".
	 */
	private Map<String, Registry> registries = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public long getDefaultExpirationSecs() {
		return this.defaultExpirationSecs;
	}

	public void setDefaultExpirationSecs(long defaultExpirationSecs) {
		this.defaultExpirationSecs = LIFETIME_RANGE.check(PREFIX + ".default-expiration-secs", defaultExpirationSecs);
	}

	public long getMaxExpirationSecs() {
		return this.maxExpirationSecs;
	}

	public void setMaxExpirationSecs(long maxExpirationSecs) {
		this.maxExpirationSecs = LIFETIME_RANGE.check(PREFIX + ".max-expiration-secs", maxExpirationSecs);
	}

	public long getExpirationMarginSecs() {
		return this.expirationMarginSecs;
	}

	public void setExpirationMarginSecs(long expirationMarginSecs) {
		this.expirationMarginSecs = MARGIN_RANGE.check(PREFIX + ".expiration-margin-secs", expirationMarginSecs);
	}

	public long getMaxEntries() {
		return this.maxEntries;
	}

	public void setMaxEntries(long maxEntries) {
		this.maxEntries = ENTRIES_RANGE.check(PREFIX + ".max-entries", maxEntries);
	}

	public Map<String, Registry> getRegistries() {
		return this.registries;
	}

	public void setRegistries(Map<String, Registry> registries) {
		RegistryPropertiesValidator.validate(registries);
		this.registries = registries;
	}

	/**
	 * Return the range of values a numeric property accepts.
	 * @param name the property's full name, such as {@code oci.token-cache.max-entries}
	 * @return the range, or {@code null} if the property is not a numeric property of the
	 * token cache
	 */
	static @Nullable AllowedRange allowedRange(String name) {
		return RANGES.get(name);
	}

	/**
	 * The credentials used for one registry host. {@link #toString()} never shows the
	 * password or the identity token.
	 */
	public static class Registry {

		/**
		 * User name to authenticate with; needs a password.
		 */
		private @Nullable String username;

		/**
		 * Password or access token to authenticate with; needs a username.
		 */
		private @Nullable String password;

		/**
		 * Identity (refresh) token to exchange for access tokens; when set, username and
		 * password are not used.
		 */
		private @Nullable String identityToken;

		/**
		 * Host names (no scheme, port or path), besides the registry's own, whose token
		 * realms may receive these credentials.
		 */
		private List<String> trustedRealmHosts = new ArrayList<>();

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

		public @Nullable String getIdentityToken() {
			return this.identityToken;
		}

		public void setIdentityToken(@Nullable String identityToken) {
			this.identityToken = identityToken;
		}

		public List<String> getTrustedRealmHosts() {
			return this.trustedRealmHosts;
		}

		public void setTrustedRealmHosts(List<String> trustedRealmHosts) {
			this.trustedRealmHosts = trustedRealmHosts;
		}

		@Override
		public String toString() {
			return "Registry[username=" + this.username + ", password=" + redacted(this.password) + ", identityToken="
					+ redacted(this.identityToken) + ", trustedRealmHosts=" + this.trustedRealmHosts + "]";
		}

		private static String redacted(@Nullable String secret) {
			return (secret != null) ? "<redacted>" : "null";
		}

	}

	/**
	 * An inclusive range of whole numbers that a property accepts.
	 *
	 * @param min the smallest value accepted
	 * @param max the largest value accepted
	 */
	record AllowedRange(long min, long max) {

		long check(String name, long value) {
			if (value < this.min || value > this.max) {
				throw new InvalidTokenCachePropertyException(name, Long.toString(value), "the property accepts " + this,
						action(name));
			}
			return value;
		}

		String action(String name) {
			return "Set '" + name + "' to " + this + ", or remove it to use the default.";
		}

		@Override
		public String toString() {
			return (this.max != Long.MAX_VALUE) ? "a whole number from " + this.min + " to " + this.max
					: "a whole number of at least " + this.min;
		}

	}

}
