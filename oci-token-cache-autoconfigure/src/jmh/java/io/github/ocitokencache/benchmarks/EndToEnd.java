package io.github.ocitokencache.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.ocitokencache.auth.RealmPolicy;
import io.github.ocitokencache.auth.RegistryAuthInterceptor;
import io.github.ocitokencache.auth.RegistryLogin;
import io.github.ocitokencache.auth.TokenEndpointClient;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenResponseReader;
import io.github.ocitokencache.testsupport.registry.LocalRegistry;
import io.github.ocitokencache.testsupport.registry.OciImageLayout;
import io.github.ocitokencache.testsupport.registry.SigningKey;
import io.github.ocitokencache.testsupport.registry.Skopeo;
import io.github.ocitokencache.testsupport.registry.TestTokenIssuer;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

/**
 * Pulls manifests from a real {@code docker-registry} in token mode, with the
 * {@link TestTokenIssuer} as its token endpoint, and counts what reaches the registry and
 * the token endpoint. Three clients pull the same manifests:
 * <ul>
 * <li>{@code RestClient} with a {@link RegistryAuthInterceptor} over one
 * {@link TokenCache};</li>
 * <li>{@code oras-java-sdk}, a Java registry client with its own token cache;</li>
 * <li>{@code RestClient} with no cache: each request goes through an interceptor over a
 * fresh, empty {@link TokenCache}, as a client that keeps no token does.</li>
 * </ul>
 * Two measurements are made. First, {@code --requests} sequential {@code GET}s of a
 * manifest (or {@code getManifest} calls) spread round-robin over {@code --repositories}
 * repositories, so the first pass meets every repository cold and the rest are warm.
 * Second, {@code --concurrent-pulls} threads pull the manifest of one repository that the
 * client has never pulled, all released at once.
 * <p>
 * Registry requests are counted by the registry itself, from the
 * {@code registry_http_requests_total} counters of its Prometheus listener; token
 * requests are counted by the issuer. Before its measured run each client pulls a
 * repository of its own a few times, so that class loading and the first compilations are
 * not timed. {@code oras-java-sdk} keeps its tokens in one cache for the whole JVM, which
 * is why every measured run uses repositories that client has never pulled. Every answer
 * is checked against the pushed manifest; the program fails if one differs.
 *
 * @author oci-token-cache team
 */
public final class EndToEnd {

	private static final String PULLER = "reader";

	private static final String PUSHER = "pusher";

	private static final String PASSWORD = "benchmark-password";

	private static final int WARM_UP_PULLS = 20;

	private static final Duration CONCURRENT_TIMEOUT = Duration.ofSeconds(60);

	private final LocalRegistry registry;

	private final TestTokenIssuer issuer;

	private final RegistryRequestCounter counter;

	private final OciImageLayout image;

	private final JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory();

	private EndToEnd(LocalRegistry registry, TestTokenIssuer issuer, RegistryRequestCounter counter,
			OciImageLayout image) {
		this.registry = registry;
		this.issuer = issuer;
		this.counter = counter;
		this.image = image;
	}

	/**
	 * Run both measurements and print their tables.
	 * @param args {@code --repositories N --requests M --concurrent-pulls P}
	 * @throws Exception if the registry cannot be started or seeded, or a pull fails
	 */
	public static void main(String[] args) throws Exception {
		int repositories = intArgument(args, "--repositories", 20);
		int requests = intArgument(args, "--requests", 200);
		int concurrentPulls = intArgument(args, "--concurrent-pulls", 64);
		// oras-java-sdk logs every request at debug level, and Logback's default is debug
		LoggingSystem.get(EndToEnd.class.getClassLoader()).setLogLevel(null, LogLevel.WARN);
		Path directory = Files.createTempDirectory("oci-token-cache-e2e-");
		int debugPort = freePort();
		try (TestTokenIssuer issuer = TestTokenIssuer.builder(SigningKey.generate())
			.user(PULLER, PASSWORD, Set.of("pull"))
			.user(PUSHER, PASSWORD)
			.start();
				LocalRegistry registry = LocalRegistry.startWithTokenAuth(issuer,
						Map.of("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:" + debugPort,
								"REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true", "REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH",
								"/metrics"))) {
			RegistryRequestCounter counter = new RegistryRequestCounter(
					URI.create("http://127.0.0.1:" + debugPort + "/metrics"));
			OciImageLayout image = OciImageLayout.create(directory.resolve("image"));
			EndToEnd endToEnd = new EndToEnd(registry, issuer, counter, image);
			endToEnd.run(repositories, requests, concurrentPulls);
		}
		finally {
			FileSystemUtils.deleteRecursively(directory);
		}
	}

