package com.leadflow.leads;

import java.util.Set;

/** Filters of the lead list; null means "any". */
public record LeadFilter(Route route, LeadStatus status, String owner, Set<LeadStatus> statuses) {

}
