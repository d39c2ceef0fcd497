package com.leadflow.leads;

import com.leadflow.actions.NextActionService;
import com.leadflow.common.Clock;
import com.leadflow.common.ConflictException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.process.LeadProcessService;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Events reported from outside the cadence: a lost deal moves the lead into recycling (also an
 * opportunity, whose process had ended), do-not-contact closes it. The open action is cancelled
 * and the process decides the next one in the same transaction.
 */
@Service
public class LeadMoves {

	private final LeadRepository leads;

	private final LeadEvents events;

	private final NextActionService actions;

	private final LeadProcessService processes;

	LeadMoves(LeadRepository leads, LeadEvents events, NextActionService actions, LeadProcessService processes) {
		this.leads = leads;
		this.events = events;
		this.actions = actions;
		this.processes = processes;
	}

	@Transactional
	public void apply(String leadId, LeadEventRequest request, String by) {
		Lead lead = leads.findByIdForUpdate(leadId).orElseThrow(() -> new NotFoundException("No lead " + leadId + "."));
		switch (request.type()) {
			case DEAL_LOST -> dealLost(lead, request, by);
			case DO_NOT_CONTACT -> doNotContact(lead, request, by);
		}
	}

	private void dealLost(Lead lead, LeadEventRequest request, String by) {
		if (request.reason() == null || request.reason() == LossReason.PARKED) {
			throw new InvalidRequestException("reason", "is required for DEAL_LOST: PENDING, COMPETITOR, MISMATCH or OTHER");
		}
		if (lead.status() == LeadStatus.CLOSED) {
			throw new ConflictException("The lead is closed" + (lead.doNotContact() ? " (do not contact)" : "")
					+ " and cannot be recycled.");
		}
		if (isRetryOfLastDealLost(lead, request.reason())) {
			return; // a client's retry: the lead is in recycling for this reason already, nothing happened since
		}
		events.record(lead.id(), LeadEventType.DEAL_LOST)
			.by(by)
			.creditedTo(lead.owner())
			.outcome(request.reason().name())
			.route(lead.route())
			.note(request.note())
			.save();
		actions.cancelOpen(lead.id(), by);
		if (processes.isRunning(lead.id())) {
			processes.dealLost(lead.id(), request.reason().name());
		}
		else {
			// An opportunity's process has ended: the lead starts over on the recycle route.
			leads.updateRoute(lead.id(), Route.RECYCLE, request.reason().name(), Clock.now());
			leads.updateStatus(lead.id(), LeadStatus.ACTIVE, Clock.now());
			events.record(lead.id(), LeadEventType.ROUTE_CHANGED)
				.route(Route.RECYCLE)
				.outcome(request.reason().name())
				.note(lead.route() + " → RECYCLE: deal lost: " + request.reason())
				.save();
			processes.start(leads.findById(lead.id()).orElseThrow());
		}
	}

	/**
	 * The lead is on the recycle route and its newest event (route changes aside, which the loss itself
	 * writes) is a DEAL_LOST for the same reason: the same report again, which must not record a second
	 * loss nor push the re-approach back.
	 */
	private boolean isRetryOfLastDealLost(Lead lead, LossReason reason) {
		if (lead.route() != Route.RECYCLE) {
			return false;
		}
		return events.latest(lead.id(), 5)
			.stream()
			.filter(e -> e.type() != LeadEventType.ROUTE_CHANGED)
			.findFirst()
			.filter(e -> e.type() == LeadEventType.DEAL_LOST && reason.name().equals(e.outcome()))
			.isPresent();
	}

	private void doNotContact(Lead lead, LeadEventRequest request, String by) {
		if (lead.status() == LeadStatus.CLOSED && lead.doNotContact()) {
			return;
		}
		actions.cancelOpen(lead.id(), by);
		if (processes.isRunning(lead.id())) {
			processes.doNotContact(lead.id(), by, request.note());
		}
		else {
			leads.close(lead.id(), true, Clock.now());
			events.record(lead.id(), LeadEventType.CLOSED).by(by).outcome("DO_NOT_CONTACT").route(lead.route())
				.note(request.note()).save();
		}
	}

}
