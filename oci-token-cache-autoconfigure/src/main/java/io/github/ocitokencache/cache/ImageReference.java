package io.github.ocitokencache.cache;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A parsed, normalised OCI image reference: registry, repository, and an optional tag and
 * digest. Every spelling of one image yields equal registry and repository values, which
 * is what the {@link TokenCache} keys on: Docker Hub's names ({@code docker.io},
 * {@code index.docker.io}, {@code registry-1.docker.io}, or none) become
 * {@value #DOCKER_HUB}, its one-component repositories get {@code library/}, and registry
 * names are lower-cased.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class ImageReference {

	/**
	 * The canonical name of Docker Hub's registry.
	 */
	public static final String DOCKER_HUB = "docker.io";

	/**
	 * The host that serves Docker Hub's registry API.
	 */
	public static final String DOCKER_HUB_ENDPOINT = "registry-1.docker.io";

	/**
	 * The longest repository path accepted, registry not counted.
	 */
	public static final int MAX_REPOSITORY_LENGTH = 255;

	private static final String DEFAULT_TAG = "latest";

	private static final Set<String> DOCKER_HUB_ALIASES = Set.of(DOCKER_HUB, "index.docker.io", DOCKER_HUB_ENDPOINT);

	private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

	private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

	private static final Pattern HOST_NAME = Pattern
		.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");

	private static final Pattern IPV6_HOST = Pattern.compile("\\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9]+)?]");

	private static final Pattern DIGEST_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");

	private static final Pattern DIGEST_ENCODED = Pattern.compile("[A-Za-z0-9=_-]+");

	private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

	private final String registry;

	private final String repository;

	private final @Nullable String tag;

	private final @Nullable String digest;

	private ImageReference(String registry, String repository, @Nullable String tag, @Nullable String digest) {
		this.registry = registry;
		this.repository = repository;
		this.tag = tag;
		this.digest = digest;
	}

	/**
	 * Parse a reference such as {@code busybox}, {@code ghcr.io/org/app:1.0} or
	 * {@code localhost:5000/app@sha256:...}. The first path component is a registry if it
	 * contains {@code .} or {@code :}, is {@code localhost}, or is a bracketed IPv6
	 * address; otherwise the image is on Docker Hub. Without tag or digest the tag is
	 * {@code latest}.
	 * @param reference the reference to parse
	 * @return the normalised reference
	 * @throws InvalidImageReferenceException if the input is not a valid reference; the
	 * message names the problem
	 */
	public static ImageReference parse(@Nullable String reference) {
		if (reference == null || reference.isEmpty()) {
			throw new InvalidImageReferenceException(String.valueOf(reference), "a reference must not be empty");
		}
		if (reference.contains("://")) {
			throw new InvalidImageReferenceException(reference,
					"a reference has no URL scheme; write it as registry/repository[:tag]");
		}
		for (int i = 0; i < reference.length(); i++) {
			if (Character.isWhitespace(reference.charAt(i)) || Character.isISOControl(reference.charAt(i))) {
				throw new InvalidImageReferenceException(reference, "a reference must not contain white space");
			}
		}
		String remainder = reference;
		String digest = null;
		int at = remainder.indexOf('@');
		if (at >= 0) {
			digest = validateDigest(reference, remainder.substring(at + 1));
			remainder = remainder.substring(0, at);
		}
		String registry = DOCKER_HUB;
		int slash = remainder.indexOf('/');
		if (slash >= 0 && isRegistry(remainder.substring(0, slash))) {
			registry = remainder.substring(0, slash);
			remainder = remainder.substring(slash + 1);
		}
		String tag = null;
		int colon = remainder.lastIndexOf(':');
		if (colon > remainder.lastIndexOf('/')) {
			tag = remainder.substring(colon + 1);
			remainder = remainder.substring(0, colon);
			if (!TAG.matcher(tag).matches()) {
				throw new InvalidImageReferenceException(reference, "tag '" + tag
						+ "' must be 1 to 128 letters, digits, '_', '.' or '-' and not start with '.' or '-'");
			}
		}
		if (tag == null && digest == null) {
			tag = DEFAULT_TAG;
		}
		String normalizedRegistry = normalizeRegistry(reference, registry);
		return new ImageReference(normalizedRegistry, normalizeRepository(reference, normalizedRegistry, remainder),
				tag, digest);
	}

	/**
	 * Create a reference to a repository on a registry, as found in a registry API path
	 * such as {@code /v2/<repository>/manifests/...}. Both parts are validated and
	 * normalised as by {@link #parse(String)}.
	 * @param registry the registry host, with a port if any
	 * @param repository the repository path
	 * @return the normalised reference, without tag or digest
	 * @throws InvalidImageReferenceException if either part is invalid
	 */
	public static ImageReference of(@Nullable String registry, @Nullable String repository) {
		String reference = registry + "/" + repository;
		if (registry == null || repository == null) {
			throw new InvalidImageReferenceException(reference, "registry and repository must both be given");
		}
		if (registry.isEmpty() || !isRegistry(registry) && !HOST_NAME.matcher(registry).matches()) {
			throw new InvalidImageReferenceException(reference, "'" + registry + "' is not a registry host");
		}
		String normalizedRegistry = normalizeRegistry(reference, registry);
		return new ImageReference(normalizedRegistry, normalizeRepository(reference, normalizedRegistry, repository),
				null, null);
	}

	private static boolean isRegistry(String component) {
		return component.indexOf('.') >= 0 || component.indexOf(':') >= 0 || component.equals("localhost")
				|| component.startsWith("[");
	}

	private static String normalizeRegistry(String reference, String registry) {
		String host = registry;
		String port = null;
		if (registry.startsWith("[")) {
			int close = registry.indexOf(']');
			host = (close > 0) ? registry.substring(0, close + 1) : registry;
			if (close < 0 || !IPV6_HOST.matcher(host).matches()) {
				throw new InvalidImageReferenceException(reference,
						"registry '" + registry + "' is not a valid bracketed IPv6 address");
			}
			if (close + 1 < registry.length()) {
				if (registry.charAt(close + 1) != ':') {
					throw new InvalidImageReferenceException(reference, "registry '" + registry + "' is malformed");
				}
				port = registry.substring(close + 2);
			}
		}
		else {
			int colon = registry.indexOf(':');
			if (colon >= 0) {
				host = registry.substring(0, colon);
				port = registry.substring(colon + 1);
			}
			if (!HOST_NAME.matcher(host).matches()) {
				throw new InvalidImageReferenceException(reference,
						"registry host '" + host + "' is not a valid host name");
			}
		}
		if (port != null && !isPort(port)) {
			throw new InvalidImageReferenceException(reference,
					"registry port '" + port + "' is not a number from 1 to 65535");
		}
		String normalized = registry.toLowerCase(Locale.ROOT);
		return DOCKER_HUB_ALIASES.contains(normalized) ? DOCKER_HUB : normalized;
	}

	private static boolean isPort(String port) {
		if (port.isEmpty() || port.length() > 5) {
			return false;
		}
		for (int i = 0; i < port.length(); i++) {
			if (port.charAt(i) < '0' || port.charAt(i) > '9') {
				return false;
			}
		}
		int value = Integer.parseInt(port);
		return value >= 1 && value <= 65535;
	}

	private static String normalizeRepository(String reference, String registry, String path) {
		if (path.isEmpty()) {
			throw new InvalidImageReferenceException(reference, "the repository name is missing");
		}
		String repository = (DOCKER_HUB.equals(registry) && path.indexOf('/') < 0) ? "library/" + path : path;
		if (repository.length() > MAX_REPOSITORY_LENGTH) {
			throw new InvalidImageReferenceException(reference,
					"repository is longer than " + MAX_REPOSITORY_LENGTH + " characters (" + repository.length() + ")");
		}
		if (!repository.toLowerCase(Locale.ROOT).equals(repository)) {
			throw new InvalidImageReferenceException(reference, "repository '" + repository + "' must be lower case");
		}
		for (String component : repository.split("/", -1)) {
			if (!PATH_COMPONENT.matcher(component).matches()) {
				throw new InvalidImageReferenceException(reference, "repository component '" + component
						+ "' must be lower-case letters and digits, separated by '.', '_', '__' or '-'");
			}
		}
		return repository;
	}

	private static String validateDigest(String reference, String digest) {
		int colon = digest.indexOf(':');
		if (colon <= 0) {
			throw new InvalidImageReferenceException(reference, "digest '" + digest + "' must be algorithm:hex");
		}
		String algorithm = digest.substring(0, colon);
		String encoded = digest.substring(colon + 1);
		if (!DIGEST_ALGORITHM.matcher(algorithm).matches() || !DIGEST_ENCODED.matcher(encoded).matches()) {
			throw new InvalidImageReferenceException(reference, "digest '" + digest + "' is malformed");
		}
		int expectedLength = switch (algorithm) {
			case "sha256" -> 64;
			case "sha512" -> 128;
			default -> -1;
		};
		if (expectedLength > 0) {
			if (encoded.length() != expectedLength) {
				throw new InvalidImageReferenceException(reference, "digest has the wrong length: " + algorithm
						+ " needs " + expectedLength + " hex digits, found " + encoded.length());
			}
			if (!HEX.matcher(encoded).matches()) {
				throw new InvalidImageReferenceException(reference,
						"digest must be lower-case hex digits after '" + algorithm + ":'");
			}
		}
		return digest;
	}

	/**
	 * Return the registry's canonical name: lower case, {@value #DOCKER_HUB} for Docker
	 * Hub, with a port if one was given.
	 * @return the registry name
	 */
	public String registry() {
		return this.registry;
	}

	/**
	 * Return the host (and port) that serves this registry's API; differs from
	 * {@link #registry()} only for Docker Hub.
	 * @return the API host
	 */
	public String registryEndpoint() {
		return DOCKER_HUB.equals(this.registry) ? DOCKER_HUB_ENDPOINT : this.registry;
	}

	/**
	 * Return the repository path, without registry, tag or digest.
	 * @return the repository
	 */
	public String repository() {
		return this.repository;
	}

	/**
	 * Return the tag, {@code latest} when the reference named neither tag nor digest.
	 * @return the tag, or {@code null} if the reference named only a digest
	 */
	public @Nullable String tag() {
		return this.tag;
	}

	/**
	 * Return the digest, such as {@code sha256:...}.
	 * @return the digest, or {@code null} if the reference named none
	 */
	public @Nullable String digest() {
		return this.digest;
	}

	@Override
	public boolean equals(@Nullable Object obj) {
		if (this == obj) {
			return true;
		}
		if (!(obj instanceof ImageReference other)) {
			return false;
		}
		return this.registry.equals(other.registry) && this.repository.equals(other.repository)
				&& Objects.equals(this.tag, other.tag) && Objects.equals(this.digest, other.digest);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.registry, this.repository, this.tag, this.digest);
	}

	@Override
	public String toString() {
		StringBuilder builder = new StringBuilder(this.registry).append('/').append(this.repository);
		if (this.tag != null) {
			builder.append(':').append(this.tag);
		}
		if (this.digest != null) {
			builder.append('@').append(this.digest);
		}
		return builder.toString();
	}

}
