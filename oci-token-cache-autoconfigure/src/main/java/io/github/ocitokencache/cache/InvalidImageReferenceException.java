package io.github.ocitokencache.cache;

/**
 * Thrown when a string is not a valid OCI image reference. The message names the problem
 * and the reference; references carry no secrets.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InvalidImageReferenceException extends IllegalArgumentException {

	private final String reference;

	/**
	 * Create a new exception.
	 * @param reference the rejected input
	 * @param problem what is wrong with it
	 */
	public InvalidImageReferenceException(String reference, String problem) {
		super("Invalid image reference '" + reference + "': " + problem);
		this.reference = reference;
	}

	/**
	 * Return the rejected input.
	 * @return the reference as given
	 */
	public String getReference() {
		return this.reference;
	}

}
