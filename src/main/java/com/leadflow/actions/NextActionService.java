package com.leadflow.actions;

import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.leadflow.common.Clock;
import com.leadflow.common.ConflictException;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.Ids;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventType;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.LeadView;
import com.leadflow.mail.LeadMail;
import com.leadflow.mail.MailKind;
import com.leadflow.mail.MailNotices;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.process.LeadProcessService;
import com.leadflow.scheduling.ActionPlanner;
import com.leadflow.security.CurrentUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opens, completes and cancels next actions. Completing one records the outcome, lets the
 * process decide the lead's next action and checks the invariant, all in one transaction: a
 * non-terminal lead leaves with exactly one open action or nothing changes.
 */
@Service
public class NextActionService {

	private final NextActionRepository actions;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final ActionPlanner planner;

	private final LeadProcessService processes;

	private final LeadMail mail;

	private final MailNotices notices;

	private final LeadQueries queries;

	NextActionService(NextActionRepository actions, LeadRepository leads, LeadEvents events, ActionPlanner planner,
			LeadProcessService processes, LeadMail mail, MailNotices notices, LeadQueries queries) {
		this.actions = actions;
		this.leads = leads;
		this.events = events;
		this.planner = planner;
		this.processes = processes;
		this.mail = mail;
		this.notices = notices;
		this.queries = queries;
	}

	/** Opens the lead's next action in the projection (called by the process step that planned it). */
	public NextAction open(String leadId, ActionType type, Instant dueAt, String assignee, String candidateGroup,
			String content, String note, boolean generated, String processInstanceId) {
		NextAction action = new NextAction(Ids.newId(), leadId, type, ActionStatus.OPEN, dueAt, assignee, candidateGroup,
				content, note, generated, processInstanceId, null, Clock.now(), null, null, null);
		actions.insertOpen(action);
		return action;
	}

	public void attachTask(String actionId, String taskId) {
		actions.attachTask(actionId, taskId);
	}

	/** The automated content step of an action went out on its due date. */
	public void contentSent(String actionId) {
		NextAction action = actions.findById(actionId).orElseThrow();
		if (!actions.markDone(actionId, Outcome.SENT.name(), null, Clock.now())) {
			return;
		}
		Lead lead = leads.findById(action.leadId()).orElseThrow();
		events.record(lead.id(), LeadEventType.CONTENT_SENT)
			.actionType(ActionType.CONTENT.name())
			.outcome(Outcome.SENT.name())
			.route(lead.route())
			.note(action.content())
			.save();
		// Into the outbox in the job's transaction: a job that rolls back (and runs again) queues no second mail.
		mail.sendContent(lead, action.content());
	}

	/** An action is overdue beyond the escalation span: recorded on the lead for managers and the audit. */
	public void escalateOverdue(String actionId) {
		NextAction action = actions.findById(actionId).orElseThrow();
		if (!action.isOpen()) {
			return;
		}
		Lead lead = leads.findById(action.leadId()).orElseThrow();
		events.record(lead.id(), LeadEventType.ESCALATED)
			.actionType(action.type().name())
			.creditedTo(action.assignee())
			.route(lead.route())
			.note(action.type() + " due " + action.dueAt() + " assigned to "
					+ (action.assignee() != null ? action.assignee() : "the " + action.candidateGroup() + " group") + " is overdue")
			.save();
		notices.escalation(lead, action.type().name(), action.dueAt(), action.assignee(), action.candidateGroup());
	}

	/**
	 * Hands an open action (and its lead) to another rep, in the projection and in the engine alike;
	 * false when the action was completed or cancelled meanwhile (its task is gone: nothing to move).
	 */
	@Transactional
	public boolean reassign(NextAction listed, String to, String by) {
		Lead lead = leads.findByIdForUpdate(listed.leadId()).orElseThrow();
		NextAction action = actions.findById(listed.id()).orElseThrow();
		if (!action.isOpen()) {
			return false;
		}
		actions.assign(action.id(), to);
		if (action.taskId() != null) {
			processes.setTaskAssignee(action.taskId(), to);
		}
		if (action.candidateGroup() == null) {
			leads.updateOwner(lead.id(), to, Clock.now());
		}
		events.record(lead.id(), LeadEventType.REASSIGNED)
			.by(by)
			.creditedTo(to)
			.route(lead.route())
			.note(action.type() + " due " + action.dueAt() + ": " + action.assignee() + " → " + to)
			.save();
		return true;
	}

