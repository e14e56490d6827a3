package io.github.ocitokencache.cache;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ImageReference}: section 6 of the behaviour cases (R01 to R14).
 *
 * @author oci-token-cache team
 */
class ImageReferenceTests {

	private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

	@ParameterizedTest(name = "{0}: {1} {2} {3} {4}")
	@DisplayName("R01-R08 valid references")
	@CsvSource(nullValues = "none", value = { "R01, busybox, docker.io, library/busybox, latest",
			"R02, docker.io/bash:5.3.9, docker.io, library/bash, 5.3.9",
			"R03, opensuse/leap:15.3, docker.io, opensuse/leap, 15.3",
			"R04, ubuntu:18.04, docker.io, library/ubuntu, 18.04", "R05, localhost/test:tag, localhost, test, tag",
			"R06, 127.0.0.1:5000/myimage:1.2.3, 127.0.0.1:5000, myimage, 1.2.3",
			"R07, [::1]:5000/hello-app:1.0, [::1]:5000, hello-app, 1.0",
			"R03, index.docker.io/opensuse/leap, docker.io, opensuse/leap, latest",
			"R05, localhost:5000/team/app, localhost:5000, team/app, latest",
			"R06, 10.0.0.1/app:v_1.x-2, 10.0.0.1, app, v_1.x-2", "R07, [fe80::1]/app, [fe80::1], app, latest",
			"R01, registry-1.docker.io/nginx, docker.io, library/nginx, latest",
			"R02, ghcr.io/org/team/app:1.0, ghcr.io, org/team/app, 1.0",
			"R04, my-registry.example.com:443/a.b/c_d/e__f/g--h:TAG, my-registry.example.com:443, "
					+ "a.b/c_d/e__f/g--h, TAG" })
	void validReferencesAreNormalised(String id, String input, String registry, String repository, String tag) {
		ImageReference reference = ImageReference.parse(input);
		assertThat(reference.registry()).isEqualTo(registry);
		assertThat(reference.repository()).isEqualTo(repository);
		assertThat(reference.tag()).isEqualTo(tag);
		assertThat(reference.digest()).isNull();
	}

	@Test
	@DisplayName("R08 a tag and a digest are both kept")
	void r08TagAndDigestAreBothKept() {
		ImageReference reference = ImageReference.parse("ubuntu:latest@" + DIGEST);
		assertThat(reference.registry()).isEqualTo(ImageReference.DOCKER_HUB);
		assertThat(reference.repository()).isEqualTo("library/ubuntu");
		assertThat(reference.tag()).isEqualTo("latest");
		assertThat(reference.digest()).isEqualTo(DIGEST);
		ImageReference digestOnly = ImageReference.parse("localhost:5000/app@" + DIGEST);
		assertThat(digestOnly.tag()).isNull();
		assertThat(digestOnly.digest()).isEqualTo(DIGEST);
		assertThat(ImageReference.parse("app@sha512:" + "ab".repeat(64)).digest()).hasSize(7 + 128);
	}

	@ParameterizedTest(name = "R09 {0}")
	@DisplayName("R09 a repository must be lower case")
	@ValueSource(strings = { "registry.example.org/foo/screenApp", "Ubuntu", "ghcr.io/Org/app:1.0" })
	void r09RepositoryMustBeLowerCase(String input) {
		assertInvalid(input, "must be lower case");
	}

	@ParameterizedTest(name = "R10 {0}")
	@DisplayName("R10 a reference has no URL scheme")
	@ValueSource(strings = { "http://127.0.0.1:6030/ns/app:1.8.2", "https://ghcr.io/org/app", "docker://busybox" })
	void r10ReferenceHasNoUrlScheme(String input) {
		assertInvalid(input, "no URL scheme");
	}

	@Test
	@DisplayName("R11 a 255-character repository path is accepted")
	void r11RepositoryOf255CharactersIsAccepted() {
		String path = path(255);
		assertThat(ImageReference.parse("registry.example.org/" + path).repository()).hasSize(255).isEqualTo(path);
		assertThat(ImageReference.parse("registry.example.org:5000/" + path + ":tag").repository()).hasSize(255);
	}

	@Test
	@DisplayName("R12 a 256-character repository path is refused")
	void r12RepositoryOf256CharactersIsRefused() {
		assertInvalid("registry.example.org/" + path(256), "longer than 255 characters");
		assertInvalid("a".repeat(249), "longer than 255 characters");
	}

