package io.github.ocitokencache.testsupport.registry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OciImageLayout}.
 *
 * @author oci-token-cache team
 */
class OciImageLayoutTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void sameContentGivesSameDigests(@TempDir Path directory) {
		OciImageLayout first = OciImageLayout.create(directory.resolve("first"));
		OciImageLayout second = OciImageLayout.create(directory.resolve("second"));
		assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest()).matches("sha256:[0-9a-f]{64}");
		assertThat(second.layerDigest()).isEqualTo(first.layerDigest());
		assertThat(OciImageLayout.create(directory.resolve("other"), "1.0", "hello.txt", "other").manifestDigest())
			.isNotEqualTo(first.manifestDigest());
	}

	@Test
	void blobsAreStoredUnderTheirDigests(@TempDir Path directory) throws Exception {
		OciImageLayout layout = OciImageLayout.create(directory);
		for (String digest : new String[] { layout.manifestDigest(), layout.configDigest(), layout.layerDigest() }) {
			Path blob = directory.resolve("blobs/sha256").resolve(digest.substring(7));
			assertThat(OciImageLayout.digest(Files.readAllBytes(blob))).isEqualTo(digest);
		}
		assertThat(OciImageLayout.digest(layout.manifest())).isEqualTo(layout.manifestDigest());
		assertThat(directory.resolve("oci-layout")).hasContent("{\"imageLayoutVersion\":\"1.0.0\"}");
	}

	@Test
	void indexNamesTheManifestByTag(@TempDir Path directory) throws Exception {
		OciImageLayout layout = OciImageLayout.create(directory, "2.1", "a.txt", "a");
		JsonNode index = json.readTree(directory.resolve("index.json").toFile());
		assertThat(index.at("/manifests/0/digest").asString()).isEqualTo(layout.manifestDigest());
		assertThat(index.at("/manifests/0/size").asInt()).isEqualTo(layout.manifest().length);
		assertThat(index.at("/manifests/0/annotations/org.opencontainers.image.ref.name").asString()).isEqualTo("2.1");
		JsonNode manifest = json.readTree(layout.manifest());
		assertThat(manifest.at("/mediaType").asString()).isEqualTo(OciImageLayout.MANIFEST_MEDIA_TYPE);
		assertThat(manifest.at("/config/digest").asString()).isEqualTo(layout.configDigest());
		assertThat(manifest.at("/layers/0/digest").asString()).isEqualTo(layout.layerDigest());
	}

	@Test
	void layerIsGzippedUstarArchiveOfTheFile(@TempDir Path directory) throws Exception {
		OciImageLayout layout = OciImageLayout.create(directory, "1.0", "hello.txt", "hello\n");
		byte[] layer = Files.readAllBytes(directory.resolve("blobs/sha256").resolve(layout.layerDigest().substring(7)));
		byte[] tar = new GZIPInputStream(new ByteArrayInputStream(layer)).readAllBytes();
		assertThat(tar).isEqualTo(OciImageLayout.tar("hello.txt", "hello\n".getBytes(StandardCharsets.UTF_8)));
		assertThat(tar.length % 10240).isZero();
		assertThat(new String(tar, 0, 9, StandardCharsets.US_ASCII)).isEqualTo("hello.txt");
		assertThat(new String(tar, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
		assertThat(new String(tar, 512, 6, StandardCharsets.US_ASCII)).isEqualTo("hello\n");
		int checksum = 0;
		for (int i = 0; i < 512; i++) {
			checksum += (i >= 148 && i < 156) ? ' ' : (tar[i] & 0xff);
		}
		assertThat(Integer.parseInt(new String(tar, 148, 6, StandardCharsets.US_ASCII), 8)).isEqualTo(checksum);
		JsonNode config = json.readTree(
				Files.readAllBytes(directory.resolve("blobs/sha256").resolve(layout.configDigest().substring(7))));
		assertThat(config.at("/rootfs/diff_ids/0").asString()).isEqualTo(OciImageLayout.digest(tar));
	}

}
