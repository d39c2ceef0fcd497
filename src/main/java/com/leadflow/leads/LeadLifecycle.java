package com.leadflow.leads;

import java.time.Instant;

import com.leadflow.common.Clock;
import com.leadflow.mail.MailNotices;

import org.springframework.stereotype.Service;

/**
 * Status and route changes of a lead, each recorded in its history. Called by the process
 * steps, so a change happens in the transaction of the step that decided it.
 */
@Service
public class LeadLifecycle {

	private final LeadRepository leads;

	private final LeadEvents events;

	private final MailNotices notices;

	LeadLifecycle(LeadRepository leads, LeadEvents events, MailNotices notices) {
		this.leads = leads;
		this.events = events;
		this.notices = notices;
	}

	public void handOff(String leadId, Instant meetingAt) {
		Lead lead = leads.findById(leadId).orElseThrow();
		String setter = events.lastMeetingSetter(leadId).orElse(lead.owner());
		leads.updateStatus(leadId, LeadStatus.HANDED_OFF, Clock.now());
		events.record(leadId, LeadEventType.HANDED_OFF)
			.by(setter)
			.route(lead.route())
			.note("meeting at " + meetingAt)
			.save();
		// Sales learns of the meeting by mail (outbox row in this transaction) as well as in its inbox.
		notices.handOff(leadId, meetingAt, setter);
	}

	public void returnToNurture(String leadId) {
		changeRoute(leadId, Route.NURTURE, null, "no opportunity: back to nurturing");
		leads.updateStatus(leadId, LeadStatus.ACTIVE, Clock.now());
	}

	public void parkIntoRecycle(String leadId) {
		changeRoute(leadId, Route.RECYCLE, LossReason.PARKED.name(), "parked after the outbound attempts");
	}

	public void moveToRecycle(String leadId, String lossReason) {
		changeRoute(leadId, Route.RECYCLE, lossReason, "deal lost: " + lossReason);
		leads.updateStatus(leadId, LeadStatus.ACTIVE, Clock.now());
	}

	public void markOpportunity(String leadId) {
		Lead lead = leads.findById(leadId).orElseThrow();
		leads.updateStatus(leadId, LeadStatus.OPPORTUNITY, Clock.now());
		events.record(leadId, LeadEventType.OPPORTUNITY)
			.creditedTo(events.lastMeetingSetter(leadId).orElse(lead.owner()))
			.route(lead.route())
			.save();
	}

	public void close(String leadId, boolean doNotContact, String reason, String by, String note) {
		Lead lead = leads.findById(leadId).orElseThrow();
		leads.close(leadId, doNotContact, Clock.now());
		events.record(leadId, LeadEventType.CLOSED).by(by).outcome(reason).route(lead.route()).note(note).save();
	}

	private void changeRoute(String leadId, Route route, String lossReason, String note) {
		Lead lead = leads.findById(leadId).orElseThrow();
		leads.updateRoute(leadId, route, lossReason, Clock.now());
		events.record(leadId, LeadEventType.ROUTE_CHANGED).route(route).outcome(lossReason).note(
				lead.route() + " → " + route + ": " + note).save();
	}

}