	@ParameterizedTest(name = "R13 {0}")
	@DisplayName("R13 a digest of the wrong length is refused")
	@ValueSource(strings = { "app@sha256:abc", "app@sha256:", "app@sha512:abcdef", "app:1@sha256:" + "a" + "0" })
	void r13DigestOfWrongLengthIsRefused(String input) {
		assertThatExceptionOfType(InvalidImageReferenceException.class).isThrownBy(() -> ImageReference.parse(input))
			.withMessageContaining("digest");
	}

	@Test
	@DisplayName("R13 a digest must be algorithm:hex")
	void r13DigestMustBeAlgorithmAndHex() {
		assertInvalid("app@" + "a".repeat(64), "algorithm:hex");
		assertInvalid("app@sha256:" + "A".repeat(64), "lower-case hex");
	}

	@ParameterizedTest(name = "R14 \"{0}\"")
	@DisplayName("R14 empty and other malformed references are refused")
	@CsvSource(delimiter = '|',
			value = { "''|must not be empty", "registry.example.org/|repository name is missing", "app:|tag",
					"app:-bad|tag", "ghcr.io/org//app|component", "ghcr.io/org/app/|component",
					"with space|white space", "localhost:99999/app|port", "localhost:port/app|port", "[::1/app|IPv6",
					"bad_host.example.com/app|host name" })
	void r14MalformedReferencesAreRefused(String input, String problem) {
		assertInvalid(input, problem);
	}

	@Test
	void r12VeryLongInputIsNotRepeatedWholeInTheMessage() {
		String input = "registry.example.org/" + path(7000);
		assertThatExceptionOfType(InvalidImageReferenceException.class).isThrownBy(() -> ImageReference.parse(input))
			.withMessageContaining("longer than 255 characters")
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(500))
			.satisfies((ex) -> assertThat(ex.getReference()).isEqualTo(input));
	}

	@Test
	void r14NullIsRefusedWithoutNullPointerException() {
		assertInvalid(null, "must not be empty");
	}

	@Test
	void ofNormalisesRegistryAndRepositoryLikeParse() {
		assertThat(ImageReference.of("Registry-1.Docker.IO", "busybox"))
			.isEqualTo(ImageReference.of("docker.io", "library/busybox"));
		assertThat(ImageReference.of("127.0.0.1:5000", "demo/app").registry()).isEqualTo("127.0.0.1:5000");
		assertThatExceptionOfType(InvalidImageReferenceException.class)
			.isThrownBy(() -> ImageReference.of("", "demo/app"));
		assertThatExceptionOfType(InvalidImageReferenceException.class)
			.isThrownBy(() -> ImageReference.of(null, "demo/app"))
			.withMessageContaining("must both be given");
		assertThatExceptionOfType(InvalidImageReferenceException.class)
			.isThrownBy(() -> ImageReference.of("ghcr.io", null));
		assertThatExceptionOfType(InvalidImageReferenceException.class)
			.isThrownBy(() -> ImageReference.of("ghcr.io", "Demo/App"))
			.withMessageContaining("lower case");
	}

	@Test
	void dockerHubApiIsServedByRegistry1() {
		assertThat(ImageReference.parse("busybox").registryEndpoint()).isEqualTo("registry-1.docker.io");
		assertThat(ImageReference.parse("ghcr.io/a/b").registryEndpoint()).isEqualTo("ghcr.io");
	}

	@Test
	void toStringIsTheFullNormalisedReference() {
		assertThat(ImageReference.parse("busybox")).hasToString("docker.io/library/busybox:latest");
		assertThat(ImageReference.parse("Ghcr.IO/a/b@" + DIGEST)).hasToString("ghcr.io/a/b@" + DIGEST);
	}

	private static void assertInvalid(String input, String problem) {
		assertThatExceptionOfType(InvalidImageReferenceException.class).isThrownBy(() -> ImageReference.parse(input))
			.withMessageContaining(problem)
			.satisfies((ex) -> assertThat(ex.getReference()).isEqualTo(String.valueOf(input)));
	}

	private static String path(int length) {
		StringBuilder path = new StringBuilder();
		while (path.length() < length) {
			path.append((path.length() == 0) ? "" : "/").append("component");
		}
		path.setLength(length);
		if (path.charAt(length - 1) == '/') {
			path.setCharAt(length - 1, 'x');
		}
		return path.toString();
	}

}