	private void run(int repositories, int requests, int concurrentPulls) throws Exception {
		List<Client> clients = List.of(new Client("oci-token-cache", true, this::cachingClient),
				new Client("oras-java-sdk", false, this::orasClient),
				new Client("no cache", true, this::uncachedClient));
		long seedStart = System.nanoTime();
		List<String> measured = new ArrayList<>();
		for (int i = 0; i < repositories; i++) {
			measured.add(String.format("bench/repository-%02d", i));
		}
		List<String> seeded = new ArrayList<>(measured);
		for (Client client : clients) {
			seeded.add(client.repository("warm-up"));
			seeded.add(client.repository("cold"));
		}
		seeded.forEach((repository) -> Skopeo.copy(this.image, this.registry, repository, PUSHER, PASSWORD));
		System.out.printf("Seeded %d repositories of %s with skopeo in %.1f s%n", seeded.size(),
				this.registry.hostAndPort(), seconds(System.nanoTime() - seedStart));
		List<SequentialRun> sequentialRuns = new ArrayList<>();
		for (Client client : clients) {
			warmUp(client);
			sequentialRuns.add(sequential(client, measured, requests));
		}
		List<ConcurrentRun> concurrentRuns = new ArrayList<>();
		for (Client client : clients) {
			concurrentRuns.add(concurrent(client, concurrentPulls));
		}
		printSequential(sequentialRuns, repositories, requests);
		printConcurrent(concurrentRuns, concurrentPulls);
		for (ConcurrentRun run : concurrentRuns) {
			if (run.client().ours() && !run.failures().isEmpty()) {
				throw new IllegalStateException(
						run.failures().size() + " concurrent pulls of " + run.client().name() + " failed",
						run.failures().get(0));
			}
		}
	}

	private void warmUp(Client client) {
		ManifestPuller puller = client.factory().create();
		String repository = client.repository("warm-up");
		for (int i = 0; i < WARM_UP_PULLS; i++) {
			check(puller.pull(repository), client, repository);
		}
	}

	private SequentialRun sequential(Client client, List<String> repositories, int requests) {
		ManifestPuller puller = client.factory().create();
		RegistryRequestCounter.Counts registryBefore = this.counter.settled();
		int tokensBefore = this.issuer.requestCount();
		RegistryRequestCounter.Counts registryAfterFirstPass = registryBefore;
		int tokensAfterFirstPass = tokensBefore;
		long start = System.nanoTime();
		for (int i = 0; i < requests; i++) {
			String repository = repositories.get(i % repositories.size());
			check(puller.pull(repository), client, repository);
			if (i + 1 == repositories.size()) {
				// Between the passes the clock keeps running: settling takes 50 ms or
				// more
				long pause = System.nanoTime();
				registryAfterFirstPass = this.counter.settled();
				tokensAfterFirstPass = this.issuer.requestCount();
				start += System.nanoTime() - pause;
			}
		}
		long elapsed = System.nanoTime() - start;
		RegistryRequestCounter.Counts registryAfter = this.counter.settled();
		int tokensAfter = this.issuer.requestCount();
		return new SequentialRun(client.name(), registryAfter.minus(registryBefore),
				registryAfterFirstPass.minus(registryBefore), registryAfter.minus(registryAfterFirstPass),
				tokensAfter - tokensBefore, tokensAfterFirstPass - tokensBefore, tokensAfter - tokensAfterFirstPass,
				elapsed);
	}

