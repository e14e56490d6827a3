package io.github.ocitokencache.auth;

/**
 * Thrown when an authentication challenge cannot be used, for example a {@code Bearer}
 * challenge without a realm or with a realm that is not an {@code http} or {@code https}
 * URL. The message names the problem; challenges carry no secrets, and user information
 * in a realm is never repeated.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InvalidChallengeException extends IllegalArgumentException {

	/**
	 * Create a new exception.
	 * @param message the detail message, free of secrets
	 */
	public InvalidChallengeException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message the detail message, free of secrets
	 * @param cause the underlying problem
	 */
	public InvalidChallengeException(String message, Throwable cause) {
		super(message, cause);
	}

}
