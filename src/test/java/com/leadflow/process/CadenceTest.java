package com.leadflow.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CadenceTest {

	@ParameterizedTest(name = "{0}, phone {1}, email {2} -> {3}")
	@CsvSource({
			"CALL,    true,  true,  CALL",
			"CALL,    false, true,  EMAIL",
			"CALL,    true,  false, CALL",
			"EMAIL,   true,  true,  EMAIL",
			"EMAIL,   true,  false, CALL",
			"EMAIL,   false, true,  EMAIL",
			"CONTENT, true,  true,  CONTENT",
			"CONTENT, true,  false, CALL",
			"CONTENT, false, true,  CONTENT",
			"MEETING, false, true,  MEETING",
			"PARK,    true,  false, PARK" })
	void keepsTheTablesActionOnAChannelTheLeadHas(String decided, boolean hasPhone, boolean hasEmail, String expected) {
		assertThat(Cadence.reachableType(decided, hasPhone, hasEmail)).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource({ "NO_ANSWER, 2, 3", "CONTACTED, 2, 0", "SENT, 0, 0" })
	void countsUnansweredCallsInARow(String outcome, int before, int after) {
		assertThat(Cadence.attemptAfter(before, outcome)).isEqualTo(after);
	}

}
