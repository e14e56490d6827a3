package io.github.ocitokencache.auth;

/**
 * Thrown when a registry reached over {@code https} names a token realm on plain
 * {@code http}: nothing is sent there, not even an anonymous request, because the token
 * it returned could be read or replaced on the way. The message names the realm host and
 * the registry, never a credential.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class InsecureRealmException extends RuntimeException {

	private final String realmHost;

	private final String registry;

	/**
	 * Create a new exception.
	 * @param realmHost the host of the refused realm
	 * @param registry the registry whose challenge named it
	 */
	public InsecureRealmException(String realmHost, String registry) {
		super("Refusing token realm on host '" + realmHost + "': registry '" + registry
				+ "' is reached over https but its challenge names a plain http realm");
		this.realmHost = realmHost;
		this.registry = registry;
	}

	/**
	 * Return the host of the refused realm.
	 * @return the realm host
	 */
	public String getRealmHost() {
		return this.realmHost;
	}

	/**
	 * Return the registry whose challenge named the realm.
	 * @return the registry name
	 */
	public String getRegistry() {
		return this.registry;
	}

}
