package com.leadflow.leads;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * One entry of a lead's history, also a KPI fact: who did what, credited to whom, on which day
 * of the team's calendar.
 */
public record LeadEvent(String id, String leadId, Instant at, LocalDate day, LeadEventType type, String actionType,
		String outcome, String by, String creditedTo, Route route, int hearingCount, Map<String, String> hearing,
		String note) {

}
