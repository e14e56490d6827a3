package io.github.ocitokencache.sample.registrydemo;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the registry demo, bound from {@code demo.*}.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@ConfigurationProperties("demo")
public class DemoProperties {

	/**
	 * Whether registry requests share the application's token cache. When false, each
	 * request to the demo gets an interceptor over a fresh, empty cache, as a client
	 * without a cache would.
	 */
	private boolean cache = true;

	/**
	 * Registry hosts, without port, reached over plain http instead of https.
	 */
	private List<String> plainHttpHosts = new ArrayList<>(List.of("127.0.0.1", "localhost", "[::1]"));

	public boolean isCache() {
		return this.cache;
	}

	public void setCache(boolean cache) {
		this.cache = cache;
	}

	public List<String> getPlainHttpHosts() {
		return this.plainHttpHosts;
	}

	public void setPlainHttpHosts(List<String> plainHttpHosts) {
		this.plainHttpHosts = plainHttpHosts;
	}

}
