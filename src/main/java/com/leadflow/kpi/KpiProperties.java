package com.leadflow.kpi;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The default targets ({@code leadflow.kpi.*}), used for any quarter without its own.
 */
@ConfigurationProperties("leadflow.kpi")
public record KpiProperties(@DefaultValue("50") int callsPerDay, @DefaultValue("0.15") double contactRate,
		@DefaultValue({ "0.10", "0.20" }) List<Double> meetingRate, @DefaultValue({ "2", "5" }) List<Double> hearingPerContact,
		@DefaultValue("90") int touchIntervalDays, @DefaultValue({ "0.33", "0.50" }) List<Double> opportunityRate) {

	KpiTargets defaults() {
		return new KpiTargets(callsPerDay, contactRate, meetingRate, hearingPerContact, touchIntervalDays, opportunityRate);
	}

}
