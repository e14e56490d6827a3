package io.github.ocitokencache.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests move by hand.
 *
 * @author oci-token-cache team
 */
final class TestClock extends Clock {

	private volatile Instant now;

	TestClock(Instant start) {
		this.now = start;
	}

	TestClock(long epochSecond) {
		this(Instant.ofEpochSecond(epochSecond));
	}

	void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	void advanceSeconds(long seconds) {
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
		return this;
	}

}
