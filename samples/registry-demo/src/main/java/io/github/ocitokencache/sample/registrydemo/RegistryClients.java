package io.github.ocitokencache.sample.registrydemo;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Gives each request to the demo the {@link RegistryApi} it talks to registries with.
 * <p>
 * With the cache on, every request shares one client whose interceptor is the starter's
 * {@code registryAuthInterceptor}, over the application's token cache. With the cache
 * off, each request gets a client whose interceptor sits over a fresh, empty token cache:
 * a token is reused within that one request (a push's several uploads, say) and then
 * forgotten, which is what a client that keeps no tokens between operations does. Both
 * modes authenticate the same way over the same HTTP client, so the comparison shows only
 * what the cache saves.
 * <p>
 * The HTTP client follows no redirects: the interceptor follows those of pulls itself, so
 * that credentials never go to another host.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class RegistryClients {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

	private final Supplier<RegistryApi> apis;

	private RegistryClients(Supplier<RegistryApi> apis) {
		this.apis = apis;
	}

	/**
	 * Create clients that all share one interceptor, and so one token cache.
	 * @param interceptor the interceptor that authenticates registry requests
	 * @param plainHttpHosts hosts reached over plain http
	 * @return the clients
	 */
	public static RegistryClients shared(ClientHttpRequestInterceptor interceptor, Set<String> plainHttpHosts) {
		RegistryApi api = new RegistryApi(restClient(requestFactory(), interceptor), plainHttpHosts);
		return new RegistryClients(() -> api);
	}

	/**
	 * Create clients that each use a new interceptor.
	 * @param interceptors makes an interceptor over a fresh, empty token cache
	 * @param plainHttpHosts hosts reached over plain http
	 * @return the clients
	 */
	public static RegistryClients perRequest(Supplier<ClientHttpRequestInterceptor> interceptors,
			Set<String> plainHttpHosts) {
		JdkClientHttpRequestFactory requestFactory = requestFactory();
		return new RegistryClients(
				() -> new RegistryApi(restClient(requestFactory, interceptors.get()), plainHttpHosts));
	}

	/**
	 * Return the client for one request to the demo.
	 * @return the registry client
	 */
	public RegistryApi forRequest() {
		return this.apis.get();
	}

	private static JdkClientHttpRequestFactory requestFactory() {
		HttpClient httpClient = HttpClient.newBuilder()
			.connectTimeout(CONNECT_TIMEOUT)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(READ_TIMEOUT);
		return requestFactory;
	}

	private static RestClient restClient(JdkClientHttpRequestFactory requestFactory,
			ClientHttpRequestInterceptor interceptor) {
		return RestClient.builder().requestFactory(requestFactory).requestInterceptor(interceptor).build();
	}

}
