package com.leadflow.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.common.ConflictException;
import com.leadflow.common.Ids;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.LeadStatus;
import com.leadflow.process.LeadProcessService;
import com.leadflow.scheduling.ActionPlanner;
import com.leadflow.scheduling.OwnerAssignment;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The manager's audit: leads that do not really have one open next action (the projection
 * checked against the engine), overdue, untouched, orphaned and failed work — and the fixes.
 */
@Service
public class AuditService {

	private final AuditRepository audit;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final NextActionRepository actions;

	private final NextActionService actionService;

	private final LeadProcessService processes;

	private final ActionPlanner planner;

	private final OwnerAssignment assignment;

	private final AuditProperties properties;

	AuditService(AuditRepository audit, LeadRepository leads, LeadEvents events, NextActionRepository actions,
			NextActionService actionService, LeadProcessService processes, ActionPlanner planner,
			OwnerAssignment assignment, AuditProperties properties) {
		this.audit = audit;
		this.leads = leads;
		this.events = events;
		this.actions = actions;
		this.actionService = actionService;
		this.processes = processes;
		this.planner = planner;
		this.assignment = assignment;
		this.properties = properties;
	}

	/** GET /api/audit (API.md), extended with leads of inactive owners and the time of the check. */
	public record Summary(long activeLeads, long withoutNextAction, long overdue, long untouched90d, long incidents,
			long inactiveOwners, Instant checkedAt) {
	}

	@Transactional(readOnly = true)
	public Summary summary() {
		Instant now = Clock.now();
		return new Summary(audit.activeLeads(), findings(null, null).size(), audit.overdue(now),
				audit.untouched(untouchedBefore(now)), audit.incidents(), audit.countInactiveOwnerLeads(null, null), now);
	}

	/** One finding per lead (the most fundamental reason), by lead id. */
	@Transactional(readOnly = true)
	public List<Finding> findings(String owner, String route) {
		Map<String, Finding> byLead = new LinkedHashMap<>();
		for (Finding finding : audit.findings(owner, route)) {
			byLead.merge(finding.leadId(), finding,
					(a, b) -> a.reason().ordinal() <= b.reason().ordinal() ? a : b);
		}
		List<Finding> list = new ArrayList<>(byLead.values());
		list.sort(Comparator.comparing(Finding::leadId));
		return list;
	}

	@Transactional(readOnly = true)
	public Page<AuditRepository.Overdue> overdue(String owner, String route, int page, int size) {
		Instant now = Clock.now();
		return new Page<>(audit.overdueActions(now, owner, route, size, (long) page * size), page, size,
				audit.countOverdue(now, owner, route));
	}

	/** Open overdue actions per owner of the lead, most first. */
	@Transactional(readOnly = true)
	public List<AuditRepository.OwnerCount> overdueByOwner(String route) {
		return audit.overdueByOwner(Clock.now(), route);
	}

	@Transactional(readOnly = true)
	public Page<AuditRepository.Untouched> untouched(String owner, String route, int page, int size) {
		Instant before = untouchedBefore(Clock.now());
		return new Page<>(audit.untouchedLeads(before, owner, route, size, (long) page * size), page, size,
				audit.countUntouched(before, owner, route));
	}

	@Transactional(readOnly = true)
	public Page<AuditRepository.Untouched> inactiveOwners(String owner, String route, int page, int size) {
		return new Page<>(audit.inactiveOwnerLeads(owner, route, size, (long) page * size), page, size,
				audit.countInactiveOwnerLeads(owner, route));
	}

	@Transactional(readOnly = true)
	public Page<AuditRepository.Incident> incidents(int page, int size) {
		return new Page<>(audit.incidentList(size, (long) page * size), page, size, audit.incidents());
	}

	/** A page of a list. */
	public record Page<T>(List<T> content, int page, int size, long totalElements) {
	}

