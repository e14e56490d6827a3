package io.github.ocitokencache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A cache of registry credentials keyed by registry, repository and
 * {@link RegistryOperation}.
 * <p>
 * <b>Keys.</b> Every spelling of an image shares one key (see {@link ImageReference}). A
 * {@link RegistryOperation#PUSH push} token also serves pulls of the same repository; a
 * pull token never serves a push.
 * <p>
 * <b>Expiry.</b> {@link BasicCredentials} never expire. A {@link BearerToken}'s lifetime
 * is relative to the moment the cache receives it: the smallest of the response's
 * {@code expires_in}, the JWT's {@code exp - iat}, or its {@code exp - now}; the default
 * expiration when none is known (also for opaque tokens and tokens whose claims cannot be
 * read); never more than the maximum expiration. Claims are read without verifying
 * signatures. A token is handed out until its lifetime less the expiry margin (never more
 * than half the lifetime) has passed. An expired entry stays for a short while so that
 * its next lookup is counted as {@code expired}, then is reclaimed.
 * <p>
 * <b>Loading.</b> {@link #get(ImageReference, RegistryOperation, Supplier)} runs its
 * loader once per key however many threads miss at the same moment; the others wait for
 * its result. A loader that fails caches nothing, and every waiter sees its exception.
 * <p>
 * <b>Bounds.</b> At most {@code maxEntries} entries are kept; beyond that the least
 * valuable are evicted. Time comes from the {@link Clock} given to the builder.
 * <p>
 * Instances are thread-safe. Secrets never reach a log line: DEBUG and TRACE messages
 * name registry, repository and operation only.
 *
 * @author oci-token-cache team
 * @since 0.1.0
 */
public final class TokenCache {

	/**
	 * The default lifetime of a token that carries no expiry information.
	 */
	public static final Duration DEFAULT_EXPIRATION = Duration.ofSeconds(60);

	/**
	 * The default longest lifetime believed.
	 */
	public static final Duration DEFAULT_MAX_EXPIRATION = Duration.ofHours(1);

	/**
	 * The default margin before expiry at which a token is no longer handed out.
	 */
	public static final Duration DEFAULT_EXPIRATION_MARGIN = Duration.ofSeconds(10);

	/**
	 * The default bound on the number of entries.
	 */
	public static final long DEFAULT_MAX_ENTRIES = 10_000;

	/**
	 * How long an expired entry is kept so that a lookup can report it as expired.
	 */
	private static final long EXPIRED_RETENTION_MILLIS = Duration.ofMinutes(1).toMillis();

	private static final Log logger = LogFactory.getLog(TokenCache.class);

	private final Clock clock;

	private final TokenLifetimePolicy lifetimePolicy;

	private final TokenCacheStatistics statistics = new TokenCacheStatistics();

	private final AsyncCache<Key, CachedToken> cache;

	private final ConcurrentMap<Key, CompletableFuture<CachedToken>> entries;

	private TokenCache(Builder builder) {
		this.clock = builder.clock;
		this.lifetimePolicy = new TokenLifetimePolicy(builder.defaultExpiration, builder.expirationMargin,
				builder.maxExpiration, builder.claimsReader);
		this.cache = Caffeine.newBuilder()
			.maximumSize(builder.maxEntries)
			.expireAfter(new RetentionExpiry())
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(this.clock.millis()))
			.executor(Runnable::run)
			.evictionListener((key, value, cause) -> this.statistics.recordEviction())
			.buildAsync();
		this.entries = this.cache.asMap();
	}

	/**
	 * Create a builder with the default settings.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Store a credential for a repository and operation, replacing any held for that key.
	 * A bearer token's lifetime starts now.
	 * @param reference the image; only registry and repository matter
	 * @param operation what the credential was granted for
	 * @param credential the credential
	 */
	public void put(ImageReference reference, RegistryOperation operation, RegistryCredential credential) {
		Assert.notNull(credential, "'credential' must not be null");
		Key key = storedKey(reference, operation);
		this.entries.put(key, CompletableFuture.completedFuture(cachedToken(key, credential)));
	}

	/**
	 * Return a credential that may be used for an operation on a repository, counting the
	 * lookup as a hit, a miss or expired. A pull is served by a pull token or, failing
	 * that, by a push token of the same repository. An in-flight load counts as a miss.
	 * @param reference the image; only registry and repository matter
	 * @param operation what the caller wants to do
	 * @return the credential, or {@code null} if none is held or its time is up
	 */
	public @Nullable RegistryCredential get(ImageReference reference, RegistryOperation operation) {
		long now = this.clock.millis();
		Key key = key(reference, operation);
		CachedToken exact = completed(this.entries.get(key));
		if (exact != null && exact.isUsableAt(now)) {
			return hit(exact, operation);
		}
		CachedToken wider = null;
		if (operation == RegistryOperation.PULL) {
			wider = completed(this.entries.get(key.withOperation(RegistryOperation.PUSH)));
			if (wider != null && wider.isUsableAt(now)) {
				return hit(wider, operation);
			}
		}
		if (exact == null && wider == null) {
			this.statistics.recordMiss(operation);
			trace("Miss", key);
			return null;
		}
		this.statistics.recordExpired(operation);
		trace("Expired", key);
		removeStale(exact, now);
		removeStale(wider, now);
		return null;
	}

	/**
	 * Return a credential for an operation on a repository, loading it if none is held.
	 * However many threads miss the same key at once, the loader runs once and all of
	 * them receive its credential. If the loader throws, nothing is cached and every
	 * waiting thread sees the same exception; the next call runs the loader again.
	 * @param reference the image; only registry and repository matter
	 * @param operation what the caller wants to do, and what a loaded credential is
	 * stored for
	 * @param loader fetches a credential granted for {@code operation}; must not return
	 * {@code null}, nor load the same key from this cache, which would wait for itself
	 * @return the cached or loaded credential
	 */
	public RegistryCredential get(ImageReference reference, RegistryOperation operation,
			Supplier<? extends RegistryCredential> loader) {
		RegistryCredential cached = get(reference, operation);
		return (cached != null) ? cached : load(reference, operation, loader);
	}

	/**
	 * Return a credential for an operation on a repository, running the loader unless a
	 * usable credential for exactly this operation is held or already being loaded.
	 * Unlike {@link #get(ImageReference, RegistryOperation, Supplier)} the call is not
	 * counted as a lookup: it is meant for a caller that has just looked up and missed,
	 * such as an HTTP client answering the registry's challenge after an unauthenticated
	 * request. The loader runs once per key however many threads call at once; if it
	 * throws, nothing is cached and every waiting thread sees the same exception.
	 * @param reference the image; only registry and repository matter
	 * @param operation what a loaded credential is stored for
	 * @param loader fetches a credential granted for {@code operation}; must not return
	 * {@code null}, nor load the same key from this cache, which would wait for itself
	 * @return the held or loaded credential
	 */
	public RegistryCredential load(ImageReference reference, RegistryOperation operation,
			Supplier<? extends RegistryCredential> loader) {
		Assert.notNull(loader, "'loader' must not be null");
		Key key = storedKey(reference, operation);
		PendingLoad pending = new PendingLoad();
		while (true) {
			CompletableFuture<CachedToken> existing = this.entries.putIfAbsent(key, pending);
			if (existing == null) {
				return runLoader(key, pending, loader);
			}
			if (!existing.isDone()) {
				return await(existing);
			}
			CachedToken current = completed(existing);
			if (current != null && current.isUsableAt(this.clock.millis())) {
				return current.credential();
			}
			this.entries.remove(key, existing);
		}
	}

	/**
	 * Remove the credential a lookup for this repository and operation would have handed
	 * out, such as a token the registry just rejected: for a pull that may be the
	 * repository's push token. Held entries whose time is up are removed too.
	 * @param reference the image; only registry and repository matter
	 * @param operation the operation the rejected credential was used for
	 */
	public void invalidate(ImageReference reference, RegistryOperation operation) {
		long now = this.clock.millis();
		Key key = key(reference, operation);
		CachedToken exact = completed(this.entries.get(key));
		CachedToken served = (exact != null && exact.isUsableAt(now)) ? exact : usablePushTokenFor(key, now);
		if (served != null) {
			removeIfHolding(served.key(), served.credential());
		}
		removeStale(exact, now);
	}

	private @Nullable CachedToken usablePushTokenFor(Key key, long now) {
		if (key.operation() != RegistryOperation.PULL) {
			return null;
		}
		CachedToken push = completed(this.entries.get(key.withOperation(RegistryOperation.PUSH)));
		return (push != null && push.isUsableAt(now)) ? push : null;
	}

	/**
	 * Remove a credential that a registry rejected, but only while the cache still holds
	 * that very credential for this repository and operation (for a pull, possibly as the
	 * repository's push token). When several requests are rejected with the same token at
	 * once, the first removes it and the others leave its replacement in place.
	 * @param reference the image; only registry and repository matter
	 * @param operation the operation the rejected credential was used for
	 * @param rejected the credential the registry rejected
	 * @return {@code true} if an entry was removed
	 */
	public boolean invalidate(ImageReference reference, RegistryOperation operation, RegistryCredential rejected) {
		Assert.notNull(rejected, "'rejected' must not be null");
		Key key = key(reference, operation);
		if (removeIfHolding(key, rejected)) {
			return true;
		}
		return operation == RegistryOperation.PULL
				&& removeIfHolding(key.withOperation(RegistryOperation.PUSH), rejected);
	}

	private boolean removeIfHolding(Key key, RegistryCredential credential) {
		CompletableFuture<CachedToken> future = this.entries.get(key);
		CachedToken token = completed(future);
		if (token != null && token.credential().equals(credential) && this.entries.remove(key, future)) {
			debug("Invalidated", key);
			return true;
		}
		return false;
	}

	/**
	 * Remove every entry for a registry.
	 * @param registry the registry, in any spelling {@link ImageReference} accepts
	 */
	public void invalidateRegistry(String registry) {
		Assert.hasText(registry, "'registry' must not be empty");
		String name = ImageReference.of(registry, "x").registry();
		this.entries.keySet().removeIf((key) -> key.registry().equals(name));
		if (logger.isDebugEnabled()) {
			logger.debug("Invalidated all entries of registry " + name);
		}
	}

	/**
	 * Remove every entry.
	 */
	public void invalidateAll() {
		this.cache.synchronous().invalidateAll();
		logger.debug("Invalidated all entries");
	}

	/**
	 * Return what the cache holds, without secrets, sorted by registry, repository and
	 * operation. Entries whose time is up but that are not yet reclaimed are included,
	 * with their past expiry.
	 * @return a snapshot of the entries
	 */
	public List<TokenCacheEntry> entries() {
		List<TokenCacheEntry> result = new ArrayList<>();
		this.entries.forEach((key, future) -> {
			CachedToken token = completed(future);
			if (token != null) {
				result.add(token.describe());
			}
		});
		result.sort(Comparator.comparing(TokenCacheEntry::registry)
			.thenComparing(TokenCacheEntry::repository)
			.thenComparing(TokenCacheEntry::operation));
		return result;
	}

	/**
	 * Return the number of entries, after reclaiming those whose retention has passed.
	 * Entries whose time is up but that are still kept to be reported as expired count.
	 * @return the number of entries
	 */
	public long size() {
		Cache<Key, CachedToken> view = this.cache.synchronous();
		view.cleanUp();
		return view.estimatedSize();
	}

	/**
	 * Return the running counts of lookups, puts and evictions.
	 * @return the statistics, live
	 */
	public TokenCacheStatistics statistics() {
		return this.statistics;
	}

	private static Key key(ImageReference reference, RegistryOperation operation) {
		Assert.notNull(reference, "'reference' must not be null");
		Assert.notNull(operation, "'operation' must not be null");
		return new Key(reference.registry(), reference.repository(), operation);
	}

	private static Key storedKey(ImageReference reference, RegistryOperation operation) {
		Key key = key(reference, operation);
		// Entries of one registry share its name: a few registries serve many
		// repositories,
		// and a copy per entry would cost about 64 bytes each. Only stored keys are
		// interned,
		// never lookup keys, so the hit path pays nothing for it.
		return new Key(key.registry().intern(), key.repository(), operation);
	}

	private RegistryCredential hit(CachedToken token, RegistryOperation requested) {
		this.statistics.recordHit(requested);
		trace("Hit", token.key());
		return token.credential();
	}

	private RegistryCredential runLoader(Key key, PendingLoad pending, Supplier<? extends RegistryCredential> loader) {
		debug("Loading", key);
		try {
			RegistryCredential credential = loader.get();
			if (credential == null) {
				throw new IllegalStateException("The token loader returned no credential for " + key);
			}
			CachedToken token = cachedToken(key, credential);
			pending.complete(token);
			return credential;
		}
		catch (Throwable ex) {
			// Also checked exceptions thrown sneakily: a load left incomplete would block
			// the key for good.
			pending.fail(key, ex, this.entries);
			debug("Loading failed, nothing cached, for", key);
			throw ex;
		}
	}

	private static RegistryCredential await(CompletableFuture<CachedToken> loading) {
		CachedToken token = loading.join();
		if (token != null) {
			return token.credential();
		}
		Throwable failure = (loading instanceof PendingLoad pendingLoad) ? pendingLoad.failure : null;
		if (failure instanceof RuntimeException runtimeException) {
			throw runtimeException;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		throw new CompletionException("Loading a token failed", failure);
	}

	private CachedToken cachedToken(Key key, RegistryCredential credential) {
		long now = this.clock.millis();
		CachedToken token;
		if (credential instanceof BearerToken bearer) {
			Duration lifetime = this.lifetimePolicy.lifetime(bearer, Instant.ofEpochMilli(now));
			long handOutUntil = now + this.lifetimePolicy.handOutPeriod(lifetime).toMillis();
			token = new CachedToken(key, credential, handOutUntil);
			if (logger.isDebugEnabled()) {
				logger.debug("Caching bearer token for " + key + " with lifetime " + lifetime + ", handed out until "
						+ Instant.ofEpochMilli(handOutUntil));
			}
		}
		else {
			token = new CachedToken(key, credential, Long.MAX_VALUE);
			debug("Caching basic credentials without expiry for", key);
		}
		this.statistics.recordPut(key.operation());
		return token;
	}

	private void removeStale(@Nullable CachedToken token, long now) {
		if (token != null && !token.isUsableAt(now)) {
			this.entries.computeIfPresent(token.key(), (key, future) -> (completed(future) == token) ? null : future);
		}
	}

	// No future in the cache completes exceptionally (see PendingLoad), so a value is
	// there exactly when the future is done with a token.
	private static @Nullable CachedToken completed(@Nullable CompletableFuture<CachedToken> future) {
		return (future != null) ? future.getNow(null) : null;
	}

	private static void trace(String event, Key key) {
		if (logger.isTraceEnabled()) {
			logger.trace(event + " for " + key);
		}
	}

	private static void debug(String event, Key key) {
		if (logger.isDebugEnabled()) {
			logger.debug(event + " " + key);
		}
	}

	/**
	 * A load in flight. A failed load leaves the cache first and is then completed
	 * without a value, its failure kept for the threads that waited on it. Completing it
	 * exceptionally inside the cache instead would make Caffeine log every failed token
	 * fetch at WARN with a stack trace.
	 */
	private static final class PendingLoad extends CompletableFuture<CachedToken> {

		private volatile @Nullable Throwable failure;

		void fail(Key key, Throwable failure, ConcurrentMap<Key, CompletableFuture<CachedToken>> entries) {
			this.failure = failure;
			entries.remove(key, this);
			complete(null);
		}

	}

	/**
	 * Keeps an entry until its hand-out time has passed plus a short retention, so that
	 * an expired token is reported as such once, and is reclaimed afterwards.
	 */
	private static final class RetentionExpiry implements Expiry<Key, CachedToken> {

		@Override
		public long expireAfterCreate(Key key, CachedToken token, long currentTime) {
			return remaining(token, currentTime);
		}

		@Override
		public long expireAfterUpdate(Key key, CachedToken token, long currentTime, long currentDuration) {
			return remaining(token, currentTime);
		}

		@Override
		public long expireAfterRead(Key key, CachedToken token, long currentTime, long currentDuration) {
			return currentDuration;
		}

		private static long remaining(CachedToken token, long currentTime) {
			if (token.handOutUntil() == Long.MAX_VALUE) {
				return Long.MAX_VALUE;
			}
			long remainingMillis = token.handOutUntil() - TimeUnit.NANOSECONDS.toMillis(currentTime);
			return TimeUnit.MILLISECONDS.toNanos(Math.max(0, remainingMillis) + EXPIRED_RETENTION_MILLIS);
		}

	}

	/**
	 * The key of an entry. Its {@code toString()} is what log lines show.
	 */
	private record Key(String registry, String repository, RegistryOperation operation) {

		Key withOperation(RegistryOperation other) {
			return new Key(this.registry, this.repository, other);
		}

		@Override
		public String toString() {
			return "registry=" + this.registry + ", repository=" + this.repository + ", operation=" + this.operation;
		}

	}

	/**
	 * A credential with the time until which it is handed out, in epoch milliseconds.
	 */
	private record CachedToken(Key key, RegistryCredential credential, long handOutUntil) {

		boolean isUsableAt(long now) {
			return now < this.handOutUntil;
		}

		TokenCacheEntry describe() {
			Instant expiresAt = (this.handOutUntil != Long.MAX_VALUE) ? Instant.ofEpochMilli(this.handOutUntil) : null;
			return new TokenCacheEntry(this.key.registry(), this.key.repository(), this.key.operation(),
					this.credential.kind(), expiresAt);
		}

		@Override
		public String toString() {
			return "CachedToken[" + this.key + ", kind=" + this.credential.kind() + "]";
		}

	}

	/**
	 * Settings for a {@link TokenCache}.
	 */
	public static final class Builder {

		private Clock clock = Clock.systemUTC();

		private Duration defaultExpiration = DEFAULT_EXPIRATION;

		private Duration maxExpiration = DEFAULT_MAX_EXPIRATION;

		private Duration expirationMargin = DEFAULT_EXPIRATION_MARGIN;

		private long maxEntries = DEFAULT_MAX_ENTRIES;

		private TokenClaimsReader claimsReader;

		private Builder() {
		}

		/**
		 * Set the clock that lifetimes are measured with.
		 * @param clock the clock
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			Assert.notNull(clock, "'clock' must not be null");
			this.clock = clock;
			return this;
		}

		/**
		 * Set the lifetime of a token that carries no expiry information.
		 * @param defaultExpiration a positive duration
		 * @return this builder
		 */
		public Builder defaultExpiration(Duration defaultExpiration) {
			Assert.isTrue(defaultExpiration != null && defaultExpiration.compareTo(Duration.ZERO) > 0,
					"'defaultExpiration' must be positive");
			this.defaultExpiration = defaultExpiration;
			return this;
		}

		/**
		 * Set the longest lifetime ever believed, whatever a token or response says.
		 * @param maxExpiration a positive duration
		 * @return this builder
		 */
		public Builder maxExpiration(Duration maxExpiration) {
			Assert.isTrue(maxExpiration != null && maxExpiration.compareTo(Duration.ZERO) > 0,
					"'maxExpiration' must be positive");
			this.maxExpiration = maxExpiration;
			return this;
		}

		/**
		 * Set how long before its expiry a token stops being handed out; at most half a
		 * token's lifetime is taken.
		 * @param expirationMargin a duration, zero or more
		 * @return this builder
		 */
		public Builder expirationMargin(Duration expirationMargin) {
			Assert.isTrue(expirationMargin != null && !expirationMargin.isNegative(),
					"'expirationMargin' must not be negative");
			this.expirationMargin = expirationMargin;
			return this;
		}

		/**
		 * Set the most entries kept.
		 * @param maxEntries a positive number
		 * @return this builder
		 */
		public Builder maxEntries(long maxEntries) {
			Assert.isTrue(maxEntries > 0, "'maxEntries' must be positive");
			this.maxEntries = maxEntries;
			return this;
		}

		/**
		 * Set how JWT claims are read.
		 * @param claimsReader the reader
		 * @return this builder
		 */
		public Builder claimsReader(TokenClaimsReader claimsReader) {
			Assert.notNull(claimsReader, "'claimsReader' must not be null");
			this.claimsReader = claimsReader;
			return this;
		}

		/**
		 * Build the cache.
		 * @return a new, empty cache
		 */
		public TokenCache build() {
			if (this.claimsReader == null) {
				this.claimsReader = new TokenClaimsReader();
			}
			return new TokenCache(this);
		}

	}

}