	private ConcurrentRun concurrent(Client client, int pulls) throws InterruptedException {
		ManifestPuller puller = client.factory().create();
		String repository = client.repository("cold");
		RegistryRequestCounter.Counts registryBefore = this.counter.settled();
		int tokensBefore = this.issuer.requestCount();
		ExecutorService executor = Executors.newFixedThreadPool(pulls);
		List<Throwable> failures = new ArrayList<>();
		long elapsed;
		try {
			CountDownLatch ready = new CountDownLatch(pulls);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < pulls; i++) {
				results.add(executor.submit(() -> {
					ready.countDown();
					start.await();
					return puller.pull(repository);
				}));
			}
			ready.await();
			long begin = System.nanoTime();
			start.countDown();
			for (Future<Boolean> result : results) {
				try {
					check(result.get(CONCURRENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), client, repository);
				}
				catch (ExecutionException ex) {
					failures.add(ex.getCause());
				}
				catch (TimeoutException ex) {
					failures.add(ex);
				}
			}
			elapsed = System.nanoTime() - begin;
		}
		finally {
			executor.shutdownNow();
		}
		RegistryRequestCounter.Counts registry = this.counter.settled().minus(registryBefore);
		List<TestTokenIssuer.TokenRequest> tokens = tokenRequestsSince(tokensBefore);
		return new ConcurrentRun(client, registry, tokens.size(), refused(tokens), failures, elapsed);
	}

	private List<TestTokenIssuer.TokenRequest> tokenRequestsSince(int index) {
		List<TestTokenIssuer.TokenRequest> requests = this.issuer.requests();
		return requests.subList(index, requests.size());
	}

	private static long refused(List<TestTokenIssuer.TokenRequest> tokenRequests) {
		return tokenRequests.stream().filter((request) -> request.status() != 200).count();
	}

	private ManifestPuller cachingClient() {
		RegistryAuthInterceptor interceptor = RegistryAuthInterceptor
			.builder(TokenCache.builder().build(), tokenEndpointClient())
			.login(this.registry.hostAndPort(), RegistryLogin.basic(PULLER, PASSWORD))
			.build();
		return restClientPuller(interceptor);
	}

	private ManifestPuller uncachedClient() {
		TokenEndpointClient tokenEndpointClient = tokenEndpointClient();
		String registry = this.registry.hostAndPort();
		ClientHttpRequestInterceptor freshCacheEveryTime = (request, body, execution) -> RegistryAuthInterceptor
			.builder(TokenCache.builder().build(), tokenEndpointClient)
			.login(registry, RegistryLogin.basic(PULLER, PASSWORD))
			.build()
			.intercept(request, body, execution);
		return restClientPuller(freshCacheEveryTime);
	}

	private ManifestPuller restClientPuller(ClientHttpRequestInterceptor interceptor) {
		RestClient client = RestClient.builder()
			.baseUrl(this.registry.baseUrl().toString())
			.requestFactory(this.requestFactory)
			.requestInterceptor(interceptor)
			.build();
		MediaType manifestType = MediaType.parseMediaType(OciImageLayout.MANIFEST_MEDIA_TYPE);
		byte[] expected = this.image.manifest();
		return (repository) -> Arrays.equals(expected,
				client.get()
					.uri("/v2/" + repository + "/manifests/{tag}", this.image.tag())
					.accept(manifestType)
					.retrieve()
					.body(byte[].class));
	}

	private ManifestPuller orasClient() {
		Registry oras = Registry.builder().insecure(this.registry.hostAndPort(), PULLER, PASSWORD).build();
		String prefix = this.registry.hostAndPort() + "/";
		String expected = this.image.manifestDigest();
		return (repository) -> {
			Manifest manifest = oras.getManifest(ContainerRef.parse(prefix + repository + ":" + this.image.tag()));
			return expected.equals(manifest.getDescriptor().getDigest());
		};
	}

	private static TokenEndpointClient tokenEndpointClient() {
		return new TokenEndpointClient(RestClient.builder(), RealmPolicy.standard(), new TokenResponseReader(),
				Duration.ofSeconds(5), Duration.ofSeconds(10));
	}

	private static void check(boolean expectedManifest, Client client, String repository) {
		if (!expectedManifest) {
			throw new IllegalStateException(
					client.name() + " got another manifest than the one pushed to " + repository);
		}
	}

	private void printSequential(List<SequentialRun> runs, int repositories, int requests) {
		int warmRequests = requests - repositories;
		System.out.printf(
				"%n%d manifest pulls over %d repositories, one at a time, round-robin: the first %d meet "
						+ "each repository cold, the other %d are warm%n",
				requests, repositories, repositories, warmRequests);
		String format = "%-16s | %8s | %5s | %5s | %5s | %10s | %13s | %6s | %10s | %8s | %7s%n";
		System.out.printf(format, "client", "registry", "GET", "HEAD", "401", "registry", "registry per", "token",
				"token", "wall", "per pull");
		System.out.printf(format, "", "requests", "", "", "", "cold pass", "warm pull", "total", "cold/warm", "ms",
				"ms");
		for (SequentialRun run : runs) {
			System.out.printf(format, run.client(), run.registry().total(), run.registry().gets(),
					run.registry().heads(), run.registry().unauthorized(), run.registryFirstPass().total(),
					String.format("%.2f", (double) run.registryRest().total() / warmRequests), run.tokens(),
					run.tokensFirstPass() + " / " + run.tokensRest(), String.format("%.0f", millis(run.nanos())),
					String.format("%.2f", millis(run.nanos()) / requests));
		}
	}

	private void printConcurrent(List<ConcurrentRun> runs, int pulls) {
		System.out.printf("%n%d concurrent cold pulls of one repository, released at once%n", pulls);
		String format = "%-16s | %6s | %14s | %7s | %17s | %5s | %5s | %5s | %8s%n";
		System.out.printf(format, "client", "failed", "token requests", "refused", "registry requests", "GET", "HEAD",
				"401", "wall ms");
		for (ConcurrentRun run : runs) {
			System.out.printf(format, run.client().name(), run.failures().size(), run.tokens(), run.refusedTokens(),
					run.registry().total(), run.registry().gets(), run.registry().heads(),
					run.registry().unauthorized(), String.format("%.0f", millis(run.nanos())));
		}
		for (ConcurrentRun run : runs) {
			run.failures()
				.stream()
				.map(String::valueOf)
				.distinct()
				.forEach((failure) -> System.out.printf("%s failed: %s%n", run.client().name(), failure));
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not find a free port", ex);
		}
	}

	private static double millis(long nanos) {
		return nanos / 1_000_000.0;
	}

	private static double seconds(long nanos) {
		return nanos / 1_000_000_000.0;
	}

	private static int intArgument(String[] args, String name, int defaultValue) {
		for (int i = 0; i + 1 < args.length; i++) {
			if (args[i].equals(name)) {
				return Integer.parseInt(args[i + 1]);
			}
		}
		return defaultValue;
	}

	/**
	 * Pulls the manifest of the image's tag from a repository.
	 */
	@FunctionalInterface
	private interface ManifestPuller {

		/**
		 * Pull the manifest.
		 * @param repository the repository
		 * @return whether it is the manifest that was pushed
		 */
		boolean pull(String repository);

	}

	/**
	 * Creates a client with nothing cached of its own.
	 */
	@FunctionalInterface
	private interface PullerFactory {

		ManifestPuller create();

	}

	/**
	 * A client measured, and whether it is ours: a failed pull of ours fails the program,
	 * a failed pull of another client is reported.
	 */
	private record Client(String name, boolean ours, PullerFactory factory) {

		String repository(String purpose) {
			return "bench/" + purpose + "-" + this.name.replace(' ', '-');
		}

	}

	private record SequentialRun(String client, RegistryRequestCounter.Counts registry,
			RegistryRequestCounter.Counts registryFirstPass, RegistryRequestCounter.Counts registryRest, int tokens,
			int tokensFirstPass, int tokensRest, long nanos) {

	}

	private record ConcurrentRun(Client client, RegistryRequestCounter.Counts registry, int tokens, long refusedTokens,
			List<Throwable> failures, long nanos) {

	}

}
