package io.github.ocitokencache.auth;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.InvalidImageReferenceException;
import io.github.ocitokencache.cache.RegistryOperation;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * What a request to a registry's API is about: the repository named by its
 * {@code /v2/<name>/...} path and the operation its method performs.
 * <p>
 * The path must end in one of the repository routes of the distribution API:
 * {@code manifests/<reference>}, {@code blobs/<digest>}, {@code blobs/uploads/} with an
 * optional upload id, {@code tags/list} or {@code referrers/<digest>}. The name before
 * that tail may hold slashes, and is matched greedily, so a repository with a component
 * called {@code blobs} is read correctly. Any other path ({@code /v2/},
 * {@code /v2/_catalog}, or a path that is not a registry's at all) is no repository
 * request.
 * <p>
 * Uploads are pushes whatever their method. Otherwise {@code GET} and {@code HEAD} pull,
 * and {@code POST}, {@code PUT} and {@code PATCH} push. A {@code DELETE} needs the
 * {@code delete} action, which the cache does not model: its operation is {@code null}.
 * Other methods are no repository request.
 *
 * @param reference the registry (from the URL's host and port) and repository
 * @param operation the operation, or {@code null} for a {@code DELETE}
 * @author oci-token-cache team
 */
record RepositoryRequest(ImageReference reference, @Nullable RegistryOperation operation) {

	private static final Pattern REPOSITORY_PATH = Pattern
		.compile("^/v2/(.+)/(manifests/[^/]+|blobs/uploads/[^/]*|blobs/[^/]+|tags/list|referrers/[^/]+)$");

	/**
	 * Read a request's method and URL.
	 * @param method the request method
	 * @param uri the absolute request URL
	 * @return the repository request, or {@code null} if the request is not about a
	 * repository
	 */
	static @Nullable RepositoryRequest of(HttpMethod method, URI uri) {
		String registry = registry(uri);
		String path = uri.getRawPath();
		if (registry == null || path == null) {
			return null;
		}
		Matcher matcher = REPOSITORY_PATH.matcher(path);
		if (!matcher.matches()) {
			return null;
		}
		ImageReference reference;
		try {
			reference = ImageReference.of(registry, matcher.group(1));
		}
		catch (InvalidImageReferenceException ex) {
			return null;
		}
		if (matcher.group(2).startsWith("blobs/uploads/")) {
			return new RepositoryRequest(reference, RegistryOperation.PUSH);
		}
		if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
			return new RepositoryRequest(reference, RegistryOperation.PULL);
		}
		if (HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)) {
			return new RepositoryRequest(reference, RegistryOperation.PUSH);
		}
		if (HttpMethod.DELETE.equals(method)) {
			return new RepositoryRequest(reference, null);
		}
		return null;
	}

	/**
	 * Return the registry a URL is addressed to, in the canonical form of
	 * {@link ImageReference#registry()}.
	 * @param uri the request URL
	 * @return the registry, or {@code null} if the URL names no usable host
	 */
	// https://ghcr.io:443 and https://ghcr.io are one registry, for its credentials and
	// keys.
	private static boolean isDefaultPort(URI uri) {
		int port = uri.getPort();
		String scheme = uri.getScheme();
		return port == -1 || (port == 443 && "https".equalsIgnoreCase(scheme))
				|| (port == 80 && "http".equalsIgnoreCase(scheme));
	}

	static @Nullable String registry(URI uri) {
		String host = uri.getHost();
		if (host == null) {
			return null;
		}
		String registry = host.toLowerCase(Locale.ROOT) + (isDefaultPort(uri) ? "" : ":" + uri.getPort());
		try {
			return ImageReference.of(registry, "repository").registry();
		}
		catch (InvalidImageReferenceException ex) {
			return null;
		}
	}

}
