package io.github.ocitokencache.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a token cache property is set to a value it does not accept: a number
 * outside its range, or registry settings that could not be used as written. The
 * exception holds the value only when it is safe to show; for a password or an identity
 * token it says whether the property is set, never what it is set to.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InvalidTokenCachePropertyException extends RuntimeException {

	private final String propertyName;

	private final @Nullable String value;

	private final String reason;

	private final String action;

	InvalidTokenCachePropertyException(String propertyName, @Nullable String value, String reason, String action) {
		super(((value != null) ? "Invalid value '" + value + "' for property '" : "Invalid property '") + propertyName
				+ "': " + reason);
		this.propertyName = propertyName;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Return the full name of the property, such as {@code oci.token-cache.max-entries}
	 * or {@code oci.token-cache.registries[ghcr.io].password}.
	 * @return the property name
	 */
	public String getPropertyName() {
		return this.propertyName;
	}

	/**
	 * Return the value that was rejected, when it may be shown.
	 * @return the value, or {@code null} for a secret or a property whose value is not
	 * the problem
	 */
	public @Nullable String getValue() {
		return this.value;
	}

	/**
	 * Return what is wrong, including what the property accepts.
	 * @return the reason, such as "the property accepts a whole number from 1 to
	 * 31536000"
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what to do about it.
	 * @return the action, naming the properties to change
	 */
	public String getAction() {
		return this.action;
	}

}
