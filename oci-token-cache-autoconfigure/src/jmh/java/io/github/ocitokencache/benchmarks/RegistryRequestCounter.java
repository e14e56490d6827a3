package io.github.ocitokencache.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the requests a {@code docker-registry} has answered, from the
 * {@code registry_http_requests_total} counters of its Prometheus listener (the debug
 * server, {@code http.debug.prometheus}). The registry counts a request once its handler
 * has returned, which may be a moment after the client has the answer, so
 * {@link #settled()} reads the counters until two reads 50 ms apart agree.
 *
 * @author oci-token-cache team
 */
final class RegistryRequestCounter {

	private static final Pattern SAMPLE = Pattern
		.compile("^registry_http_requests_total\\{(?<labels>[^}]*)\\}\\s+(?<value>\\S+)$", Pattern.MULTILINE);

	private static final Duration SETTLE_INTERVAL = Duration.ofMillis(50);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final URI metrics;

	/**
	 * Create a counter that reads the given Prometheus endpoint.
	 * @param metrics the URL of the registry's metrics, such as
	 * {@code http://127.0.0.1:5001/metrics}
	 */
	RegistryRequestCounter(URI metrics) {
		this.metrics = metrics;
	}

	/**
	 * Read the counters once the registry has stopped counting.
	 * @return the requests answered so far
	 */
	Counts settled() {
		Counts previous = read();
		while (true) {
			sleep(SETTLE_INTERVAL);
			Counts current = read();
			if (current.equals(previous)) {
				return current;
			}
			previous = current;
		}
	}

	/**
	 * Read the counters.
	 * @return the requests answered so far
	 */
	Counts read() {
		String body;
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(this.metrics).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(this.metrics + " answered " + response.statusCode());
			}
			body = response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + this.metrics, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading " + this.metrics, ex);
		}
		long total = 0;
		long gets = 0;
		long heads = 0;
		long unauthorized = 0;
		Matcher sample = SAMPLE.matcher(body);
		while (sample.find()) {
			long value = (long) Double.parseDouble(sample.group("value"));
			String labels = sample.group("labels");
			total += value;
			gets += labels.contains("method=\"get\"") ? value : 0;
			heads += labels.contains("method=\"head\"") ? value : 0;
			unauthorized += labels.contains("code=\"401\"") ? value : 0;
		}
		return new Counts(total, gets, heads, unauthorized);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the registry's counters", ex);
		}
	}

	/**
	 * Requests answered by the registry.
	 *
	 * @param total all requests
	 * @param gets {@code GET} requests
	 * @param heads {@code HEAD} requests
	 * @param unauthorized requests answered with {@code 401}
	 */
	record Counts(long total, long gets, long heads, long unauthorized) {

		Counts minus(Counts earlier) {
			return new Counts(this.total - earlier.total, this.gets - earlier.gets, this.heads - earlier.heads,
					this.unauthorized - earlier.unauthorized);
		}

	}

}
