package io.github.ocitokencache.cache;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a token endpoint's answer yields no usable token: the endpoint refused the
 * request, or its body is not a token response. Carries the HTTP status and, when the
 * body named one, the registry's error code. Never carries the body or a token.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class TokenResponseException extends RuntimeException {

	private final int statusCode;

	private final @Nullable String errorCode;

	/**
	 * Create a new exception.
	 * @param message the detail message, free of secrets
	 * @param statusCode the HTTP status of the token endpoint's answer
	 * @param errorCode the error code the registry gave, if any
	 */
	public TokenResponseException(String message, int statusCode, @Nullable String errorCode) {
		super(message);
		this.statusCode = statusCode;
		this.errorCode = errorCode;
	}

	/**
	 * Return the HTTP status of the token endpoint's answer.
	 * @return the status code
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Return the error code the registry gave, such as {@code UNAUTHORIZED} or
	 * {@code invalid_grant}.
	 * @return the error code, or {@code null} if the answer named none
	 */
	public @Nullable String getErrorCode() {
		return this.errorCode;
	}

}