	/** Cancels the lead's open action (its route is interrupted); returns how many were open. */
	public int cancelOpen(String leadId, String by) {
		return actions.cancelOpen(leadId, by, Clock.now());
	}

	@Transactional(readOnly = true)
	public List<NextAction> inbox(String assignee, List<String> groups, Instant dueBefore, int limit, long offset) {
		return actions.inbox(assignee, groups, dueBefore, limit, offset);
	}

	/** Open actions of a user due in [{@code dueFrom}, {@code dueBefore}) (null = open), soonest first. */
	@Transactional(readOnly = true)
	public List<NextAction> inbox(String assignee, List<String> groups, Instant dueFrom, Instant dueBefore, int limit) {
		return actions.inbox(assignee, groups, dueFrom, dueBefore, limit, 0);
	}

	/** How many of those there are, up to {@code cap + 1}. */
	@Transactional(readOnly = true)
	public int countInbox(String assignee, List<String> groups, Instant dueFrom, Instant dueBefore, int cap) {
		return actions.countInbox(assignee, groups, dueFrom, dueBefore, cap);
	}

	/**
	 * Completes as {@link #complete} does and reads the lead's view for the API's answer in the same
	 * transaction: one transaction per API call instead of a second, read-only one after it.
	 */
	@Transactional
	public LeadView completeAndView(String actionId, CompletionRequest request, CurrentUser user) {
		return queries.view(complete(actionId, request, user), false, false);
	}

	/** Completes an action with its outcome; the lead's next action is created before this returns. */
	@Transactional
	public String complete(String actionId, CompletionRequest request, CurrentUser user) {
		NextAction action = actions.findById(actionId)
			.orElseThrow(() -> new NotFoundException("No next action " + actionId + "."));
		// Lock the lead: completions, route moves and escalations of one lead run one after another.
		Lead lead = leads.findByIdForUpdate(action.leadId()).orElseThrow();
		action = actions.findById(actionId).orElseThrow();
		if (!action.isOpen()) {
			// Someone else's action stays a 403 once done: its state is none of the caller's business.
			if (!isTheirs(action, user)) {
				throw new ForbiddenException("This action belongs to someone else.");
			}
			throw new ConflictException("This action is already " + action.status().name().toLowerCase() + ".");
		}
		checkMayComplete(action, user);
		Instant now = Clock.now();
		Map<String, Object> vars = validate(action, lead, request, now);
		Optional<LeadMail.Draft> email = emailOf(action, lead, request, user);

		if (!actions.markDone(actionId, request.outcome().name(), user.id(), now)) {
			throw new ConflictException("This action was completed by someone else just now.");
		}
		recordOutcome(action, lead, request, user, now);
		// The send is the completion: queued in this transaction, so it goes out if and only if the completion commits.
		email.ifPresent(draft -> mail.send(draft, MailKind.LEAD_EMAIL));
		if (action.type() == ActionType.CONTENT) {
			processes.completeContentStep(action.processInstanceId(), vars);
		}
		else {
			processes.completeTask(action.taskId(), vars);
		}
		checkInvariant(lead.id());
		return lead.id();
	}

	/** The email an EMAIL or CONTENT action completed with SENT sends; a 400 for an email with any other outcome. */
	private Optional<LeadMail.Draft> emailOf(NextAction action, Lead lead, CompletionRequest request,
			CurrentUser user) {
		boolean sends = request.outcome() == Outcome.SENT
				&& (action.type() == ActionType.EMAIL || action.type() == ActionType.CONTENT);
		CompletionRequest.Email email = request.email();
		if (!sends) {
			if (email != null) {
				throw new InvalidRequestException("email", "is sent only with the outcome SENT of an EMAIL or CONTENT action");
			}
			return Optional.empty();
		}
		return mail.draft(lead, LeadMail.templateFor(email == null ? null : email.template(), action.content()),
				email == null ? null : email.subject(), email == null ? null : email.body(), user.id(), email != null);
	}

	/**
	 * The action is the user's to complete, or was (done meanwhile): a manager's, its assignee's, or one
	 * of its group's. Someone else's action stays a 403 whatever its state.
	 */
	public static boolean isTheirs(NextAction action, CurrentUser user) {
		return user.isManager() || user.id().equals(action.assignee())
				|| (action.candidateGroup() != null && user.isIn(action.candidateGroup()));
	}

