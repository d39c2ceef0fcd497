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
 * @param refreshBatch how many changed leads one re-check compares with the engine at once
 * @param refreshBudget how long a request ({@code GET /api/audit}, no-next-action, the audit page) may spend
 *        re-checking changed leads before it answers (whole batches; the rest is reported as unchecked)
 * @param refreshInterval how often the background re-check of changed leads runs
 * @param refreshWorkerEnabled whether the background re-check runs on this node
 */
@ConfigurationProperties("leadflow.audit")
public record AuditProperties(@DefaultValue("90") int touchIntervalDays, @DefaultValue("PT10M") Duration checkInterval,
		@DefaultValue("08:30") LocalTime alertTime, @DefaultValue("true") boolean alertsEnabled,
		@DefaultValue("500") int refreshBatch, @DefaultValue("PT0.1S") Duration refreshBudget,
		@DefaultValue("PT5S") Duration refreshInterval, @DefaultValue("true") boolean refreshWorkerEnabled) {

}
