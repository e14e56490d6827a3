package io.github.ocitokencache.actuate.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.github.ocitokencache.cache.InvalidImageReferenceException;
import io.github.ocitokencache.cache.TokenCache;
import io.github.ocitokencache.cache.TokenCacheEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} that shows what the {@link TokenCache} holds and evicts
 * entries from it. Its output names registry, repository, operation, kind and expiry of
 * each entry; never a token, password or {@code Authorization} header.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
@Endpoint(id = TokenCacheEndpoint.ID)
public class TokenCacheEndpoint {

	/**
	 * The endpoint's id, which is also its path under the Actuator base path.
	 */
	public static final String ID = "ocitokencache";

	private final TokenCache tokenCache;

	/**
	 * Create an endpoint for a cache.
	 * @param tokenCache the cache to show and evict from
	 */
	public TokenCacheEndpoint(TokenCache tokenCache) {
		this.tokenCache = tokenCache;
	}

	/**
	 * Describe the cached entries, sorted by registry, repository and operation. Entries
	 * whose time is up but that are not yet reclaimed are included, with their past
	 * expiry.
	 * @return the entries, without secrets
	 */
	@ReadOperation
	public TokenCacheEntriesDescriptor entries() {
		return new TokenCacheEntriesDescriptor(this.tokenCache.entries().stream().map(EntryDescriptor::new).toList());
	}

	/**
	 * Evict every entry.
	 */
	@DeleteOperation
	public void evictAll() {
		this.tokenCache.invalidateAll();
	}

	/**
	 * Evict every entry of one registry.
	 * @param registry the registry, in any spelling an image reference accepts, such as
	 * {@code docker.io} or {@code localhost:5000}
	 */
	@DeleteOperation
	public void evictRegistry(@Selector String registry) {
		try {
			this.tokenCache.invalidateRegistry(registry);
		}
		catch (InvalidImageReferenceException ex) {
			throw new InvalidEndpointRequestException("Invalid registry name '" + registry + "'",
					"Invalid registry name");
		}
	}

	/**
	 * The entries of the cache.
	 *
	 * @param entries the entries, sorted by registry, repository and operation
	 */
	public record TokenCacheEntriesDescriptor(List<EntryDescriptor> entries) implements OperationResponseBody {

	}

	/**
	 * One cached entry, without its secret.
	 *
	 * @param registry the registry's canonical name
	 * @param repository the repository
	 * @param operation {@code pull} or {@code push}, what the credential was granted for
	 * @param kind {@code bearer} or {@code basic}
	 * @param expiresAt when the cache stops handing the credential out, {@code null} for
	 * basic credentials, which never expire
	 */
	public record EntryDescriptor(String registry, String repository, String operation, String kind,
			@Nullable Instant expiresAt) {

		EntryDescriptor(TokenCacheEntry entry) {
			this(entry.registry(), entry.repository(), entry.operation().name().toLowerCase(Locale.ROOT),
					entry.kind().name().toLowerCase(Locale.ROOT), entry.expiresAt());
		}

	}

}
