package com.leadflow.scheduling;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How generated actions are spread and escalated ({@code leadflow.scheduling.*}).
 *
 * @param defaultDailyCapacity generated calls per rep and working day, unless the rep has its own
 * @param assignmentHorizonWorkingDays the window of open actions that decides the least-loaded rep
 * @param overdueEscalationWorkingDays how long an action may be overdue before managers are told
 * @param assignmentLoadLimit how many of a rep's open actions the assignment counts at most: reps
 * holding more tie, and the round robin decides between them (keeps each intake's read bounded
 * however large an overdue backlog grows)
 */
@ConfigurationProperties("leadflow.scheduling")
public record SchedulingProperties(@DefaultValue("50") int defaultDailyCapacity,
		@DefaultValue("5") int assignmentHorizonWorkingDays, @DefaultValue("2") int overdueEscalationWorkingDays,
		@DefaultValue("500") int assignmentLoadLimit) {

	public SchedulingProperties {
		if (assignmentLoadLimit < 1) {
			throw new IllegalArgumentException("leadflow.scheduling.assignment-load-limit must be at least 1");
		}
	}

}
