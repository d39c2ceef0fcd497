package com.leadflow.scheduling;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How generated actions are spread and escalated ({@code leadflow.scheduling.*}).
 *
 * @param defaultDailyCapacity generated calls per rep and working day, unless the rep has its own
 * @param assignmentHorizonWorkingDays the window of open actions that decides the least-loaded rep
 * @param overdueEscalationWorkingDays how long an action may be overdue before managers are told
 */
@ConfigurationProperties("leadflow.scheduling")
public record SchedulingProperties(@DefaultValue("50") int defaultDailyCapacity,
		@DefaultValue("5") int assignmentHorizonWorkingDays, @DefaultValue("2") int overdueEscalationWorkingDays) {
}
