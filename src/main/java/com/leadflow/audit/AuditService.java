package com.leadflow.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
import com.leadflow.security.UserDirectory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The manager's audit: leads that do not really have one open next action (the projection
 * checked against the engine), overdue, untouched, orphaned and failed work — and the fixes.
 *
 * <p>Kept incrementally so it answers in milliseconds at a million leads: the engine marks the leads
 * whose processes changed ({@link AuditTrackingPlugin}), {@link #refresh} compares only those with
 * the engine (the same set-based comparisons as the full check, restricted to their ids) and stores
 * the findings; counts come from counters kept in the transactions that change leads and actions
 * ({@link AuditLedger}). The scheduled {@link #check} still compares everything, repairs the stored
 * findings and the counters, and records what it had to repair.
 */
@Service
public class AuditService {

	private static final Logger log = LoggerFactory.getLogger(AuditService.class);

	/** A bounded count of the leads still waiting for their re-check is reported up to this many. */
	static final int PENDING_CAP = 10_000;

	private final AuditRepository audit;

	private final FindingStore store;

	private final AuditCounters counters;

	private final AuditLedger ledger;

	private final TransactionTemplate tx;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final NextActionRepository actions;

	private final NextActionService actionService;

	private final LeadProcessService processes;

	private final ActionPlanner planner;

	private final OwnerAssignment assignment;

	private final UserDirectory users;

	private final AuditProperties properties;

	AuditService(AuditRepository audit, FindingStore store, AuditCounters counters, AuditLedger ledger,
			TransactionTemplate tx, LeadRepository leads, LeadEvents events, NextActionRepository actions,
			NextActionService actionService, LeadProcessService processes, ActionPlanner planner,
			OwnerAssignment assignment, UserDirectory users, AuditProperties properties) {
		this.audit = audit;
		this.store = store;
		this.counters = counters;
		this.ledger = ledger;
		this.tx = tx;
		this.leads = leads;
		this.events = events;
		this.actions = actions;
		this.actionService = actionService;
		this.processes = processes;
		this.planner = planner;
		this.assignment = assignment;
		this.users = users;
		this.properties = properties;
	}

	/**
	 * GET /api/audit (API.md), extended with leads of inactive owners, the time of the answer, how many
	 * changed leads were still waiting for their re-check ({@code uncheckedLeads}, counted up to
	 * {@value #PENDING_CAP}; 0 = every change made before the answer is in it) and when the full
	 * consistency check last ran ({@code fullCheckAt}, null before the first).
	 */
	public record Summary(long activeLeads, long withoutNextAction, long overdue, long untouched90d, long incidents,
			long inactiveOwners, Instant checkedAt, long uncheckedLeads, Instant fullCheckAt) {
	}

	public Summary summary() {
		Refresh refresh = refresh(properties.refreshBudget());
		Instant now = Clock.now();
		return new Summary(counters.activeLeads(), store.count(null, null), counters.overdue(now),
				counters.untouched(untouchedBefore(now)), audit.incidents(), counters.inactiveOwnerLeads(), now,
				refresh.pending(), audit.lastRunAt());
	}

	/** A page of the leads without a real next action (one finding per lead, the most fundamental reason), by lead id. */
	public Page<Finding> findings(String owner, String route, int page, int size) {
		refresh(properties.refreshBudget());
		return new Page<>(store.page(owner, route, size, (long) page * size), page, size, store.count(owner, route));
	}

	/** What one call of {@link #refresh} did: leads re-checked, and leads still marked (bounded count). */
	public record Refresh(int checked, long pending) {
	}

	/**
	 * Compares the dirty leads with the engine, batch by batch, until none is left or the time budget
	 * is spent: each batch (in a transaction of its own, one node at a time) takes the marks off, runs
	 * the comparisons for those leads and replaces their stored findings. A mark made while a batch
	 * runs waits for it and stays for the next one, so no change is lost.
	 */
	public Refresh refresh(Duration budget) {
		long deadline = System.nanoTime() + budget.toNanos();
		int batch = properties.refreshBatch();
		int checked = 0;
		try {
			do {
				int n = refreshBatch(batch);
				checked += n;
				if (n < batch) {
					return new Refresh(checked, 0);
				}
			}
			while (System.nanoTime() < deadline);
		}
		catch (DataAccessException | TransactionException failed) {
			// Answer from what is stored; the marks stay for the next request or the refresh job.
			log.warn("Audit: re-checking changed leads failed, answering from the stored findings: {}", failed.toString());
		}
		return new Refresh(checked, store.dirtyCount(PENDING_CAP));
	}

	int refreshBatch(int limit) {
		Integer n = tx.execute(s -> {
			store.lockRefresh(AuditJobs.NODE);
			List<String> ids = store.dirty(limit);
			if (ids.isEmpty()) {
				return 0;
			}
			store.clearDirty(ids);
			store.replace(ids, mostFundamental(audit.findingsOf(ids)), Clock.now());
			return ids.size();
		});
		return n == null ? 0 : n;
	}

	/** The full comparison, live (no stored findings): one finding per lead, the most fundamental reason, by lead id. */
	List<Finding> compareAll() {
		return mostFundamental(audit.findings(null, null));
	}

	static List<Finding> mostFundamental(List<Finding> findings) {
		Map<String, Finding> byLead = new LinkedHashMap<>();
		for (Finding finding : findings) {
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
		type.checkReaches("type", lead);
		String owner = assignee == null ? lead.owner() : assignee;
		if (!assignment.isActiveRep(owner)) {
			throw new InvalidRequestException("assignee", "'" + owner + "' is not an active rep", "audit.error.notActiveRep",
					owner);
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
		// Checked again at once: a CONTENT action is a timer, which (unlike a task) marks nothing itself.
		ledger.markDirty(leadId);
		if (actions.findOpenByLead(leadId).isEmpty()) {
			throw new IllegalStateException("repair left lead " + leadId + " without a next action");
		}
	}

	/**
	 * Moves every open action of {@code from} to {@code to}, or spreads them over the other active reps.
	 * {@code from} must be a user or still hold open actions (a user deleted from the identity service).
	 */
	@Transactional
	public int reassign(String from, String to, boolean spread, String by) {
		if ((to == null) == !spread) {
			throw new InvalidRequestException("to", "name the rep to take over, or ask to spread over the team");
		}
		if (to != null && !assignment.isActiveRep(to)) {
			throw new InvalidRequestException("to", "'" + to + "' is not an active rep", "audit.error.notActiveRep", to);
		}
		if (to != null && to.equals(from)) {
			throw new InvalidRequestException("to", "must differ from 'from'");
		}
		List<NextAction> open = actions.openAssignedTo(from);
		// A user deleted from the identity service may still hold work: that is what this fix is for.
		if (open.isEmpty() && !users.exists(from)) {
			throw new InvalidRequestException("from", "there is no user '" + from + "' and no open action is assigned to it",
					"audit.error.from.unknown", from);
		}
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

	/**
	 * The consistency check, so the audit never relies on one code path: compares every active lead
	 * with the engine (the full set-based comparison) and records the drift found; then repairs the
	 * stored findings — every lead where they differ is marked and re-checked — and counts as
	 * {@code untracked} the findings the incremental tracking had neither stored nor marked (a lead
	 * changed while the check ran can also land there); then recounts the counters and corrects each
	 * one that differs ({@code counterCorrections}).
	 */
	public AuditRun check(String by) {
		Instant started = Clock.now();
		List<Finding> drift = compareAll();
		long active = audit.activeLeads();
		long incidents = audit.incidents();
		Map<String, Finding.Reason> stored = store.all();
		Set<String> differ = new TreeSet<>();
		Set<String> missed = new TreeSet<>();
		for (Finding finding : drift) {
			if (stored.remove(finding.leadId()) != finding.reason()) {
				differ.add(finding.leadId());
				missed.add(finding.leadId());
			}
		}
		differ.addAll(stored.keySet());
		missed.removeAll(store.dirtyAmong(missed));
		for (List<String> chunk : FindingStore.chunks(differ)) {
			tx.executeWithoutResult(s -> chunk.forEach(ledger::markDirty));
		}
		Refresh refresh = refresh(properties.checkInterval().dividedBy(2));
		long corrections = correctCounters();
		String id = Ids.newId();
		tx.executeWithoutResult(s -> audit.saveRun(id, started, Clock.now(), active, drift.size(), incidents, by, drift,
				missed.size(), corrections));
		if (!missed.isEmpty() || corrections > 0 || refresh.pending() > 0) {
			log.warn("Audit check: {} findings were not tracked incrementally, {} counters corrected, {} leads still to re-check",
					missed.size(), corrections, refresh.pending());
		}
		return new AuditRun(id, started, active, drift.size(), incidents, drift, missed.size(), corrections);
	}

	/** Recounts the counters; corrects (under their lock) each one that differs, and drops empty ones. */
	long correctCounters() {
		Map<AuditCounters.Key, Long> stored = counters.stored();
		Map<AuditCounters.Key, Long> counted = counters.recount();
		long corrected = 0;
		for (AuditCounters.Key key : AuditCounters.differing(stored, counted)) {
			Long difference = tx.execute(s -> counters.correct(key));
			if (difference != null && difference != 0) {
				corrected++;
				log.warn("Audit counter {} was off by {}; corrected", key, -difference);
			}
		}
		for (AuditCounters.Key key : counters.empty(1000)) {
			tx.execute(s -> counters.correct(key));
		}
		return corrected;
	}

	/** One run of the consistency check. */
	public record AuditRun(String id, Instant at, long activeLeads, long withoutNextAction, long incidents,
			List<Finding> findings, long untracked, long counterCorrections) {
	}

	static boolean isRoute(String route) {
		return java.util.Arrays.stream(com.leadflow.leads.Route.values()).anyMatch(r -> r.name().equals(route));
	}

	private Instant untouchedBefore(Instant now) {
		return now.minus(Duration.ofDays(properties.touchIntervalDays()));
	}

}
