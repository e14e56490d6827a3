package io.github.ocitokencache.cache;

/**
 * What a token is asked for on a repository. A {@link #PUSH} token is granted
 * {@code pull,push} by a registry, so it serves pulls of the same repository as well; a
 * {@link #PULL} token never serves a push.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public enum RegistryOperation {

	/**
	 * Read access: manifests, blobs and tag lists.
	 */
	PULL("pull"),

	/**
	 * Write access, which a registry grants together with read access.
	 */
	PUSH("pull,push");

	private final String actions;

	RegistryOperation(String actions) {
		this.actions = actions;
	}

	/**
	 * Return the actions to request in a token scope, normalised and comma-separated.
	 * @return {@code pull} or {@code pull,push}
	 */
	public String actions() {
		return this.actions;
	}

	/**
	 * Return whether a token granted for this operation may be used for the given one.
	 * @param requested the operation a caller wants to perform
	 * @return {@code true} if this operation's token covers the requested operation
	 */
	public boolean serves(RegistryOperation requested) {
		return this == PUSH || requested == PULL;
	}

}
