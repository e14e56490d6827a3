package io.github.ocitokencache.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.InvalidImageReferenceException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Checks {@code oci.token-cache.registries} for settings that could not be used as
 * written, and reports each with an {@link InvalidTokenCachePropertyException} that names
 * the property but never the value of a password or an identity token:
 * <ul>
 * <li>a key must be a registry host with an optional port, as
 * {@link ImageReference#of(String, String)} accepts it: no scheme, no path;</li>
 * <li>two keys must not name the same registry ({@code docker.io} and
 * {@code index.docker.io}, or two spellings differing in case);</li>
 * <li>a username needs a password, and a password a username, unless an identity token is
 * set, which is used instead of both;</li>
 * <li>a trusted realm host is a bare host name: no scheme, port or path, since realm
 * hosts are compared without their port;</li>
 * <li>every property under {@code oci.token-cache.registries} must bind to a setting of a
 * registry; a host written without brackets, such as
 * {@code oci.token-cache.registries.ghcr.io.username}, binds to nothing.</li>
 * </ul>
 *
 * @author oci-token-cache team
 */
final class RegistryPropertiesValidator {

	private static final String REGISTRIES = TokenCacheProperties.PREFIX + ".registries";

	private static final String SETTINGS_LIST = "username, password, identity-token and trusted-realm-hosts";

	private static final Set<String> SETTINGS = Set.of("username", "password", "identitytoken", "trustedrealmhosts");

	private static final Pattern HOST_NAME = Pattern
		.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");

	private static final Pattern IPV6_HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+]");

	private RegistryPropertiesValidator() {
	}

	/**
	 * Check the bound registries.
	 * @param registries the registries, keyed as configured
	 * @throws InvalidTokenCachePropertyException for the first problem found
	 */
	static void validate(Map<String, TokenCacheProperties.Registry> registries) {
		Map<String, String> keysByRegistry = new HashMap<>();
		registries.forEach((key, settings) -> {
			String registry = registry(key);
			String earlier = keysByRegistry.putIfAbsent(registry, key);
			if (earlier != null) {
				throw new InvalidTokenCachePropertyException(property(key), null,
						"it names the same registry, " + registry + ", as '" + property(earlier)
								+ "', and a registry has one set of credentials",
						"Keep one of '" + property(earlier) + "' and '" + property(key) + "'.");
			}
			validateCredentials(key, settings);
			validateTrustedRealmHosts(key, settings.getTrustedRealmHosts());
		});
	}

	/**
	 * Check that every property the environment holds under
	 * {@code oci.token-cache.registries} binds to a setting of a registry.
	 * @param environment the environment
	 * @throws InvalidTokenCachePropertyException for the first property that binds to
	 * nothing
	 */
	static void validatePropertyNames(Environment environment) {
		if (!(environment instanceof ConfigurableEnvironment)) {
			return;
		}
		ConfigurationPropertyName registries = ConfigurationPropertyName.of(REGISTRIES);
		int keyIndex = registries.getNumberOfElements();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.filter(registries::isAncestorOf).stream().forEach((name) -> {
					if (name.getNumberOfElements() < keyIndex + 2
							|| !SETTINGS.contains(name.getElement(keyIndex + 1, Form.UNIFORM))) {
						throw unbound(name, keyIndex);
					}
				});
			}
		}
	}

	private static String registry(String key) {
		String problem = null;
		if (key.contains("://")) {
			problem = "it has a URL scheme";
		}
		else if (key.indexOf('/') >= 0) {
			problem = "it has a path, and credentials are per registry, not per repository";
		}
		else {
			try {
				return ImageReference.of(key, "repository").registry();
			}
			catch (InvalidImageReferenceException ex) {
				problem = "it is not a host name, an IPv4 address or a bracketed IPv6 address";
			}
		}
		throw new InvalidTokenCachePropertyException(property(key), null,
				"the key '" + key + "' is not a registry host with an optional port, such as ghcr.io or "
						+ "127.0.0.1:5000: " + problem,
				"Key the registry by its host and port only, such as '" + REGISTRIES + "[ghcr.io].username'.");
	}

	private static void validateCredentials(String key, TokenCacheProperties.Registry settings) {
		if (isSet(settings.getIdentityToken())) {
			return;
		}
		boolean username = isSet(settings.getUsername());
		boolean password = isSet(settings.getPassword());
		if (username && !password) {
			throw new InvalidTokenCachePropertyException(property(key) + ".username", null,
					"it is set, but '" + property(key) + ".password' is missing (and no '" + property(key)
							+ ".identity-token' is set)",
					"Set '" + property(key) + ".password' or '" + property(key)
							+ ".identity-token' as well, or remove '" + property(key) + ".username'.");
		}
		if (password && !username) {
			throw new InvalidTokenCachePropertyException(property(key) + ".password", null,
					"it is set, but '" + property(key) + ".username' is missing; a password is only sent with a "
							+ "username",
					"Set '" + property(key) + ".username' as well, or remove '" + property(key) + ".password'.");
		}
	}

	private static void validateTrustedRealmHosts(String key, List<String> hosts) {
		for (int i = 0; i < hosts.size(); i++) {
			String host = hosts.get(i);
			if (host == null || (!HOST_NAME.matcher(host).matches() && !IPV6_HOST.matcher(host).matches())) {
				throw new InvalidTokenCachePropertyException(property(key) + ".trusted-realm-hosts[" + i + "]",
						String.valueOf(host),
						"a trusted realm host is a bare host name, such as auth.example.com, without a scheme, "
								+ "port or path; realm hosts are compared without their port",
						"Write the host name of the token realm alone, such as 'auth.example.com'.");
			}
		}
	}

	private static InvalidTokenCachePropertyException unbound(ConfigurationPropertyName name, int keyIndex) {
		int setting = -1;
		for (int i = keyIndex + 1; i < name.getNumberOfElements() && setting < 0; i++) {
			if (SETTINGS.contains(name.getElement(i, Form.UNIFORM))) {
				setting = i;
			}
		}
		String reason = "it binds to nothing, because a registry has no such setting; the settings of a registry are "
				+ SETTINGS_LIST;
		String action = "Use one of the settings " + SETTINGS_LIST + ".";
		if (setting > keyIndex + 1) {
			StringBuilder host = new StringBuilder();
			for (int i = keyIndex; i < setting; i++) {
				host.append((i > keyIndex) ? "." : "").append(name.getElement(i, Form.ORIGINAL));
			}
			StringBuilder suggestion = new StringBuilder(REGISTRIES).append('[').append(host).append(']');
			for (int i = setting; i < name.getNumberOfElements(); i++) {
				suggestion.append('.').append(name.getElement(i, Form.ORIGINAL));
			}
			reason = "it binds to nothing, because a registry host that contains dots must be written in brackets";
			action = "Write the host in brackets: '" + suggestion + "' in a .properties file, or \"[" + host
					+ "]\" as the key in YAML.";
		}
		return new InvalidTokenCachePropertyException(name.toString(), null, reason, action);
	}

	private static boolean isSet(@Nullable String value) {
		return value != null && !value.isEmpty();
	}

	private static String property(String key) {
		return REGISTRIES + "[" + key + "]";
	}

}
