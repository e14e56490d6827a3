package io.github.ocitokencache.autoconfigure;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the configuration metadata that {@code spring-boot-configuration-processor}
 * generates from {@link TokenCacheProperties}, which IDEs use to complete and explain the
 * properties.
 *
 * @author oci-token-cache team
 */
class TokenCacheConfigurationMetadataTests {

	@Test
	void metadataListsEveryTokenCacheProperty() throws Exception {
		assertThat(tokenCacheProperties()).extracting((property) -> property.get("name").asString())
			.containsExactlyInAnyOrder("oci.token-cache.enabled", "oci.token-cache.default-expiration-secs",
					"oci.token-cache.max-expiration-secs", "oci.token-cache.expiration-margin-secs",
					"oci.token-cache.max-entries", "oci.token-cache.registries");
	}

	@Test
	void everyTokenCachePropertyHasADescription() throws Exception {
		assertThat(tokenCacheProperties())
			.allSatisfy((property) -> assertThat(property.path("description").asString()).isNotBlank());
	}

	@Test
	void everyTokenCachePropertyButTheRegistriesMapHasADefault() throws Exception {
		assertThat(tokenCacheProperties())
			.filteredOn((property) -> !property.get("type").asString().startsWith("java.util.Map"))
			.hasSize(5)
			.allSatisfy((property) -> assertThat(property.has("defaultValue")).isTrue());
	}

	@Test
	void defaultsInTheMetadataMatchTheProperties() throws Exception {
		TokenCacheProperties defaults = new TokenCacheProperties();
		assertThat(defaultValue("oci.token-cache.enabled").asBoolean()).isEqualTo(defaults.isEnabled());
		assertThat(defaultValue("oci.token-cache.default-expiration-secs").asLong())
			.isEqualTo(defaults.getDefaultExpirationSecs());
		assertThat(defaultValue("oci.token-cache.max-expiration-secs").asLong())
			.isEqualTo(defaults.getMaxExpirationSecs());
		assertThat(defaultValue("oci.token-cache.expiration-margin-secs").asLong())
			.isEqualTo(defaults.getExpirationMarginSecs());
		assertThat(defaultValue("oci.token-cache.max-entries").asLong()).isEqualTo(defaults.getMaxEntries());
	}

	private static JsonNode defaultValue(String name) throws Exception {
		return tokenCacheProperties().stream()
			.filter((property) -> property.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow()
			.get("defaultValue");
	}

	private static List<JsonNode> tokenCacheProperties() throws Exception {
		File classes = new File(TokenCacheProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		File metadata = new File(classes, "META-INF/spring-configuration-metadata.json");
		assertThat(metadata).isFile();
		List<JsonNode> properties = new ArrayList<>();
		for (JsonNode property : JsonMapper.builder().build().readTree(metadata).get("properties")) {
			if (property.get("name").asString().startsWith(TokenCacheProperties.PREFIX + ".")) {
				properties.add(property);
			}
		}
		return properties;
	}

}