	private void checkMayComplete(NextAction action, CurrentUser user) {
		if (user.isManager() || user.id().equals(action.assignee())) {
			return;
		}
		if (action.assignee() == null && action.candidateGroup() != null && user.isIn(action.candidateGroup())) {
			actions.assign(action.id(), user.id());
			return;
		}
		throw new ForbiddenException("This action belongs to someone else.");
	}

	private Map<String, Object> validate(NextAction action, Lead lead, CompletionRequest request, Instant now) {
		Outcome outcome = request.outcome();
		if (!outcome.isValidFor(action.type())) {
			throw new InvalidRequestException("outcome", "is not valid for actions of type " + action.type() + "; allowed: "
					+ Outcome.validFor(action.type()), "error.outcome.notValid", action.type().label());
		}
		Map<String, Object> vars = new HashMap<>();
		vars.put(Vars.LAST_OUTCOME, outcome.name());
		if (outcome == Outcome.MEETING_SET) {
			if (request.meetingAt() == null) {
				throw new InvalidRequestException("meetingAt", "is required when the outcome is MEETING_SET",
						"error.meetingAt.required");
			}
			if (!request.meetingAt().isAfter(now)) {
				throw new InvalidRequestException("meetingAt", "must be in the future", "error.time.past");
			}
			planner.checkHorizon("meetingAt", request.meetingAt(), now);
			vars.put(Vars.MEETING_AT, Date.from(request.meetingAt()));
		}
		if (outcome == Outcome.CALLBACK && request.next() == null) {
			throw new InvalidRequestException("next", "is required for a CALLBACK: when should the rep call back?",
					"error.next.callback");
		}
		boolean leadContinues = !outcome.closesLead() && outcome != Outcome.MEETING_SET
				&& action.type() != ActionType.MEETING;
		if (request.next() != null && leadContinues) {
			if (request.next().type() == ActionType.MEETING) {
				throw new InvalidRequestException("next.type", "a meeting is set with the outcome MEETING_SET, not as a next action",
						"error.next.meeting");
			}
			if (outcome == Outcome.CALLBACK && request.next().type() != ActionType.CALL) {
				throw new InvalidRequestException("next.type", "must be CALL for a callback", "error.next.callbackCall");
			}
			request.next().type().checkReaches("next.type", lead);
			planner.checkChosenTime("next.dueAt", request.next().dueAt(), now, lead.zone());
			vars.put(Vars.OVERRIDE_TYPE, request.next().type().name());
			vars.put(Vars.OVERRIDE_DUE_AT, Date.from(request.next().dueAt()));
			vars.put(Vars.OVERRIDE_NOTE, request.next().note());
		}
		return vars;
	}

	private void recordOutcome(NextAction action, Lead lead, CompletionRequest request, CurrentUser user, Instant now) {
		Outcome outcome = request.outcome();
		LeadEvents.Builder event = events.record(lead.id(), action.type() == ActionType.MEETING
				? LeadEventType.MEETING_HELD : LeadEventType.ACTION_COMPLETED)
			.at(now)
			.actionType(action.type().name())
			.outcome(outcome.name())
			.by(user.id())
			.route(lead.route())
			.hearing(request.hearing())
			.note(request.note());
		if (action.type() == ActionType.MEETING) {
			event.creditedTo(events.lastMeetingSetter(lead.id()).orElse(lead.owner()));
		}
		event.save();
		int hearingItems = request.hearing() == null ? 0
				: (int) request.hearing().values().stream().filter(v -> v != null && !v.isBlank()).count();
		boolean individualTouch = (action.type() == ActionType.CALL && outcome.isContact())
				|| ((action.type() == ActionType.EMAIL || action.type() == ActionType.CONTENT) && outcome == Outcome.SENT);
		leads.recordTouch(lead.id(), now, hearingItems, individualTouch);
	}

	private void checkInvariant(String leadId) {
		Lead after = leads.findById(leadId).orElseThrow();
		if (!after.status().isTerminal() && actions.findOpenByLead(leadId).isEmpty()) {
			throw new IllegalStateException("Lead " + leadId + " would be left without a next action; rolled back.");
		}
	}

}
