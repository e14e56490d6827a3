package io.github.ocitokencache.benchmarks;

import java.text.ParseException;
import java.util.Date;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import com.nimbusds.jwt.JWTParser;
import io.github.ocitokencache.cache.ImageReference;
import io.github.ocitokencache.cache.RegistryOperation;
import org.jspecify.annotations.Nullable;

/**
 * The reference design that the hit path is compared against, written for these
 * benchmarks from the behaviour of the Rust {@code oci-client} crate's token cache: a
 * sorted map under a read-write lock, keyed by registry, repository and operation, whose
 * key strings are built afresh on every call, with an expiry in epoch seconds checked
 * against the wall clock. Expired entries are reported as absent and never removed.
 * <p>
 * Where the original clones the token on the way out, this port returns the immutable
 * string itself, and it logs nothing; both favour the reference design.
 * <p>
 * Instances are thread-safe.
 *
 * @author oci-token-cache team
 */
final class ReferenceDesignTokenCache {

	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	private final TreeMap<Key, Value> tokens = new TreeMap<>();

	private final long defaultExpirationSecs;

	ReferenceDesignTokenCache(long defaultExpirationSecs) {
		this.defaultExpirationSecs = defaultExpirationSecs;
	}

	/**
	 * Store a token, expiring at its {@code exp} claim, or after the default expiration
	 * if it has none or is not a JWT.
	 * @param reference the image
	 * @param operation what the token was granted for
	 * @param token the token text
	 */
	void insert(ImageReference reference, RegistryOperation operation, String token) {
		Value value = new Value(token, expiration(token));
		Key key = key(reference, operation);
		this.lock.writeLock().lock();
		try {
			this.tokens.put(key, value);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	/**
	 * Return the token held for a repository and operation, unless its expiry has passed.
	 * @param reference the image
	 * @param operation the operation asked for
	 * @return the token text, or {@code null}
	 */
	@Nullable String get(ImageReference reference, RegistryOperation operation) {
		Key key = key(reference, operation);
		this.lock.readLock().lock();
		try {
			Value value = this.tokens.get(key);
			if (value == null) {
				return null;
			}
			long epochSecs = System.currentTimeMillis() / 1000;
			return (epochSecs > value.expiration()) ? null : value.token();
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private long expiration(String token) {
		long epochSecs = System.currentTimeMillis() / 1000;
		try {
			Date expiration = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
			return (expiration != null) ? expiration.getTime() / 1000 : epochSecs + this.defaultExpirationSecs;
		}
		catch (ParseException ex) {
			return epochSecs + this.defaultExpirationSecs;
		}
	}

	private static Key key(ImageReference reference, RegistryOperation operation) {
		return new Key(copy(reference.registry()), copy(reference.repository()), operation);
	}

	// The original turns each borrowed name into an owned string for the key, a copy on
	// the heap; a Java string can only be copied through a character array.
	private static String copy(String name) {
		return new String(name.toCharArray());
	}

	/**
	 * The key, ordered by registry, then repository, then operation.
	 */
	private record Key(String registry, String repository, RegistryOperation operation) implements Comparable<Key> {

		@Override
		public int compareTo(Key other) {
			int result = this.registry.compareTo(other.registry);
			if (result == 0) {
				result = this.repository.compareTo(other.repository);
			}
			return (result != 0) ? result : this.operation.compareTo(other.operation);
		}

	}

	/**
	 * A token and its expiry in epoch seconds.
	 */
	private record Value(String token, long expiration) {

	}

}
