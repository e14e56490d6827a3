package io.github.ocitokencache.cache;

/**
 * A credential that authorizes requests to a registry: a {@link BearerToken} from a token
 * endpoint, or {@link BasicCredentials} sent as they are. Implementations never show
 * their secret in {@code toString()}.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public sealed interface RegistryCredential permits BearerToken, BasicCredentials {

	/**
	 * Return the value of the {@code Authorization} header that carries this credential.
	 * The result is a secret: never log it.
	 * @return the header value, scheme included
	 */
	String authorization();

	/**
	 * Return the kind of credential, safe to show.
	 * @return the kind
	 */
	Kind kind();

	/**
	 * The kinds of registry credential.
	 */
	enum Kind {

		/**
		 * A bearer token, which expires.
		 */
		BEARER,

		/**
		 * A user name and password, which never expire.
		 */
		BASIC

	}

}
