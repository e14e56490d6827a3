package io.github.ocitokencache.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import io.github.ocitokencache.cache.BearerToken;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import io.github.ocitokencache.cache.TokenCache;
import org.openjdk.jol.info.GraphLayout;

/**
 * Measures what the token cache keeps on the heap. First, the retained size per entry of
 * a cache filled to {@code --entries} distinct repositories, by walking the cache's
 * object graph with JOL before and after; every entry shares one token string, so the
 * figure is what an entry costs beyond its token text, which is printed on its own.
 * Second, the heap in use after {@code --inserts} distinct repositories are put into a
 * cache bounded at {@link TokenCache#DEFAULT_MAX_ENTRIES} entries, against the heap after
 * the first bound's worth; the program fails if the cache holds more than its bound.
 * <p>
 * Each entry is put as the cache would receive it: its reference parsed from text, a
 * registry JWT whose claims are read for the lifetime.
 *
 * @author oci-token-cache team
 */
public final class MemoryFootprint {

	private MemoryFootprint() {
	}

	/**
	 * Run both measurements and print their figures.
	 * @param args {@code --entries N --inserts M}
	 */
	public static void main(String[] args) {
		int entries = intArgument(args, "--entries", 10_000);
		int inserts = intArgument(args, "--inserts", 1_000_000);
		String token = SampleTokens.registryToken("acme/service-0");
		retainedPerEntry(token, entries);
		boundedHeap(token, inserts);
	}

	private static void retainedPerEntry(String token, int entries) {
		TokenCache cache = TokenCache.builder().maxEntries(Math.max(entries, TokenCache.DEFAULT_MAX_ENTRIES)).build();
		GraphLayout empty = GraphLayout.parseInstance(cache);
		for (int i = 0; i < entries; i++) {
			cache.put(reference(i), RegistryOperation.PULL, BearerToken.of(token));
		}
		GraphLayout full = GraphLayout.parseInstance(cache);
		long tokenText = GraphLayout.parseInstance(token).totalSize();
		double perEntry = (double) (full.totalSize() - empty.totalSize()) / entries;
		System.out.printf("retained heap per entry, beyond the token text: %.1f B (%d entries, JOL)%n", perEntry,
				entries);
		System.out.printf("token text: %d characters, %d B as a String%n", token.length(), tokenText);
		System.out.println("what the entries added, by class:");
		System.out.println(full.subtract(empty).toFootprint());
	}

	private static void boundedHeap(String token, int inserts) {
		long bound = TokenCache.DEFAULT_MAX_ENTRIES;
		TokenCache cache = TokenCache.builder().maxEntries(bound).build();
		long before = usedHeap();
		long afterBound = 0;
		for (int i = 0; i < inserts; i++) {
			cache.put(reference(i), RegistryOperation.PULL, BearerToken.of(token));
			if (i + 1 == bound) {
				afterBound = usedHeap();
			}
		}
		long afterAll = usedHeap();
		long size = cache.size();
		System.out.printf("heap in use, empty cache: %.1f MiB%n", mebibytes(before));
		System.out.printf("heap in use after %d inserts: %.1f MiB%n", bound, mebibytes(afterBound));
		System.out.printf("heap in use after %d inserts: %.1f MiB%n", inserts, mebibytes(afterAll));
		System.out.printf("entries held: %d (bound %d), evicted: %d, cache graph (JOL): %.1f MiB%n", size, bound,
				cache.statistics().evictionCount(), mebibytes(GraphLayout.parseInstance(cache).totalSize()));
		if (size > bound) {
			System.err.printf("The cache holds %d entries, more than its bound of %d%n", size, bound);
			System.exit(1);
		}
	}

	private static ImageReference reference(int i) {
		return ImageReference.parse("registry.example.com/acme/service-" + i + ":1.0");
	}

	private static long usedHeap() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static double mebibytes(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

	private static int intArgument(String[] args, String name, int defaultValue) {
		for (int i = 0; i + 1 < args.length; i++) {
			if (args[i].equals(name)) {
				return Integer.parseInt(args[i + 1]);
			}
		}
		return defaultValue;
	}

}
