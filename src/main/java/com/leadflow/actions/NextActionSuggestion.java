package com.leadflow.actions;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.leadflow.common.Clock;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.leads.Route;
import com.leadflow.process.Cadence;
import com.leadflow.process.LeadProcess;
import com.leadflow.process.LeadProcess.Vars;
import com.leadflow.scheduling.ActionPlanner;

import org.camunda.bpm.dmn.engine.DmnDecisionResultEntries;
import org.camunda.bpm.engine.DecisionService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * What the process would make of an outcome before the rep saves it: the same decision tables
 * with the same inputs as {@code DecideNextActionDelegate} (and {@code DecideRevisitDelegate} for
 * a parked outbound lead), and the due date {@link ActionPlanner#plan} would give. Nothing is
 * written; the rep sees the suggestion and may change it into an override.
 */
@Component
public class NextActionSuggestion {

	/** What follows the outcome. */
	public enum Kind {

		/** A call, email or content step for the lead's owner. */
		ACTION,
		/** The lead is handed to sales for a meeting at the time the rep sets. */
		MEETING,
		/** Terminal: sales owns the lead now. */
		OPPORTUNITY,
		/** Terminal: disqualified or do not contact. */
		CLOSED

	}

	/**
	 * @param route the route the lead will be on (it changes when an outbound lead is parked or a
	 * meeting yielded no opportunity)
	 * @param editable whether the rep may replace it by an override ({@code next} of the completion)
	 */
	public record Suggestion(Kind kind, ActionType type, Instant dueAt, String content, String assignee, Route route,
			boolean editable) {

		public boolean terminal() {
			return kind == Kind.OPPORTUNITY || kind == Kind.CLOSED;
		}
	}

	private static final String PARK = "PARK";

	private final NextActionRepository actions;

	private final LeadRepository leads;

	private final DecisionService decisions;

	private final RuntimeService runtime;

	private final ActionPlanner planner;

	NextActionSuggestion(NextActionRepository actions, LeadRepository leads, DecisionService decisions,
			RuntimeService runtime, ActionPlanner planner) {
		this.actions = actions;
		this.leads = leads;
		this.decisions = decisions;
		this.runtime = runtime;
		this.planner = planner;
	}

	/**
	 * The next action the process would plan if the open action {@code actionId} were completed now
	 * with {@code outcome} and these hearing items.
	 */
	public Suggestion suggest(String actionId, Outcome outcome, Map<String, String> hearing, Instant meetingAt) {
		NextAction action = actions.findById(actionId)
			.orElseThrow(() -> new NotFoundException("No next action " + actionId + "."));
		if (!outcome.isValidFor(action.type())) {
			throw new InvalidRequestException("outcome",
					"is not valid for actions of type " + action.type() + "; allowed: " + Outcome.validFor(action.type()),
					"error.outcome.notValid", action.type().label());
		}
		Lead lead = leads.findById(action.leadId()).orElseThrow();
		Instant now = Clock.now();
		int newHearing = hearing == null ? 0
				: (int) hearing.values().stream().filter(v -> v != null && !v.isBlank()).count();
		if (action.type() == ActionType.MEETING) {
			if (outcome == Outcome.OPPORTUNITY) {
				return new Suggestion(Kind.OPPORTUNITY, null, null, null, null, lead.route(), false);
			}
			// No opportunity: the lead returns to nurturing with a fresh attempt count (ReturnToNurtureDelegate);
			// the API ignores a next action for meetings, hence not editable.
			return decide(lead, Route.NURTURE, outcome, 0, Cadence.daysSince(lead.lastTouchAt(), now),
					lead.hearingItems() + newHearing, now, false);
		}
		if (outcome.closesLead()) {
			return new Suggestion(Kind.CLOSED, null, null, null, null, lead.route(), false);
		}
		if (outcome == Outcome.MEETING_SET) {
			return new Suggestion(Kind.MEETING, ActionType.MEETING, meetingAt, null, null, lead.route(), false);
		}
		// The same facts NextActionService writes before the process decides: a touch resets the days.
		boolean individualTouch = (action.type() == ActionType.CALL && outcome.isContact())
				|| ((action.type() == ActionType.EMAIL || action.type() == ActionType.CONTENT) && outcome == Outcome.SENT);
		int attempt = Cadence.attemptAfter(previousAttempts(action), outcome.name());
		int days = individualTouch ? 0 : Cadence.daysSince(lead.lastTouchAt(), now);
		return decide(lead, lead.route(), outcome, attempt, days, lead.hearingItems() + newHearing, now, true);
	}

	private Suggestion decide(Lead lead, Route route, Outcome outcome, int attempt, int daysSinceLastTouch,
			int hearingItems, Instant now, boolean editable) {
		Map<String, Object> inputs = new HashMap<>();
		inputs.put("route", route.name());
		inputs.put("lastOutcome", outcome.name());
		inputs.put("attempt", attempt);
		inputs.put("daysSinceLastTouch", daysSinceLastTouch);
		inputs.put("hearingItems", hearingItems);
		DmnDecisionResultEntries result = decisions.evaluateDecisionByKey(LeadProcess.DECISION_NEXT_ACTION)
			.variables(inputs)
			.evaluate()
			.getSingleResult();
		if (result == null) {
			throw new IllegalStateException("next-action decision has no rule for " + inputs);
		}
		String type = result.getEntry("actionType");
		String delay = result.getEntry("delay");
		Object content = result.get("content");
		if (PARK.equals(type)) {
			// Parked outbound leads enter recycling, whose first step is the re-approach call at the revisit date.
			DmnDecisionResultEntries revisit = decisions.evaluateDecisionByKey(LeadProcess.DECISION_RECYCLE_REVISIT)
				.variables(Map.of("lossReason", "PARKED"))
				.evaluate()
				.getSingleResult();
			if (revisit == null) {
				throw new IllegalStateException("recycle-revisit decision has no rule for PARKED");
			}
			ActionType reapproach = ActionType.valueOf(Cadence.reachableType("CALL", lead.hasPhone(), lead.hasEmail()));
			Instant due = planner.plan(now, revisit.getEntry("delay"), lead.zone(), lead.owner(),
					reapproach == ActionType.CALL);
			return new Suggestion(Kind.ACTION, reapproach, due, null, lead.owner(), Route.RECYCLE, editable);
		}
		// As the route's decide step does: the table's action on a channel the lead has.
		ActionType actionType = ActionType.valueOf(Cadence.reachableType(type, lead.hasPhone(), lead.hasEmail()));
		Instant due = planner.plan(now, delay, lead.zone(), lead.owner(), actionType == ActionType.CALL);
		boolean changed = !actionType.name().equals(type);
		return new Suggestion(Kind.ACTION, actionType, due,
				changed || content == null || content.toString().isBlank() ? null : content.toString(), lead.owner(),
				route, editable);
	}

	/** Unanswered attempts so far, as the route process counts them. */
	private int previousAttempts(NextAction action) {
		if (action.processInstanceId() == null) {
			return 0;
		}
		try {
			Object value = runtime.getVariable(action.processInstanceId(), Vars.ATTEMPT);
			return value instanceof Integer count ? count : 0;
		}
		catch (ProcessEngineException gone) {
			// The instance ended between reading the action and now: the completion will say so.
			return 0;
		}
	}

}
