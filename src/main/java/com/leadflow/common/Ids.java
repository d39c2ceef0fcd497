package com.leadflow.common;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Time-ordered identifiers (UUID version 7 layout). Ordering by id gives creation order, which
 * the history needs because MySQL keeps whole seconds only.
 */
public final class Ids {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static long lastMillis;

	private static long sequence;

	private Ids() {
	}

	public static synchronized String newId() {
		long now = System.currentTimeMillis();
		if (now > lastMillis) {
			lastMillis = now;
			sequence = RANDOM.nextInt(1 << 10);
		}
		else {
			sequence++;
			if (sequence >= (1 << 12)) {
				lastMillis++;
				sequence = 0;
			}
		}
		long msb = (lastMillis << 16) | (0x7L << 12) | sequence;
		long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb).toString();
	}

}
