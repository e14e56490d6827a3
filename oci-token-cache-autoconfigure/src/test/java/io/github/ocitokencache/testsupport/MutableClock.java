package io.github.ocitokencache.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A UTC clock that tests move by hand, so that expiry is tested without sleeping.
 *
 * @author oci-token-cache team
 */
public final class MutableClock extends Clock {

	private volatile Instant now;

	/**
	 * Create a clock that reads the given instant until moved.
	 * @param now the instant to start at
	 */
	public MutableClock(Instant now) {
		this.now = now;
	}

	/**
	 * Create a clock that reads the given epoch second until moved.
	 * @param epochSecond the second to start at
	 */
	public MutableClock(long epochSecond) {
		this(Instant.ofEpochSecond(epochSecond));
	}

	/**
	 * Move the clock forward, or back for a negative duration.
	 * @param duration how far to move
	 */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	/**
	 * Move the clock forward by whole seconds.
	 * @param seconds how many seconds
	 */
	public void advanceSeconds(long seconds) {
		advance(Duration.ofSeconds(seconds));
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A test clock keeps UTC");
	}

}
