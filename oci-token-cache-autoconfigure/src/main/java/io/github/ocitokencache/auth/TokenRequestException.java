package io.github.ocitokencache.auth;

import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;

/**
 * Thrown when a token endpoint could not be asked at all or gave no answer: the
 * connection failed, a timeout passed, or the answer could not be read. (An answer that
 * refuses the request is a {@link io.github.ocitokencache.cache.TokenResponseException}
 * instead.) The message names the realm host, the registry and the root cause, says
 * "timed out" for a timeout, and never holds a credential or a token.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class TokenRequestException extends RuntimeException {

	private final String realmHost;

	private final String registry;

	/**
	 * Create a new exception.
	 * @param realmHost the host of the token endpoint
	 * @param registry the registry the token was for
	 * @param cause the failure
	 */
	public TokenRequestException(String realmHost, String registry, Throwable cause) {
		super("Token request to realm host '" + realmHost + "' for registry '" + registry + "' failed: "
				+ describe(cause), cause);
		this.realmHost = realmHost;
		this.registry = registry;
	}

	private static String describe(Throwable cause) {
		Throwable root = cause;
		boolean timedOut = false;
		while (true) {
			timedOut = timedOut || root instanceof InterruptedIOException || root instanceof HttpTimeoutException;
			if (root.getCause() == null || root.getCause() == root) {
				break;
			}
			root = root.getCause();
		}
		String name = root.getClass().getSimpleName();
		String description = (root.getMessage() != null) ? name + ": " + root.getMessage() : name;
		return timedOut ? "timed out (" + description + ")" : description;
	}

	/**
	 * Return the host of the token endpoint.
	 * @return the realm host
	 */
	public String getRealmHost() {
		return this.realmHost;
	}

	/**
	 * Return the registry the token was for.
	 * @return the registry name
	 */
	public String getRegistry() {
		return this.registry;
	}

}
