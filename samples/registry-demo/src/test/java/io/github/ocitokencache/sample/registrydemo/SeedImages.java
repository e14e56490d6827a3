package io.github.ocitokencache.sample.registrydemo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes small images to a registry with {@code skopeo}, from OCI image layouts written
 * here: one gzipped tar layer holding one text file, an image config and a manifest.
 *
 * @author oci-token-cache team
 */
final class SeedImages {

	private static final long MODIFICATION_TIME = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();

	private SeedImages() {
	}

	/**
	 * Push an image whose layer holds {@code hello.txt} with the given text.
	 * @param directory a directory for the layout and the skopeo auth file
	 * @param registry the registry's host and port
	 * @param repository the repository
	 * @param tag the tag
	 * @param username the user allowed to push
	 * @param password that user's password, handed to skopeo in a file
	 * @throws IOException if a file cannot be written or skopeo cannot be run
	 * @throws InterruptedException if interrupted while skopeo runs
	 */
	static void push(Path directory, String registry, String repository, String tag, String username, String password)
			throws IOException, InterruptedException {
		Path layout = directory.resolve("layout-" + repository.replace('/', '-') + "-" + tag);
		Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
		byte[] tar = tar("hello.txt", ("hello from " + repository + ":" + tag + "\n").getBytes(StandardCharsets.UTF_8));
		byte[] layer = gzip(tar);
		byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
				+ "\"diff_ids\":[\"" + RegistryApi.sha256(tar) + "\"]}}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
				+ "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
				+ RegistryApi.sha256(config) + "\",\"size\":" + config.length + "},"
				+ "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
				+ RegistryApi.sha256(layer) + "\",\"size\":" + layer.length + "}]}")
			.getBytes(StandardCharsets.UTF_8);
		for (byte[] blob : List.of(layer, config, manifest)) {
			Files.write(blobs.resolve(RegistryApi.sha256(blob).substring("sha256:".length())), blob);
		}
		Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
		Files.writeString(layout.resolve("index.json"),
				"{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
						+ "\"digest\":\"" + RegistryApi.sha256(manifest) + "\",\"size\":" + manifest.length
						+ ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
		Path authFile = directory.resolve("skopeo-auth.json");
		String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
		Files.writeString(authFile, "{\"auths\":{\"" + registry + "\":{\"auth\":\"" + auth + "\"}}}");
		Path log = directory.resolve("skopeo.log");
		Process skopeo = new ProcessBuilder("skopeo", "copy", "-q", "--dest-tls-verify=false", "--authfile",
				authFile.toString(), "oci:" + layout + ":" + tag, "docker://" + registry + "/" + repository + ":" + tag)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		if (!skopeo.waitFor(60, TimeUnit.SECONDS) || skopeo.exitValue() != 0) {
			skopeo.destroyForcibly();
			throw new IllegalStateException("skopeo copy failed: " + Files.readString(log));
		}
	}

	private static byte[] tar(String name, byte[] content) {
		byte[] header = new byte[512];
		put(header, 0, name);
		put(header, 100, "0000644");
		put(header, 108, "0000000");
		put(header, 116, "0000000");
		put(header, 124, String.format("%011o", content.length));
		put(header, 136, String.format("%011o", MODIFICATION_TIME));
		header[156] = '0';
		put(header, 257, "ustar");
		put(header, 263, "00");
		for (int i = 148; i < 156; i++) {
			header[i] = ' ';
		}
		int checksum = 0;
		for (byte b : header) {
			checksum += b & 0xff;
		}
		put(header, 148, String.format("%06o", checksum));
		header[154] = 0;
		header[155] = ' ';
		int padded = (content.length + 511) / 512 * 512;
		byte[] tar = new byte[512 + padded + 1024];
		System.arraycopy(header, 0, tar, 0, 512);
		System.arraycopy(content, 0, tar, 512, content.length);
		return tar;
	}

	private static void put(byte[] header, int offset, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(bytes, 0, header, offset, bytes.length);
	}

	private static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
			gzip.write(data);
		}
		return bytes.toByteArray();
	}

}
