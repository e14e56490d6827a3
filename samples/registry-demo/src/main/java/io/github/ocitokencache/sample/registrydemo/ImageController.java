package io.github.ocitokencache.sample.registrydemo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ocitokencache.auth.InsecureRealmException;
import io.github.ocitokencache.auth.InvalidChallengeException;
import io.github.ocitokencache.auth.TokenRequestException;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.InvalidImageReferenceException;
import io.github.ocitokencache.cache.TokenResponseException;
import io.github.ocitokencache.sample.registrydemo.RegistryApi.ManifestDigest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The demo's HTTP endpoints. Each takes an image reference in {@code ref}, in any form
 * {@link ImageReference#parse(String)} accepts ({@code busybox},
 * {@code ghcr.io/org/app:1.0}, {@code 127.0.0.1:5000/demo/app@sha256:...}):
 * <ul>
 * <li>{@code GET /images/tags?ref=...}: the tags of the image's repository;</li>
 * <li>{@code GET /images/digest?ref=...}: the digest of the manifest the reference
 * names;</li>
 * <li>{@code POST /images/push?ref=...}: pushes a tiny artifact under the reference's
 * tag.</li>
 * </ul>
 * A reference that does not parse is answered with {@code 400} and the parse error. A
 * registry's {@code 404} is passed on; any other registry failure, and a token the
 * registry's token endpoint would not grant, is answered with {@code 502} and the reason
 * (which never holds a credential).
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@RestController
@RequestMapping("/images")
public class ImageController {

	private final RegistryClients registryClients;

	/**
	 * Create the controller.
	 * @param registryClients gives the registry client each request uses
	 */
	public ImageController(RegistryClients registryClients) {
		this.registryClients = registryClients;
	}

	/**
	 * List the tags of an image's repository.
	 * @param ref the image reference
	 * @return the normalised reference and its repository's tags
	 */
	@GetMapping("/tags")
	public Map<String, Object> tags(@RequestParam String ref) {
		ImageReference reference = ImageReference.parse(ref);
		List<String> tags = this.registryClients.forRequest().tags(reference);
		return answer(reference, "tags", tags);
	}

	/**
	 * Resolve a reference to its manifest digest.
	 * @param ref the image reference
	 * @return the normalised reference, the digest and the manifest's media type
	 */
	@GetMapping("/digest")
	public Map<String, Object> digest(@RequestParam String ref) {
		ImageReference reference = ImageReference.parse(ref);
		ManifestDigest digest = this.registryClients.forRequest().digest(reference);
		Map<String, Object> answer = answer(reference, "digest", digest.digest());
		answer.put("mediaType", digest.mediaType());
		return answer;
	}

	/**
	 * Push a tiny artifact: a text blob, an empty config and an OCI manifest.
	 * @param ref the image reference, with a tag
	 * @return the normalised reference and the pushed manifest's digest
	 */
	@PostMapping("/push")
	public Map<String, Object> push(@RequestParam String ref) {
		ImageReference reference = ImageReference.parse(ref);
		if (reference.digest() != null) {
			throw new InvalidImageReferenceException(ref, "a push needs a tag, not a digest");
		}
		return answer(reference, "digest", this.registryClients.forRequest().push(reference).digest());
	}

	@ExceptionHandler(InvalidImageReferenceException.class)
	ProblemDetail invalidReference(InvalidImageReferenceException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler({ TokenResponseException.class, TokenRequestException.class, InvalidChallengeException.class,
			InsecureRealmException.class })
	ProblemDetail tokenNotGranted(RuntimeException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"No token for the registry: " + ex.getMessage());
	}

	@ExceptionHandler(RestClientResponseException.class)
	ProblemDetail registryRefused(RestClientResponseException ex) {
		HttpStatus status = (ex.getStatusCode().value() == 404) ? HttpStatus.NOT_FOUND : HttpStatus.BAD_GATEWAY;
		return ProblemDetail.forStatusAndDetail(status, "The registry answered " + ex.getStatusCode().value());
	}

	@ExceptionHandler(RestClientException.class)
	ProblemDetail registryUnreachable(RestClientException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
				"No answer from the registry: " + describe(ex.getMostSpecificCause()));
	}

	// The JDK's connection and timeout exceptions often carry no message: name the kind.
	private static String describe(Throwable cause) {
		String message = cause.getMessage();
		String kind = cause.getClass().getSimpleName();
		return (message != null && !message.isBlank()) ? kind + ": " + message : kind;
	}

	private static Map<String, Object> answer(ImageReference reference, String name, Object value) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("reference", reference.toString());
		answer.put(name, value);
		return answer;
	}

}
