package io.github.ocitokencache.cache;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of what a {@link TokenCache} did, per {@link RegistryOperation}. Counts
 * only grow; read them at any time from any thread.
 * <p>
 * A lookup is counted once, as exactly one of: a hit (a token was handed out), a miss (no
 * token was held), or expired (a token was held but its time was up; it is then removed).
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenCacheStatistics {

	private static final int OPERATIONS = RegistryOperation.values().length;

	private final LongAdder[] hits = adders();

	private final LongAdder[] misses = adders();

	private final LongAdder[] expired = adders();

	private final LongAdder[] puts = adders();

	private final LongAdder evictions = new LongAdder();

	TokenCacheStatistics() {
	}

	private static LongAdder[] adders() {
		LongAdder[] adders = new LongAdder[OPERATIONS];
		for (int i = 0; i < OPERATIONS; i++) {
			adders[i] = new LongAdder();
		}
		return adders;
	}

	void recordHit(RegistryOperation operation) {
		this.hits[operation.ordinal()].increment();
	}

	void recordMiss(RegistryOperation operation) {
		this.misses[operation.ordinal()].increment();
	}

	void recordExpired(RegistryOperation operation) {
		this.expired[operation.ordinal()].increment();
	}

	void recordPut(RegistryOperation operation) {
		this.puts[operation.ordinal()].increment();
	}

	void recordEviction() {
		this.evictions.increment();
	}

	/**
	 * Return how many lookups for an operation handed out a token.
	 * @param operation the operation asked for
	 * @return the number of hits
	 */
	public long hitCount(RegistryOperation operation) {
		return this.hits[operation.ordinal()].sum();
	}

	/**
	 * Return how many lookups for an operation found no token.
	 * @param operation the operation asked for
	 * @return the number of misses
	 */
	public long missCount(RegistryOperation operation) {
		return this.misses[operation.ordinal()].sum();
	}

	/**
	 * Return how many lookups for an operation found a token whose time was up.
	 * @param operation the operation asked for
	 * @return the number of expired lookups
	 */
	public long expiredCount(RegistryOperation operation) {
		return this.expired[operation.ordinal()].sum();
	}

	/**
	 * Return how many tokens were stored for an operation, by put or by a loader.
	 * @param operation the operation the tokens were granted for
	 * @return the number of puts
	 */
	public long putCount(RegistryOperation operation) {
		return this.puts[operation.ordinal()].sum();
	}

	/**
	 * Return how many entries the cache removed on its own: to stay within its size
	 * bound, or to reclaim expired tokens nobody asked for again. Invalidations are not
	 * counted.
	 * @return the number of evictions
	 */
	public long evictionCount() {
		return this.evictions.sum();
	}

	@Override
	public String toString() {
		StringBuilder builder = new StringBuilder("TokenCacheStatistics[");
		for (RegistryOperation operation : RegistryOperation.values()) {
			builder.append(operation.actions().equals("pull") ? "pull" : "push")
				.append(": hits=")
				.append(hitCount(operation))
				.append(", misses=")
				.append(missCount(operation))
				.append(", expired=")
				.append(expiredCount(operation))
				.append(", puts=")
				.append(putCount(operation))
				.append("; ");
		}
		return builder.append("evictions=").append(evictionCount()).append(']').toString();
	}

}
