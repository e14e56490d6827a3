package io.github.ocitokencache.cache;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.github.ocitokencache.testsupport.MutableClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link TokenCache}: keys and operations (K01 to K09), and the lifetimes of
 * section 2 of the behaviour cases as the cache hands tokens out (L08, L13 to L15).
 *
 * @author oci-token-cache team
 */
class TokenCacheTests {

	private static final long NOW = 1_800_000_000L;

	private static final RegistryOperation PULL = RegistryOperation.PULL;

	private static final RegistryOperation PUSH = RegistryOperation.PUSH;

	private final MutableClock clock = new MutableClock(NOW);

	private final TokenCache cache = TokenCache.builder().clock(this.clock).expirationMargin(Duration.ZERO).build();

	@Test
	@DisplayName("K01 a short name and its full Docker Hub spelling share one key")
	void k01ShortNameAndFullSpellingShareOneKey() {
		this.cache.put(ref("busybox"), PULL, BearerToken.of("T1"));
		assertThat(this.cache.get(ref("docker.io/library/busybox:1.36"), PULL)).isEqualTo(BearerToken.of("T1"));
		assertThat(this.cache.get(ref("registry-1.docker.io/library/busybox@sha256:" + "a".repeat(64)), PULL))
			.isEqualTo(BearerToken.of("T1"));
		assertThat(this.cache.statistics().hitCount(PULL)).isEqualTo(2);
	}

	@Test
	@DisplayName("K02 Docker Hub's registry aliases share one key")
	void k02DockerHubAliasesShareOneKey() {
		this.cache.put(ref("index.docker.io/library/busybox"), PULL, BearerToken.of("T2"));
		assertThat(this.cache.get(ref("docker.io/busybox"), PULL)).isEqualTo(BearerToken.of("T2"));
		assertThat(this.cache.get(ref("busybox:latest"), PULL)).isEqualTo(BearerToken.of("T2"));
		assertThat(this.cache.get(ImageReference.of("registry-1.docker.io", "library/busybox"), PULL))
			.isEqualTo(BearerToken.of("T2"));
	}

