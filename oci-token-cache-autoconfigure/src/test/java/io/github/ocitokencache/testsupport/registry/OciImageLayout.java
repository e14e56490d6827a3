package io.github.ocitokencache.testsupport.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small hand-made OCI image layout on disk: one layer holding one text file, a config
 * and a manifest, tagged through the {@code org.opencontainers.image.ref.name} annotation
 * of {@code index.json}. It is what
 * {@link Skopeo#copy(OciImageLayout, LocalRegistry, String, String, String)} pushes to a
 * registry.
 * <p>
 * The layer is a tar archive written here (ustar format, owner and group 0, mode 0644,
 * modification time 2020-01-01T00:00:00Z) and compressed without a file name or time
 * stamp, so the same content always gives the same digests. Instances are immutable.
 *
 * @author oci-token-cache team
 */
public final class OciImageLayout {

	/**
	 * Media type of the image manifest.
	 */
	public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";

	/**
	 * Tag of the image made by {@link #create(Path)}.
	 */
	public static final String DEFAULT_TAG = "1.0";

	private static final long MODIFICATION_TIME = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();

	private static final int BLOCK = 512;

	private static final int RECORD = 20 * BLOCK;

	private final Path directory;

	private final String tag;

	private final String layerDigest;

	private final String configDigest;

	private final String manifestDigest;

	private final byte[] manifest;

	private OciImageLayout(Path directory, String tag, String layerDigest, String configDigest, String manifestDigest,
			byte[] manifest) {
		this.directory = directory;
		this.tag = tag;
		this.layerDigest = layerDigest;
		this.configDigest = configDigest;
		this.manifestDigest = manifestDigest;
		this.manifest = manifest;
	}

	/**
	 * Create a layout tagged {@value #DEFAULT_TAG} whose layer holds {@code hello.txt}.
	 * @param directory the directory to write the layout to, created if needed
	 * @return the layout
	 */
	public static OciImageLayout create(Path directory) {
		return create(directory, DEFAULT_TAG, "hello.txt", "hello from a hand-made OCI image\n");
	}

	/**
	 * Create a layout whose single layer holds one file.
	 * @param directory the directory to write the layout to, created if needed
	 * @param tag the tag, the reference name in {@code index.json}
	 * @param fileName the name of the file in the layer (at most 100 ASCII characters)
	 * @param content the file's content, written as UTF-8
	 * @return the layout
	 */
	public static OciImageLayout create(Path directory, String tag, String fileName, String content) {
		if (!tag.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
			throw new IllegalArgumentException("Invalid tag '" + tag + "'");
		}
		byte[] tar = tar(fileName, content.getBytes(StandardCharsets.UTF_8));
		byte[] layer = gzip(tar);
		byte[] config = String
			.format("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/true\"]},"
					+ "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]},"
					+ "\"history\":[{\"created\":\"2020-01-01T00:00:00Z\",\"created_by\":\"hand-made\"}]}", digest(tar))
			.getBytes(StandardCharsets.UTF_8);
		byte[] manifest = String
			.format("{\"schemaVersion\":2,\"mediaType\":\"%s\","
					+ "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"%s\","
					+ "\"size\":%d},"
					+ "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"%s\","
					+ "\"size\":%d}]}", MANIFEST_MEDIA_TYPE, digest(config), config.length, digest(layer), layer.length)
			.getBytes(StandardCharsets.UTF_8);
		String index = String.format(
				"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
						+ "\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d,"
						+ "\"annotations\":{\"org.opencontainers.image.ref.name\":\"%s\"}}]}",
				MANIFEST_MEDIA_TYPE, digest(manifest), manifest.length, tag);
		try {
			Path blobs = Files.createDirectories(directory.resolve("blobs").resolve("sha256"));
			for (byte[] blob : new byte[][] { layer, config, manifest }) {
				Files.write(blobs.resolve(digest(blob).substring("sha256:".length())), blob);
			}
			Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
			Files.writeString(directory.resolve("index.json"), index);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the OCI layout to " + directory, ex);
		}
		return new OciImageLayout(directory, tag, digest(layer), digest(config), digest(manifest), manifest);
	}

	/**
	 * Return the directory that holds the layout.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the image's tag.
	 * @return the tag
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Return the digest of the manifest, which a registry reports as
	 * {@code Docker-Content-Digest} for the pushed image.
	 * @return the digest, {@code sha256:<hex>}
	 */
	public String manifestDigest() {
		return this.manifestDigest;
	}

	/**
	 * Return the digest of the config blob.
	 * @return the digest, {@code sha256:<hex>}
	 */
	public String configDigest() {
		return this.configDigest;
	}

	/**
	 * Return the digest of the compressed layer blob.
	 * @return the digest, {@code sha256:<hex>}
	 */
	public String layerDigest() {
		return this.layerDigest;
	}

	/**
	 * Return the manifest as stored in the layout.
	 * @return a copy of the manifest's bytes
	 */
	public byte[] manifest() {
		return this.manifest.clone();
	}

	@Override
	public String toString() {
		return "OciImageLayout[" + this.directory + ":" + this.tag + ", " + this.manifestDigest + "]";
	}

	static byte[] tar(String fileName, byte[] content) {
		byte[] name = fileName.getBytes(StandardCharsets.US_ASCII);
		if (name.length == 0 || name.length > 100 || !fileName.matches("[\\x21-\\x7e]+")) {
			throw new IllegalArgumentException("Unsupported file name '" + fileName + "'");
		}
		byte[] header = new byte[BLOCK];
		System.arraycopy(name, 0, header, 0, name.length);
		putOctal(header, 100, 8, 0644);
		putOctal(header, 108, 8, 0);
		putOctal(header, 116, 8, 0);
		putOctal(header, 124, 12, content.length);
		putOctal(header, 136, 12, MODIFICATION_TIME);
		header[156] = '0';
		put(header, 257, "ustar\0");
		put(header, 263, "00");
		putOctal(header, 329, 8, 0);
		putOctal(header, 337, 8, 0);
		Arrays.fill(header, 148, 156, (byte) ' ');
		int checksum = 0;
		for (byte b : header) {
			checksum += b & 0xff;
		}
		put(header, 148, String.format("%06o\0 ", checksum));
		int dataBlocks = (content.length + BLOCK - 1) / BLOCK;
		int length = BLOCK + dataBlocks * BLOCK + 2 * BLOCK;
		byte[] tar = new byte[((length + RECORD - 1) / RECORD) * RECORD];
		System.arraycopy(header, 0, tar, 0, BLOCK);
		System.arraycopy(content, 0, tar, BLOCK, content.length);
		return tar;
	}

	private static void putOctal(byte[] header, int offset, int length, long value) {
		put(header, offset, String.format("%0" + (length - 1) + "o\0", value));
	}

	private static void put(byte[] header, int offset, String value) {
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(bytes, 0, header, offset, bytes.length);
	}

	// Written by hand rather than with GZIPOutputStream to control every header byte:
	// no name, time stamp 0, XFL 2 (best compression) and OS 3 (Unix), as "gzip -n -9"
	// does.
	static byte[] gzip(byte[] data) {
		ByteArrayOutputStream gzip = new ByteArrayOutputStream();
		gzip.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 2, 3 });
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		try {
			deflater.setInput(data);
			deflater.finish();
			byte[] buffer = new byte[8192];
			while (!deflater.finished()) {
				gzip.write(buffer, 0, deflater.deflate(buffer));
			}
		}
		finally {
			deflater.end();
		}
		CRC32 crc = new CRC32();
		crc.update(data);
		writeIntLittleEndian(gzip, (int) crc.getValue());
		writeIntLittleEndian(gzip, data.length);
		return gzip.toByteArray();
	}

	private static void writeIntLittleEndian(ByteArrayOutputStream output, int value) {
		for (int i = 0; i < 4; i++) {
			output.write((value >>> (8 * i)) & 0xff);
		}
	}

	static String digest(byte[] data) {
		try {
			return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
