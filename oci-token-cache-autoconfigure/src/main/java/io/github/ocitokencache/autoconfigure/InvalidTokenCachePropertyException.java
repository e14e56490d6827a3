package io.github.ocitokencache.autoconfigure;

/**
 * Thrown when a token cache property is bound to a value outside its allowed range. Token
 * cache properties hold numbers and flags only, so the value is safe to show.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InvalidTokenCachePropertyException extends RuntimeException {

	private final String propertyName;

	private final String value;

	private final String allowedRange;

	InvalidTokenCachePropertyException(String propertyName, String value, TokenCacheProperties.AllowedRange range) {
		super("Invalid value '" + value + "' for property '" + propertyName + "': expected " + range);
		this.propertyName = propertyName;
		this.value = value;
		this.allowedRange = range.toString();
	}

	/**
	 * Return the full name of the property, such as {@code oci.token-cache.max-entries}.
	 * @return the property name
	 */
	public String getPropertyName() {
		return this.propertyName;
	}

	/**
	 * Return the value that was rejected.
	 * @return the value
	 */
	public String getValue() {
		return this.value;
	}

	/**
	 * Return a description of the values the property accepts.
	 * @return the allowed range, such as "a whole number from 1 to 31536000"
	 */
	public String getAllowedRange() {
		return this.allowedRange;
	}

}
