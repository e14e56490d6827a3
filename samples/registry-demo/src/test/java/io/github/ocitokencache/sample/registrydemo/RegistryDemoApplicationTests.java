package io.github.ocitokencache.sample.registrydemo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots the sample against a real {@code docker-registry} in token mode, whose tokens
 * come from the {@link LocalAuthServiceStandIn}, with images seeded by {@code skopeo}.
 * Skipped when {@code docker-registry} or {@code skopeo} is missing, unless the
 * {@code CI} environment variable is set.
 *
 * @author oci-token-cache team
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class RegistryDemoApplicationTests {

	private static final String USER = "demo";

	private static final String PASSWORD = "registry-demo-test-password";

	private static final String WRONG_PASSWORD = "not-the-registry-demo-test-password";

	private static final Path DASHBOARD = Path.of("grafana", "oci-token-cache.json");

	private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right", "bool", "and", "or", "unless", "offset");

	private static Path directory;

	private static LocalAuthServiceStandIn standIn;

	private static LocalRegistryProcess registry;

	@LocalServerPort
	private int port;

	private RestClient client;

	@BeforeAll
	static void startRegistry() throws IOException, InterruptedException {
		ExternalTools.requireInstalled("docker-registry", "skopeo");
		directory = Files.createTempDirectory("registry-demo-test-");
		standIn = LocalAuthServiceStandIn.start(new LocalAuthServiceStandIn.Settings(0,
				directory.resolve("token-signing.crt"), LocalAuthServiceStandIn.Settings.DEFAULT_SERVICE,
				LocalAuthServiceStandIn.Settings.DEFAULT_ISSUER, USER, PASSWORD, Duration.ofMinutes(5)));
		registry = LocalRegistryProcess.start(directory, standIn.realm(), directory.resolve("token-signing.crt"));
		SeedImages.push(directory, registry.address(), "demo/app", "1.0", USER, PASSWORD);
		SeedImages.push(directory, registry.address(), "demo/app", "2.0", USER, PASSWORD);
	}

	@AfterAll
	static void stopRegistry() throws IOException {
		try {
			if (registry != null) {
				registry.close();
			}
		}
		finally {
			if (standIn != null) {
				standIn.close();
			}
			if (directory != null) {
				FileSystemUtils.deleteRecursively(directory);
			}
		}
	}

	@DynamicPropertySource
	static void registryCredentials(DynamicPropertyRegistry properties) {
		String prefix = "oci.token-cache.registries[" + registry.address() + "]";
		properties.add(prefix + ".username", () -> USER);
		properties.add(prefix + ".password", () -> PASSWORD);
		String wrong = "oci.token-cache.registries[" + registry.address().replace("127.0.0.1", "localhost") + "]";
		properties.add(wrong + ".username", () -> USER);
		properties.add(wrong + ".password", () -> WRONG_PASSWORD);
		properties.add(wrong + ".trusted-realm-hosts", () -> "127.0.0.1");
	}

	@BeforeEach
	void createClient() {
		this.client = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler((status) -> true, (request, response) -> {
			})
			.build();
		this.client.delete().uri("/actuator/ocitokencache").retrieve().toBodilessEntity();
	}

	@Test
	void listsTheTagsOfAnImageSeededIntoARealRegistry() {
		long tokenRequestsBefore = standIn.tokenRequests();
		ResponseEntity<JsonNode> answer = get("/images/tags?ref=" + registry.address() + "/demo/app");
		assertThat(answer.getStatusCode().value()).isEqualTo(200);
		assertThat(answer.getBody().get("reference").asString()).isEqualTo(registry.address() + "/demo/app:latest");
		List<String> tags = new ArrayList<>();
		answer.getBody().get("tags").forEach((tag) -> tags.add(tag.asString()));
		assertThat(tags).containsExactlyInAnyOrder("1.0", "2.0");
		assertThat(standIn.tokenRequests()).isEqualTo(tokenRequestsBefore + 1);
		JsonNode entries = get("/actuator/ocitokencache").getBody().get("entries");
		assertThat(entries.findValuesAsString("repository")).containsExactly("demo/app");
		assertThat(entries.findValuesAsString("operation")).containsExactly("pull");
	}

	@Test
	void referenceThatDoesNotParseIsABadRequestWithTheReason() {
		ResponseEntity<JsonNode> answer = get("/images/tags?ref=" + registry.address() + "/Demo/App");
		assertThat(answer.getStatusCode().value()).isEqualTo(400);
		assertThat(answer.getBody().get("detail").asString()).contains("must be lower case");
	}

	@Test
	void refusedTokenRequestIsABadGatewayWithTheReasonButNoPassword() {
		ResponseEntity<JsonNode> answer = get(
				"/images/tags?ref=" + registry.address().replace("127.0.0.1", "localhost") + "/demo/app");
		assertThat(answer.getStatusCode().value()).isEqualTo(502);
		assertThat(answer.getBody().get("detail").asString()).startsWith("No token for the registry: ")
			.contains("401")
			.doesNotContain(WRONG_PASSWORD);
	}

	@Test
	void dashboardQueriesOnlyMetricsTheSamplePublishes() throws IOException {
		get("/images/digest?ref=" + registry.address() + "/demo/app:1.0");
		String prometheus = this.client.get().uri("/actuator/prometheus").retrieve().body(String.class);
		Set<String> published = new TreeSet<>();
		for (String line : prometheus.split("\n")) {
			Matcher name = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(line);
			if (!line.startsWith("#") && name.find()) {
				published.add(name.group(1));
			}
		}
		Set<String> queried = metricNames(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));
		assertThat(queried).contains("oci_token_cache_gets_total", "oci_token_cache_fetches_seconds_bucket",
				"oci_token_cache_size");
		assertThat(published).containsAll(queried);
	}

	private ResponseEntity<JsonNode> get(String path) {
		return this.client.get().uri(path).retrieve().toEntity(JsonNode.class);
	}

	/**
	 * Return the metric names the PromQL of a Grafana dashboard names: in panel targets'
	 * {@code expr} and in {@code label_values(...)} of template variables.
	 * @param dashboard the dashboard
	 * @return the metric names
	 */
	static Set<String> metricNames(JsonNode dashboard) {
		Set<String> names = new TreeSet<>();
		for (JsonNode expression : dashboard.findValues("expr")) {
			names.addAll(metricNames(expression.asString()));
		}
		for (JsonNode definition : dashboard.findValues("definition")) {
			Matcher labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)")
				.matcher(definition.asString());
			while (labelValues.find()) {
				names.add(labelValues.group(1));
			}
		}
		return names;
	}

	/**
	 * Return the metric names in a PromQL expression: identifiers that are neither
	 * functions, keywords, label names nor inside a selector, range or string.
	 * @param promql the expression
	 * @return the metric names
	 */
	static Set<String> metricNames(String promql) {
		String stripped = promql.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
		Set<String> names = new TreeSet<>();
		Matcher identifier = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(stripped);
		while (identifier.find()) {
			if (identifier.group(2) == null && !PROMQL_WORDS.contains(identifier.group(1))) {
				names.add(identifier.group(1));
			}
		}
		return names;
	}

}
