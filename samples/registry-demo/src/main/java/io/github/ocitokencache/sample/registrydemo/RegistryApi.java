package io.github.ocitokencache.sample.registrydemo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.ocitokencache.cache.ImageReference;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;

/**
 * The few calls of the OCI distribution API the demo makes: list tags, resolve a manifest
 * digest, push a tiny artifact. Requests go through a {@link RestClient} whose
 * interceptor authenticates them; this class never sees a token.
 * <p>
 * Loopback hosts (and any others listed in {@code demo.plain-http-hosts}) are reached
 * over plain {@code http}, every other registry over {@code https}. Instances are
 * thread-safe.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public class RegistryApi {

	/**
	 * The manifest types asked for when resolving a digest: OCI and Docker, single
	 * manifests and indexes.
	 */
	public static final List<MediaType> MANIFEST_TYPES = List.of(
			MediaType.parseMediaType("application/vnd.oci.image.manifest.v1+json"),
			MediaType.parseMediaType("application/vnd.oci.image.index.v1+json"),
			MediaType.parseMediaType("application/vnd.docker.distribution.manifest.v2+json"),
			MediaType.parseMediaType("application/vnd.docker.distribution.manifest.list.v2+json"));

	private static final String DIGEST_HEADER = "Docker-Content-Digest";

	private static final MediaType OCI_MANIFEST = MANIFEST_TYPES.get(0);

	private static final String EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";

	private static final String ARTIFACT_TYPE = "application/vnd.example.registry-demo.note.v1";

	private final RestClient restClient;

	private final Set<String> plainHttpHosts;

	/**
	 * Create an API client.
	 * @param restClient the client to send requests with, its interceptor adding
	 * credentials
	 * @param plainHttpHosts hosts, without port, reached over plain {@code http}
	 */
	public RegistryApi(RestClient restClient, Set<String> plainHttpHosts) {
		this.restClient = restClient;
		this.plainHttpHosts = Set.copyOf(plainHttpHosts);
	}

	/**
	 * List the tags of an image's repository, as the registry's first page has them.
	 * @param reference the image; its tag or digest is ignored
	 * @return the tags
	 */
	public List<String> tags(ImageReference reference) {
		TagList tagList = this.restClient.get()
			.uri(repositoryUrl(reference, "/tags/list"))
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.body(TagList.class);
		return (tagList != null && tagList.tags() != null) ? tagList.tags() : List.of();
	}

	/**
	 * Resolve an image's tag (or digest) to the digest of its manifest, with a
	 * {@code HEAD} request; a {@code GET} is made, and the digest computed, only when the
	 * registry's answer names no digest.
	 * @param reference the image
	 * @return the manifest's digest and media type
	 */
	public ManifestDigest digest(ImageReference reference) {
		URI url = repositoryUrl(reference, "/manifests/" + tagOrDigest(reference));
		ResponseEntity<Void> head = this.restClient.head().uri(url).accept(toArray()).retrieve().toBodilessEntity();
		String digest = head.getHeaders().getFirst(DIGEST_HEADER);
		if (digest != null) {
			return new ManifestDigest(digest, mediaType(head.getHeaders()));
		}
		ResponseEntity<byte[]> get = this.restClient.get().uri(url).accept(toArray()).retrieve().toEntity(byte[].class);
		byte[] body = (get.getBody() != null) ? get.getBody() : new byte[0];
		return new ManifestDigest(sha256(body), mediaType(get.getHeaders()));
	}

	/**
	 * Push a tiny artifact under the reference's tag: a text blob, the empty config and
	 * an OCI manifest that names both.
	 * @param reference the image to push, with a tag
	 * @return the digest of the pushed manifest
	 */
	public ManifestDigest push(ImageReference reference) {
		Assert.isTrue(reference.tag() != null && reference.digest() == null,
				"A push needs a tag and no digest: " + reference);
		byte[] note = ("pushed by the oci-token-cache registry demo to " + reference + "\n")
			.getBytes(StandardCharsets.UTF_8);
		byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
		String noteDigest = uploadBlob(reference, note);
		String configDigest = uploadBlob(reference, config);
		String manifest = String.format(
				"{\"schemaVersion\":2,\"mediaType\":\"%s\",\"artifactType\":\"%s\","
						+ "\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d},"
						+ "\"layers\":[{\"mediaType\":\"text/plain\",\"digest\":\"%s\",\"size\":%d}]}",
				OCI_MANIFEST, ARTIFACT_TYPE, EMPTY_CONFIG_TYPE, configDigest, config.length, noteDigest, note.length);
		byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
		ResponseEntity<Void> put = this.restClient.put()
			.uri(repositoryUrl(reference, "/manifests/" + reference.tag()))
			.contentType(OCI_MANIFEST)
			.body(manifestBytes)
			.retrieve()
			.toBodilessEntity();
		String digest = put.getHeaders().getFirst(DIGEST_HEADER);
		return new ManifestDigest((digest != null) ? digest : sha256(manifestBytes), OCI_MANIFEST.toString());
	}

	private String uploadBlob(ImageReference reference, byte[] content) {
		String digest = sha256(content);
		URI start = repositoryUrl(reference, "/blobs/uploads/");
		ResponseEntity<Void> started = this.restClient.post().uri(start).retrieve().toBodilessEntity();
		URI location = started.getHeaders().getLocation();
		Assert.state(location != null, "The registry answered the upload request without a Location");
		String upload = start.resolve(location).toString();
		this.restClient.put()
			.uri(URI.create(upload + ((upload.indexOf('?') >= 0) ? "&" : "?") + "digest=" + digest))
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.body(content)
			.retrieve()
			.toBodilessEntity();
		return digest;
	}

	private URI repositoryUrl(ImageReference reference, String path) {
		String endpoint = reference.registryEndpoint();
		String host = endpoint.startsWith("[") ? endpoint.substring(0, endpoint.indexOf(']') + 1)
				: endpoint.replaceFirst(":\\d+$", "");
		String scheme = this.plainHttpHosts.contains(host.toLowerCase(Locale.ROOT)) ? "http" : "https";
		return URI.create(scheme + "://" + endpoint + "/v2/" + reference.repository() + path);
	}

	private static String tagOrDigest(ImageReference reference) {
		return (reference.digest() != null) ? reference.digest() : reference.tag();
	}

	private static MediaType[] toArray() {
		return MANIFEST_TYPES.toArray(MediaType[]::new);
	}

	private static @Nullable String mediaType(HttpHeaders headers) {
		MediaType contentType = headers.getContentType();
		return (contentType != null) ? contentType.toString() : null;
	}

	static String sha256(byte[] content) {
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The answer of {@code GET /v2/<name>/tags/list}.
	 *
	 * @param name the repository
	 * @param tags its tags, {@code null} when it has none
	 */
	record TagList(String name, @Nullable List<String> tags) {

	}

	/**
	 * The digest of a manifest and the media type the registry served it as.
	 *
	 * @param digest the digest, such as {@code sha256:...}
	 * @param mediaType the manifest's media type, if the registry named it
	 */
	public record ManifestDigest(String digest, @Nullable String mediaType) {

	}

}
