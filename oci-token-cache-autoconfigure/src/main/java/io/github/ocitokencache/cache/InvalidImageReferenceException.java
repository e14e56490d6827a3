package io.github.ocitokencache.cache;

/**
 * Thrown when a string is not a valid OCI image reference. The message names the problem
 * and the reference; references carry no secrets.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InvalidImageReferenceException extends IllegalArgumentException {

	private static final int MAX_SHOWN = 300;

	private final String reference;

	/**
	 * Create a new exception.
	 * @param reference the rejected input
	 * @param problem what is wrong with it
	 */
	public InvalidImageReferenceException(String reference, String problem) {
		super("Invalid image reference '" + abbreviate(reference) + "': " + problem);
		this.reference = reference;
	}

	// A reference of thousands of characters is not repeated whole in the message.
	private static String abbreviate(String reference) {
		return (reference.length() <= MAX_SHOWN) ? reference
				: reference.substring(0, MAX_SHOWN) + "... (" + reference.length() + " characters)";
	}

	/**
	 * Return the rejected input.
	 * @return the reference as given
	 */
	public String getReference() {
		return this.reference;
	}

}
