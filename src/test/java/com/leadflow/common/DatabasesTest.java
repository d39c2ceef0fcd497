package com.leadflow.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which server versions know {@code FOR UPDATE SKIP LOCKED} (owner assignment relies on it there). */
class DatabasesTest {

	@Test
	void mysqlFrom8_0_1AndMariaDbFrom10_6() {
		assertThat(Databases.supportsSkipLocked("8.0.36")).isTrue();
		assertThat(Databases.supportsSkipLocked("8.0.1")).isTrue();
		assertThat(Databases.supportsSkipLocked("8.4.3")).isTrue();
		assertThat(Databases.supportsSkipLocked("9.1.0")).isTrue();
		assertThat(Databases.supportsSkipLocked("8.0.0")).isFalse();
		assertThat(Databases.supportsSkipLocked("5.7.44-log")).isFalse();
		assertThat(Databases.supportsSkipLocked("11.4.5-MariaDB")).isTrue();
		assertThat(Databases.supportsSkipLocked("10.11.19-MariaDB-0+deb12u1")).isTrue();
		assertThat(Databases.supportsSkipLocked("10.6.0-MariaDB")).isTrue();
		assertThat(Databases.supportsSkipLocked("5.5.5-10.6.12-MariaDB")).isTrue();
		assertThat(Databases.supportsSkipLocked("10.5.23-MariaDB")).isFalse();
		assertThat(Databases.supportsSkipLocked("5.5.5-10.5.23-MariaDB")).isFalse();
		assertThat(Databases.supportsSkipLocked("unknown")).isFalse();
	}

}