	@Test
	@DisplayName("K03 a push token serves pulls of the same repository")
	void k03PushTokenServesPulls() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("PUSH"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("PUSH"));
		assertThat(this.cache.get(ref("ghcr.io/org/other"), PULL)).isNull();
		assertThat(this.cache.statistics().hitCount(PULL)).isEqualTo(1);
	}

	@Test
	@DisplayName("K03 a pull lookup prefers the repository's pull token to its push token")
	void k03PullLookupPrefersPullToken() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("PUSH"));
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("PULL"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("PULL"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PUSH)).isEqualTo(BearerToken.of("PUSH"));
	}

	@Test
	@DisplayName("K04 a pull token never serves a push")
	void k04PullTokenNeverServesPush() {
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("PULL"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PUSH)).isNull();
		assertThat(this.cache.statistics().missCount(PUSH)).isEqualTo(1);
		assertThat(this.cache.statistics().hitCount(PUSH)).isZero();
	}

	@Test
	@DisplayName("K05 the registry port is part of the key")
	void k05RegistryPortIsPartOfTheKey() {
		this.cache.put(ref("localhost:5000/app"), PULL, BearerToken.of("T5"));
		assertThat(this.cache.get(ref("localhost:5001/app"), PULL)).isNull();
		assertThat(this.cache.get(ref("localhost/app"), PULL)).isNull();
		assertThat(this.cache.get(ref("localhost:5000/app:v2"), PULL)).isEqualTo(BearerToken.of("T5"));
	}

	@Test
	@DisplayName("K06 registry names are compared case-insensitively")
	void k06RegistryNamesAreCaseInsensitive() {
		this.cache.put(ref("Registry.Example.com/team/app"), PULL, BearerToken.of("T6"));
		assertThat(this.cache.get(ref("registry.example.com/team/app"), PULL)).isEqualTo(BearerToken.of("T6"));
		assertThat(this.cache.get(ref("REGISTRY.EXAMPLE.COM/team/app"), PULL)).isEqualTo(BearerToken.of("T6"));
	}

	@Test
	@DisplayName("K07 64 threads missing one key at once run the loader once and all get its token")
	void k07ConcurrentMissesRunTheLoaderOnce() throws Exception {
		AtomicInteger loads = new AtomicInteger();
		int threads = 64;
		List<RegistryCredential> results = runConcurrently(threads,
				(waitForOthers) -> this.cache.get(ref("ghcr.io/org/app"), PULL, () -> {
					loads.incrementAndGet();
					waitForOthers.run();
					return BearerToken.of("LOADED");
				}));
		assertThat(loads).hasValue(1);
		assertThat(results).hasSize(threads).containsOnly(BearerToken.of("LOADED"));
		assertThat(this.cache.statistics().putCount(PULL)).isEqualTo(1);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("LOADED"));
	}

	@Test
	@DisplayName("K08 a failing loader caches nothing, every waiter sees the failure, the next call loads again")
	void k08FailingLoaderCachesNothing() throws Exception {
		AtomicInteger loads = new AtomicInteger();
		int threads = 16;
		List<Object> outcomes = runConcurrently(threads, (waitForOthers) -> {
			try {
				return this.cache.get(ref("ghcr.io/org/app"), PULL, () -> {
					loads.incrementAndGet();
					waitForOthers.run();
					throw new TokenResponseException("refused", 503, null);
				});
			}
			catch (TokenResponseException ex) {
				return ex;
			}
		});
		assertThat(loads).hasValue(1);
		assertThat(outcomes).hasSize(threads)
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOf(TokenResponseException.class));
		assertThat(this.cache.size()).isZero();
		assertThat(this.cache.statistics().putCount(PULL)).isZero();
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL, () -> BearerToken.of("SECOND")))
			.isEqualTo(BearerToken.of("SECOND"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("SECOND"));
	}

	@Test
	@DisplayName("K08 a loader that returns nothing fails clearly and caches nothing")
	void k08LoaderReturningNothingFailsClearly() {
		Supplier<RegistryCredential> nothing = () -> null;
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.cache.get(ref("ghcr.io/org/app"), PULL, nothing))
			.withMessageContaining("ghcr.io")
			.withMessageContaining("org/app");
		assertThat(this.cache.size()).isZero();
	}

	@Test
	@Timeout(10)
	@DisplayName("K08 a loader that throws a checked exception caches nothing and does not block the key")
	void k08LoaderThrowingCheckedExceptionDoesNotBlockTheKey() {
		Supplier<RegistryCredential> sneaky = () -> sneakyThrow(new IOException("connection reset"));
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> this.cache.get(ref("ghcr.io/org/app"), PULL, sneaky));
		assertThat(this.cache.size()).isZero();
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL, () -> BearerToken.of("NEXT")))
			.isEqualTo(BearerToken.of("NEXT"));
	}

	@Test
	void statisticsShowTheirCounts() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("SECRET"));
		this.cache.get(ref("ghcr.io/org/app"), PULL);
		assertThat(this.cache.statistics()).hasToString(
				"TokenCacheStatistics[pull: hits=1, misses=0, expired=0, puts=0; push: hits=0, misses=0, expired=0, "
						+ "puts=1; evictions=0]");
	}

	@Test
	@DisplayName("K09 invalidating a pull removes the push token that served it")
	void k09InvalidatingPullRemovesThePushTokenThatServedIt() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("PUSH"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("PUSH"));
		this.cache.invalidate(ref("ghcr.io/org/app"), PULL);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PUSH)).isNull();
	}

	@Test
	@DisplayName("K09 invalidating removes only the token a lookup would have returned")
	void k09InvalidatingRemovesOnlyTheTokenALookupWouldReturn() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("PUSH"));
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("PULL"));
		this.cache.invalidate(ref("ghcr.io/org/app"), PULL);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PUSH)).isEqualTo(BearerToken.of("PUSH"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("PUSH"));
		this.cache.invalidate(ref("ghcr.io/org/app"), PUSH);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
	}

	@Test
	@DisplayName("K08 load after a counted miss runs the loader once and is not counted again")
	void k08LoadIsNotCountedAsALookup() {
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(this.cache.load(ref("ghcr.io/org/app"), PULL, () -> BearerToken.of("LOADED")))
			.isEqualTo(BearerToken.of("LOADED"));
		assertThat(this.cache.load(ref("ghcr.io/org/app"), PULL, () -> BearerToken.of("AGAIN")))
			.isEqualTo(BearerToken.of("LOADED"));
		assertThat(this.cache.statistics().missCount(PULL)).isOne();
		assertThat(this.cache.statistics().hitCount(PULL)).isZero();
		assertThat(this.cache.statistics().putCount(PULL)).isOne();
	}

	@Test
	@DisplayName("K09 a rejected token is removed only while the cache still holds that very token")
	void k09RejectedTokenIsRemovedOnlyWhileHeld() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("OLD"));
		assertThat(this.cache.invalidate(ref("ghcr.io/org/app"), PULL, BearerToken.of("OLD"))).isTrue();
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("NEW"));
		assertThat(this.cache.invalidate(ref("ghcr.io/org/app"), PULL, BearerToken.of("OLD"))).isFalse();
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("NEW"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PUSH)).isNull();
	}

	@Test
	@DisplayName("L08 a token that expired before it arrived is stored, never handed out, and counted as expired")
	void l08ExpiredOnArrivalIsNeverHandedOut() {
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of(Jwts.signed("{\"exp\":" + (NOW - 10) + "}")));
		assertThat(this.cache.size()).isEqualTo(1);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(this.cache.statistics().expiredCount(PULL)).isEqualTo(1);
		assertThat(this.cache.statistics().missCount(PULL)).isZero();
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(this.cache.statistics().missCount(PULL)).isEqualTo(1);
	}

	@Test
	@DisplayName("L08 a loader replaces an expired token")
	void l08LoaderReplacesExpiredToken() {
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("OLD"));
		this.clock.advanceSeconds(61);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL, () -> BearerToken.of("NEW")))
			.isEqualTo(BearerToken.of("NEW"));
		assertThat(this.cache.statistics().expiredCount(PULL)).isEqualTo(1);
	}

	@Test
	@DisplayName("L13 basic credentials never expire")
	void l13BasicCredentialsNeverExpire() {
		BasicCredentials credentials = new BasicCredentials("alice", "secret");
		this.cache.put(ref("localhost:5000/app"), PUSH, credentials);
		this.clock.advance(Duration.ofDays(365 * 100));
		assertThat(this.cache.get(ref("localhost:5000/app"), PUSH)).isEqualTo(credentials);
		assertThat(this.cache.entries()).singleElement().satisfies((entry) -> assertThat(entry.expiresAt()).isNull());
	}

	@Test
	@DisplayName("L14 with D 60 and M 10 a token without expiry information is handed out for 50 s, not after")
	void l14DefaultLifetimeLessMargin() {
		TokenCache withMargin = TokenCache.builder()
			.clock(this.clock)
			.defaultExpiration(Duration.ofSeconds(60))
			.expirationMargin(Duration.ofSeconds(10))
			.build();
		withMargin.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("opaque"));
		this.clock.advance(Duration.ofMillis(49_999));
		assertThat(withMargin.get(ref("ghcr.io/org/app"), PULL)).isNotNull();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(withMargin.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(withMargin.statistics().expiredCount(PULL)).isEqualTo(1);
	}

	@Test
	@DisplayName("L15 with M 30 a token living 20 s is handed out for 10 s")
	void l15MarginNeverExceedsHalfTheLifetime() {
		TokenCache withMargin = TokenCache.builder().clock(this.clock).expirationMargin(Duration.ofSeconds(30)).build();
		withMargin.put(ref("ghcr.io/org/app"), PULL, new BearerToken("opaque", null, Duration.ofSeconds(20), null));
		this.clock.advance(Duration.ofMillis(9_999));
		assertThat(withMargin.get(ref("ghcr.io/org/app"), PULL)).isNotNull();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(withMargin.get(ref("ghcr.io/org/app"), PULL)).isNull();
	}

	@Test
	void jwtLifetimeIsAnchoredAtTheMomentOfReceipt() {
		this.cache.put(ref("ghcr.io/org/app"), PULL,
				BearerToken.of(Jwts.signed("{\"iat\":1000,\"exp\":1300,\"sub\":\"skewed clock\"}")));
		this.clock.advanceSeconds(299);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNotNull();
		this.clock.advanceSeconds(1);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
	}

	@Test
	void tokenWhoseClaimsCannotBeReadIsCachedForTheDefaultLifetime() {
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("not.a.jwt"));
		this.cache.put(ref("ghcr.io/org/enc"), PULL, BearerToken.of("a.b.c.d.e"));
		this.clock.advanceSeconds(59);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("not.a.jwt"));
		assertThat(this.cache.get(ref("ghcr.io/org/enc"), PULL)).isEqualTo(BearerToken.of("a.b.c.d.e"));
		this.clock.advanceSeconds(1);
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
	}

	@Test
	void missIsCountedWhenNothingIsHeld() {
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isNull();
		assertThat(this.cache.statistics().missCount(PULL)).isEqualTo(1);
		assertThat(this.cache.statistics().hitCount(PULL)).isZero();
		assertThat(this.cache.statistics().expiredCount(PULL)).isZero();
	}

	@Test
	void sizeStaysWithinMaxEntries() {
		TokenCache bounded = TokenCache.builder().clock(this.clock).maxEntries(100).build();
		for (int i = 0; i < 10_000; i++) {
			bounded.put(ImageReference.of("registry.example.com", "team/app" + i), PULL, BearerToken.of("T" + i));
		}
		assertThat(bounded.size()).isLessThanOrEqualTo(100);
		assertThat(bounded.statistics().evictionCount()).isGreaterThanOrEqualTo(9_900);
	}

	@Test
	void expiredEntriesAreReclaimed() {
		for (int i = 0; i < 50; i++) {
			this.cache.put(ImageReference.of("registry.example.com", "team/app" + i), PULL, BearerToken.of("T" + i));
		}
		this.cache.put(ref("registry.example.com/team/basic"), PULL, new BasicCredentials("u", "p"));
		assertThat(this.cache.size()).isEqualTo(51);
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.cache.size()).isEqualTo(1);
		assertThat(this.cache.statistics().evictionCount()).isEqualTo(50);
	}

	@Test
	void putReplacesTheHeldToken() {
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("FIRST"));
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("SECOND"));
		assertThat(this.cache.get(ref("ghcr.io/org/app"), PULL)).isEqualTo(BearerToken.of("SECOND"));
		assertThat(this.cache.size()).isEqualTo(1);
	}

	@Test
	void invalidateRegistryRemovesOnlyThatRegistrysEntries() {
		this.cache.put(ref("busybox"), PULL, BearerToken.of("HUB"));
		this.cache.put(ref("ghcr.io/org/app"), PULL, BearerToken.of("GHCR"));
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("GHCR-PUSH"));
		this.cache.invalidateRegistry("GHCR.io");
		assertThat(this.cache.entries()).extracting(TokenCacheEntry::registry).containsExactly("docker.io");
		this.cache.invalidateRegistry("index.docker.io");
		assertThat(this.cache.entries()).isEmpty();
	}

	@Test
	void entriesDescribeWithoutSecrets() {
		this.cache.put(ref("ghcr.io/org/app"), PUSH, BearerToken.of("SECRET-TOKEN"));
		this.cache.put(ref("localhost:5000/app"), PULL, new BasicCredentials("alice", "SECRET-PASSWORD"));
		assertThat(this.cache.entries()).containsExactly(
				new TokenCacheEntry("ghcr.io", "org/app", PUSH, RegistryCredential.Kind.BEARER,
						this.clock.instant().plusSeconds(60)),
				new TokenCacheEntry("localhost:5000", "app", PULL, RegistryCredential.Kind.BASIC, null));
		assertThat(this.cache.entries().toString()).doesNotContain("SECRET");
	}

	@Test
	void missingArgumentsFailWithMessagesThatNameThem() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.cache.get(null, PULL))
			.withMessageContaining("'reference'");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.cache.get(ref("ghcr.io/org/app"), null))
			.withMessageContaining("'operation'");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.cache.get(ref("ghcr.io/org/app"), PULL, null))
			.withMessageContaining("'loader'");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.cache.put(ref("ghcr.io/org/app"), PULL, null))
			.withMessageContaining("'credential'");
		assertThat(this.cache.size()).isZero();
	}

	@SuppressWarnings("unchecked")
	private static <T extends Throwable> RegistryCredential sneakyThrow(Throwable ex) throws T {
		throw (T) ex;
	}

	private static ImageReference ref(String reference) {
		return ImageReference.parse(reference);
	}

	/**
	 * Run a task on many threads at once. Each task receives a callback that blocks until
	 * every other thread is parked inside the cache waiting for a load, so that a loader
	 * calling it is known to be shared by all threads.
	 */
	private static <T> List<T> runConcurrently(int threads, ConcurrentTask<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch ready = new CountDownLatch(threads);
			CountDownLatch start = new CountDownLatch(1);
			List<Thread> workers = new ArrayList<>();
			Runnable waitForOthers = () -> awaitParked(workers, threads);
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(executor.submit(() -> {
					synchronized (workers) {
						workers.add(Thread.currentThread());
					}
					ready.countDown();
					start.await();
					return task.run(waitForOthers);
				}));
			}
			assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
			start.countDown();
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(30, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static void awaitParked(List<Thread> workers, int threads) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			int parked = 0;
			synchronized (workers) {
				for (Thread worker : workers) {
					if (worker != Thread.currentThread() && isWaitingForLoad(worker)) {
						parked++;
					}
				}
			}
			if (parked == threads - 1) {
				return;
			}
			Thread.onSpinWait();
		}
		throw new IllegalStateException("Not every thread reached the cache within 30 s");
	}

	private static boolean isWaitingForLoad(Thread thread) {
		if (thread.getState() != Thread.State.WAITING) {
			return false;
		}
		for (StackTraceElement frame : thread.getStackTrace()) {
			if (frame.getClassName().equals(CompletableFuture.class.getName())) {
				return true;
			}
		}
		return false;
	}

	@FunctionalInterface
	private interface ConcurrentTask<T> {

		T run(Runnable waitForOthers);

	}

}
