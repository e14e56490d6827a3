package io.github.ocitokencache.testsupport.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Runs {@code skopeo} against a {@link LocalRegistry} to seed it with images and to look
 * at them from a client other than ours.
 * <p>
 * Registries are reached over plain HTTP ({@code --tls-verify=false}) and with
 * {@code --insecure-policy}, so neither {@code registries.conf} nor the host's signature
 * policy matter. Credentials are handed over in a temporary auth file that is deleted
 * afterwards, never on the command line, and never appear in exception messages. Against
 * a token mode registry skopeo fetches its token from the realm with these credentials
 * (HTTP Basic), or anonymously without them. If {@code skopeo} is not installed, the
 * calling test is skipped, or fails when the {@code CI} environment variable is set.
 *
 * @author oci-token-cache team
 */
public final class Skopeo {

	private static final Duration COPY_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration INSPECT_TIMEOUT = Duration.ofSeconds(30);

	private Skopeo() {
	}

	/**
	 * Push an image from an OCI layout: {@code skopeo copy oci:<layout>:<tag>
	 * docker://<registry>/<repository>:<tag>}.
	 * @param layoutDirectory the OCI layout directory
	 * @param tag the tag in the layout, also used as the tag in the registry
	 * @param registry the target registry
	 * @param repository the target repository, such as {@code demo/app}
	 * @param user the user name, or {@code null} to push anonymously
	 * @param password the password, or {@code null} to push anonymously
	 * @throws IllegalStateException if skopeo fails or does not finish within 60 seconds
	 */
	public static void copy(Path layoutDirectory, String tag, LocalRegistry registry, String repository,
			@Nullable String user, @Nullable String password) {
		String target = registry.hostAndPort() + "/" + repository + ":" + tag;
		run("copy " + layoutDirectory + ":" + tag + " to " + target, registry, user, password, COPY_TIMEOUT,
				(authFile) -> List.of("--insecure-policy", "copy", "--dest-tls-verify=false", "--dest-authfile",
						authFile, "--retry-times", "0", "oci:" + layoutDirectory + ":" + tag, "docker://" + target));
	}

	/**
	 * Push a hand-made image under its own tag.
	 * @param layout the image layout
	 * @param registry the target registry
	 * @param repository the target repository, such as {@code demo/app}
	 * @param user the user name, or {@code null} to push anonymously
	 * @param password the password, or {@code null} to push anonymously
	 * @throws IllegalStateException if skopeo fails or does not finish within 60 seconds
	 * @see #copy(Path, String, LocalRegistry, String, String, String)
	 */
	public static void copy(OciImageLayout layout, LocalRegistry registry, String repository, @Nullable String user,
			@Nullable String password) {
		copy(layout.directory(), layout.tag(), registry, repository, user, password);
	}

	/**
	 * Return the manifest digest of an image as skopeo sees it: {@code skopeo inspect
	 * --format {{.Digest}}}.
	 * @param registry the registry
	 * @param repository the repository, such as {@code demo/app}
	 * @param tag the tag
	 * @param user the user name, or {@code null} to inspect anonymously
	 * @param password the password, or {@code null} to inspect anonymously
	 * @return the digest, {@code sha256:<hex>}
	 * @throws IllegalStateException if skopeo fails or does not finish within 30 seconds
	 */
	public static String inspectDigest(LocalRegistry registry, String repository, String tag, @Nullable String user,
			@Nullable String password) {
		String image = registry.hostAndPort() + "/" + repository + ":" + tag;
		return run("inspect " + image, registry, user, password, INSPECT_TIMEOUT,
				(authFile) -> List.of("--insecure-policy", "inspect", "--tls-verify=false", "--authfile", authFile,
						"--retry-times", "0", "--format", "{{.Digest}}", "docker://" + image))
			.strip();
	}

	private static String run(String description, LocalRegistry registry, @Nullable String user,
			@Nullable String password, Duration timeout, Function<String, List<String>> arguments) {
		ExternalCommand skopeo = ExternalCommand.installed("skopeo", "skopeo");
		Path authFile = writeAuthFile(registry, user, password);
		ExternalCommand.Result result;
		try {
			result = skopeo.run(arguments.apply(authFile.toString()), Map.of(), timeout);
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException(
					"skopeo " + description + ": " + redact(String.valueOf(ex.getMessage()), password));
		}
		finally {
			deleteAuthFile(authFile);
		}
		if (!result.isSuccess()) {
			throw new IllegalStateException("skopeo " + description + " failed with exit code " + result.exitCode()
					+ ": " + redact(ExternalCommand.abbreviate(result.stderr()), password));
		}
		return result.stdout();
	}

	private static void deleteAuthFile(Path authFile) {
		try {
			Files.deleteIfExists(authFile);
		}
		catch (IOException ex) {
			// Best effort: the file is readable by its owner only
		}
	}

	private static Path writeAuthFile(LocalRegistry registry, @Nullable String user, @Nullable String password) {
		String auths = "{}";
		if (user != null && password != null) {
			String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
			auths = "{\"" + registry.hostAndPort() + "\":{\"auth\":\"" + auth + "\"}}";
		}
		try {
			Path file = Files.createTempFile("skopeo-auth-", ".json",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			return Files.writeString(file, "{\"auths\":" + auths + "}");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write a skopeo auth file", ex);
		}
	}

	private static String redact(String text, @Nullable String password) {
		return (password == null || password.isEmpty()) ? text : text.replace(password, "******");
	}

}
