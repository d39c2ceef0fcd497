package com.leadflow.audit;

import java.time.Duration;
import java.time.LocalTime;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit's settings ({@code leadflow.audit.*}).
 *
 * @param touchIntervalDays a lead untouched for longer is listed
 * @param checkInterval how often the consistency check runs (one node at a time)
 * @param alertTime when the daily alert goes to managers on working days (team time zone)
 * @param alertsEnabled whether the daily alert is produced at all
 */
@ConfigurationProperties("leadflow.audit")
public record AuditProperties(@DefaultValue("90") int touchIntervalDays, @DefaultValue("PT10M") Duration checkInterval,
		@DefaultValue("08:30") LocalTime alertTime, @DefaultValue("true") boolean alertsEnabled) {

}