	/**
	 * Gives a lead that lost its next action a new one chosen by a manager: whatever is left of its
	 * process is removed and the lead process starts again on the lead's route with that action.
	 */
	@Transactional
	public void repair(String leadId, ActionType type, Instant dueAt, String assignee, String by) {
		Lead lead = leads.findByIdForUpdate(leadId).orElseThrow(() -> new NotFoundException("No lead " + leadId + "."));
		if (lead.status().isTerminal()) {
			throw new ConflictException("The lead is " + lead.status() + ": it needs no next action.");
		}
		if (type == ActionType.MEETING) {
			throw new InvalidRequestException("type", "must be CALL, EMAIL or CONTENT; a meeting is set by a call outcome");
		}
		String owner = assignee == null ? lead.owner() : assignee;
		if (!assignment.isActiveRep(owner)) {
			throw new InvalidRequestException("assignee", "'" + owner + "' is not an active rep");
		}
		Instant now = Clock.now();
		planner.checkChosenTime("dueAt", dueAt, now, lead.zone());
		actions.cancelOpen(leadId, by, now);
		processes.deleteLeadProcesses(leadId, "audit repair by " + by);
		if (!owner.equals(lead.owner())) {
			leads.updateOwner(leadId, owner, now);
		}
		if (lead.status() == LeadStatus.HANDED_OFF) {
			leads.updateStatus(leadId, LeadStatus.ACTIVE, now);
		}
		events.record(leadId, LeadEventType.REASSIGNED)
			.by(by)
			.creditedTo(owner)
			.route(lead.route())
			.note("audit repair: new " + type + " due " + dueAt + " for " + owner)
			.save();
		processes.restart(leads.findById(leadId).orElseThrow(), type.name(), dueAt);
		if (actions.findOpenByLead(leadId).isEmpty()) {
			throw new IllegalStateException("repair left lead " + leadId + " without a next action");
		}
	}

	/** Moves every open action of {@code from} to {@code to}, or spreads them over the other active reps. */
	@Transactional
	public int reassign(String from, String to, boolean spread, String by) {
		if ((to == null) == !spread) {
			throw new InvalidRequestException("to", "name the rep to take over, or ask to spread over the team");
		}
		if (to != null && !assignment.isActiveRep(to)) {
			throw new InvalidRequestException("to", "'" + to + "' is not an active rep");
		}
		if (to != null && to.equals(from)) {
			throw new InvalidRequestException("to", "must differ from 'from'");
		}
		List<NextAction> open = actions.openAssignedTo(from);
		Instant now = Clock.now();
		int moved = 0;
		for (NextAction action : open) {
			String target = spread ? assignment.pickOwnerExcept(from, now)
				.orElseThrow(() -> new InvalidRequestException("spread", "no other active rep to spread over")) : to;
			if (actionService.reassign(action, target, by)) {
				moved++;
			}
		}
		return moved;
	}

	/** Gives a failed job one more try; the job executor picks it up. */
	@Transactional
	public String retryIncident(String incidentId, String by) {
		return processes.retryIncident(incidentId)
			.orElseThrow(() -> new NotFoundException("No open incident " + incidentId + "."));
	}

	/** The consistency check: records the drift it finds, so the audit never relies on one code path. */
	@Transactional
	public AuditRun check(String by) {
		Instant started = Clock.now();
		List<Finding> drift = findings(null, null);
		long active = audit.activeLeads();
		long incidents = audit.incidents();
		String id = Ids.newId();
		audit.saveRun(id, started, Clock.now(), active, drift.size(), incidents, by, drift);
		return new AuditRun(id, started, active, drift.size(), incidents, drift);
	}

	/** One run of the consistency check. */
	public record AuditRun(String id, Instant at, long activeLeads, long withoutNextAction, long incidents,
			List<Finding> findings) {
	}

	static boolean isRoute(String route) {
		return java.util.Arrays.stream(com.leadflow.leads.Route.values()).anyMatch(r -> r.name().equals(route));
	}

	private Instant untouchedBefore(Instant now) {
		return now.minus(Duration.ofDays(properties.touchIntervalDays()));
	}

}
