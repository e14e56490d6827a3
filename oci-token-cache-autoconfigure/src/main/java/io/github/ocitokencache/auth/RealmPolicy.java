package io.github.ocitokencache.auth;

import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.ocitokencache.cache.ImageReference;

import org.springframework.util.Assert;

/**
 * Decides where a registry's credentials may go when its challenge names a token realm. A
 * challenge is whatever the registry (or anything between it and us) sends, so its realm
 * is not trusted blindly:
 * <ul>
 * <li>Credentials (Basic credentials or an identity token) are sent only to a realm on
 * the registry's own host, or on a host the application trusts for that registry. The
 * host is compared without its port and ignoring case. Docker Hub's
 * {@value #DOCKER_HUB_REALM_HOST} is trusted for Docker Hub out of the box
 * ({@link #standard()}).</li>
 * <li>A realm on any other host is still asked for a token, but anonymously: public
 * images keep working, and a registry that needs credentials there answers with a refusal
 * the caller can act on (by trusting the host), while the credentials stay home.</li>
 * <li>A plain {@code http} realm for a registry reached over {@code https} is refused
 * outright, with {@link InsecureRealmException}: a token fetched over plain http could be
 * read or replaced, whoever asks for it.</li>
 * </ul>
 * <p>
 * Instances are immutable and thread-safe; {@link #trust(String, Collection)} returns a
 * new policy.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class RealmPolicy {

	/**
	 * The host of Docker Hub's token endpoint.
	 */
	public static final String DOCKER_HUB_REALM_HOST = "auth.docker.io";

	private static final RealmPolicy REGISTRY_HOST_ONLY = new RealmPolicy(Map.of());

	private static final RealmPolicy STANDARD = REGISTRY_HOST_ONLY.trust(ImageReference.DOCKER_HUB,
			List.of(DOCKER_HUB_REALM_HOST));

	private final Map<String, Set<String>> trustedRealmHosts;

	private RealmPolicy(Map<String, Set<String>> trustedRealmHosts) {
		this.trustedRealmHosts = trustedRealmHosts;
	}

	/**
	 * Return the policy that trusts each registry's own host and, for Docker Hub,
	 * {@value #DOCKER_HUB_REALM_HOST}.
	 * @return the standard policy
	 */
	public static RealmPolicy standard() {
		return STANDARD;
	}

	/**
	 * Return the policy that trusts only each registry's own host, not even Docker Hub's
	 * token endpoint.
	 * @return the strictest policy
	 */
	public static RealmPolicy registryHostOnly() {
		return REGISTRY_HOST_ONLY;
	}

	/**
	 * Return a policy that also trusts the given realm hosts with a registry's
	 * credentials.
	 * @param registry the registry, such as {@code registry.example.com:5000}; Docker
	 * Hub's spellings are one registry
	 * @param realmHosts host names (no scheme, path or port) of token endpoints that may
	 * receive the registry's credentials
	 * @return a new policy
	 * @throws IllegalArgumentException if the registry or a host is malformed
	 */
	public RealmPolicy trust(String registry, Collection<String> realmHosts) {
		String key = canonicalRegistry(registry);
		Map<String, Set<String>> trusted = new HashMap<>(this.trustedRealmHosts);
		Set<String> hosts = new LinkedHashSet<>(trusted.getOrDefault(key, Set.of()));
		for (String host : realmHosts) {
			Assert.isTrue(host != null && !host.isBlank() && host.chars().noneMatch((c) -> c == '/' || c == ' '),
					() -> "Trusted realm host '" + host + "' must be a host name, without scheme or path");
			hosts.add(host.toLowerCase(Locale.ROOT));
		}
		trusted.put(key, Collections.unmodifiableSet(hosts));
		return new RealmPolicy(Collections.unmodifiableMap(trusted));
	}

	/**
	 * Return the realm hosts trusted for a registry besides its own host.
	 * @param registry the registry
	 * @return the trusted hosts, lower case, possibly empty
	 */
	public Set<String> trustedRealmHosts(String registry) {
		return this.trustedRealmHosts.getOrDefault(canonicalRegistry(registry), Set.of());
	}

	/**
	 * Return whether a realm may receive the credentials configured for a registry.
	 * @param realm the absolute realm URL
	 * @param reference the image whose registry's credentials are in question
	 * @return {@code true} if the realm is on the registry's own host or a trusted one
	 */
	public boolean allowsCredentials(URI realm, ImageReference reference) {
		String realmHost = host(realm);
		return realmHost.equals(hostOf(reference.registry())) || realmHost.equals(hostOf(reference.registryEndpoint()))
				|| trustedRealmHosts(reference.registry()).contains(realmHost);
	}

	/**
	 * Check that a realm may be asked for a token at all.
	 * @param realm the absolute realm URL
	 * @param requestUrl the URL of the registry request that received the challenge
	 * @param reference the image the token is for
	 * @throws InsecureRealmException if the registry was reached over {@code https} and
	 * the realm is plain {@code http}
	 */
	public void requireSecureTransport(URI realm, URI requestUrl, ImageReference reference) {
		if ("https".equalsIgnoreCase(requestUrl.getScheme()) && !"https".equalsIgnoreCase(realm.getScheme())) {
			throw new InsecureRealmException(host(realm), reference.registry());
		}
	}

	private static String host(URI uri) {
		String host = uri.getHost();
		Assert.notNull(host, "'realm' must have a host");
		return host.toLowerCase(Locale.ROOT);
	}

	private static String hostOf(String registry) {
		if (registry.startsWith("[")) {
			return registry.substring(0, registry.indexOf(']') + 1);
		}
		int colon = registry.indexOf(':');
		return (colon >= 0) ? registry.substring(0, colon) : registry;
	}

	private static String canonicalRegistry(String registry) {
		// The core owns the rules for registry names (case, ports, Docker Hub's aliases);
		// the repository is only there to make a reference.
		return ImageReference.of(registry, "repository").registry();
	}

	@Override
	public String toString() {
		return "RealmPolicy[trustedRealmHosts=" + this.trustedRealmHosts + "]";
	}

}
