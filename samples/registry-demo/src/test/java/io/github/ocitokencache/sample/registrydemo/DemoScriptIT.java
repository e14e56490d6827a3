package io.github.ocitokencache.sample.registrydemo;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code demo.sh --short --no-build} on the jar just packaged, as the README's first
 * command does on a fresh machine, and checks what a newcomer is promised: every figure
 * is shown, the cache cuts registry round trips and token requests, Prometheus sees the
 * hit count, no token is printed, and nothing is left listening.
 * <p>
 * Runs in Maven's {@code integration-test} phase, after {@code package}; skipped when the
 * demo itself is running (it sets {@code OCI_TOKEN_CACHE_DEMO_RUNNING}).
 *
 * @author oci-token-cache team
 */
class DemoScriptIT {

	private static final long TIMEOUT_MINUTES = 5;

	private static final String PASSWORD = "demo-check-password-" + UUID.randomUUID();

	@Test
	void demoShowsTheCacheSavingTokenRequestsAndStopsEverythingItStarted() throws IOException, InterruptedException {
		Assumptions.assumeTrue(System.getenv("OCI_TOKEN_CACHE_DEMO_RUNNING") == null,
				"the demo is running this build itself");
		ExternalTools.requireInstalled("docker-registry", "skopeo", "prometheus");
		Path output = Files.createTempFile("registry-demo-", ".txt");
		try {
			ProcessBuilder builder = new ProcessBuilder("bash", Path.of("demo.sh").toAbsolutePath().toString(),
					"--short", "--no-build")
				.redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
				.redirectOutput(output.toFile());
			builder.environment().put("DEMO_REGISTRY_PASSWORD", PASSWORD);
			Process demo = builder.start();
			boolean finished = demo.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
			if (!finished) {
				demo.destroy();
				demo.waitFor(30, TimeUnit.SECONDS);
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(finished).as("demo finished within %d minutes:%n%s", TIMEOUT_MINUTES, text).isTrue();
			assertThat(demo.exitValue()).as("exit status, output:%n%s", text).isZero();
			assertThat(text).contains("== 8. Side by side", "Every answer was the same as with the cache.")
				.doesNotContain("eyJ", PASSWORD);
			int[] roundTrips = figures(text, "registry round trips");
			int[] tokenRequests = figures(text, "token requests (auth service)");
			assertThat(roundTrips[0]).isPositive().isLessThan(roundTrips[1]);
			assertThat(tokenRequests[0]).isPositive().isLessThan(tokenRequests[1]);
			assertThat(figure(text, "token cache hits")).isPositive();
			assertThat(figure(text, "token cache misses")).isPositive();
			assertThat(figure(text, "token cache expired")).isPositive();
			Matcher prometheus = Pattern.compile("result: (\\d+) \\(the sample's own count: (\\d+)\\)").matcher(text);
			assertThat(prometheus.find()).as("Prometheus query result in:%n%s", text).isTrue();
			assertThat(prometheus.group(1)).isEqualTo(prometheus.group(2));
			Matcher ports = Pattern.compile("shows none of ports ([\\d ]+)\\)").matcher(text);
			assertThat(ports.find()).as("the check for listeners in:%n%s", text).isTrue();
			for (String port : ports.group(1).trim().split(" +")) {
				assertThat(isFree(Integer.parseInt(port))).as("port %s is free", port).isTrue();
			}
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	private static int[] figures(String text, String label) {
		Matcher matcher = Pattern.compile("(?m)^ +" + Pattern.quote(label) + " +(\\d+) +(\\d+)$").matcher(text);
		assertThat(matcher.find()).as("'%s' with two figures in:%n%s", label, text).isTrue();
		return new int[] { Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)) };
	}

	private static int figure(String text, String label) {
		Matcher matcher = Pattern.compile("(?m)^ +" + Pattern.quote(label) + " +(\\d+) +-$").matcher(text);
		assertThat(matcher.find()).as("'%s' with a figure in:%n%s", label, text).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
