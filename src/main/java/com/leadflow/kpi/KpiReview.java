package com.leadflow.kpi;

import java.time.Instant;
import java.time.LocalDate;

/** A manager's review of a period: what they saw and the recovery plan (rep null = the team). */
public record KpiReview(String id, LocalDate from, LocalDate to, String rep, String note, String recoveryPlan,
		String createdBy, Instant createdAt) {

}
