package com.leadflow.web.outcome;

import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.CompletionRequest.NextStep;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.actions.NextActionSuggestion;
import com.leadflow.actions.NextActionSuggestion.Kind;
import com.leadflow.actions.NextActionSuggestion.Suggestion;
import com.leadflow.actions.Outcome;
import com.leadflow.common.ConflictException;
import com.leadflow.common.ForbiddenException;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.common.NotFoundException;
import com.leadflow.common.ProcessGoneException;
import com.leadflow.common.ProcessSuspendedException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LeadView;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.UserDirectory;
import com.leadflow.web.pages.LeadAccess;
import com.leadflow.web.pages.PageErrors;
import com.leadflow.web.pages.PageTimes;
import com.leadflow.web.pages.PagesProperties;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Logging an outcome from the inbox or the lead page: the form (inline via htmx, or as a page),
 * the suggested next action for the outcome picked, and the completion itself through the same
 * {@link NextActionService} as the API. A refused form comes back with everything the rep typed.
 */
@Controller
class OutcomeController {

	/** Types a rep may choose as the next action; meetings come from MEETING_SET only. */
	static final List<ActionType> NEXT_TYPES = List.of(ActionType.CALL, ActionType.EMAIL, ActionType.CONTENT);

	private final NextActionRepository actions;

	private final NextActionService service;

	private final NextActionSuggestion suggestions;

	private final LeadQueries leads;

	private final PagesProperties properties;

	private final PageTimes times;

	private final Validator validator;

	private final UserDirectory users;

	private final PageErrors pageErrors;

	OutcomeController(NextActionRepository actions, NextActionService service, NextActionSuggestion suggestions,
			LeadQueries leads, PagesProperties properties, PageTimes times, Validator validator, UserDirectory users,
			PageErrors pageErrors) {
		this.actions = actions;
		this.service = service;
		this.suggestions = suggestions;
		this.leads = leads;
		this.properties = properties;
		this.times = times;
		this.validator = validator;
		this.users = users;
		this.pageErrors = pageErrors;
	}

	/**
	 * A problem with one field (or the whole form): a translated headline and what the service said, in the
	 * page's language where the service gave a message code.
	 */
	record Problem(String key, String detail) {
	}

	/** The next-action fields as the form shows them. */
	record NextFields(String type, String due, String suggestedType, String suggestedDue) {
	}

	/** Everything the form template needs. */
	record FormView(NextAction action, Lead lead, List<Outcome> outcomes, List<String> hearingItems, boolean showHearing,
			OutcomeForm form, Map<String, Problem> errors, Suggestion suggestion, NextFields next,
			List<ActionType> nextTypes, String inboxOf) {

		public Problem error(String field) {
			return errors.get(field);
		}

		public boolean hasError(String field) {
			return errors.containsKey(field);
		}

		public boolean checked(Outcome outcome) {
			return outcome == form.outcome();
		}

		/** The template "Sent" mails through Leadflow for an EMAIL or CONTENT action, else null. */
		public String mailTemplate() {
			return action.type() == ActionType.EMAIL || action.type() == ActionType.CONTENT
					? com.leadflow.mail.LeadMail.templateFor(null, action.content()) : null;
		}
	}

	/** Shown on the inbox after a completion. */
	record Saved(String leadId, String company, String outcome, String nextType, Instant nextDueAt, String nextAssignee,
			String nextCandidateGroup, String status) implements Serializable {
	}

	/**
	 * The form. {@code inboxOf}: the inbox a manager opened it from (someone else's), where saving
	 * leads back to.
	 */
	@GetMapping("/actions/{id}/form")
	String form(@PathVariable String id, @RequestParam(required = false) String inboxOf,
			@RequestHeader(value = "HX-Request", required = false) String htmx, Authentication authentication,
			HttpServletResponse response, Model model) {
		CurrentUser user = CurrentUser.of(authentication);
		NextAction done = actions.findById(id).filter(a -> !a.isOpen()).orElse(null);
		if (done != null && NextActionService.isTheirs(done, user)) {
			// Done from another tab or by a colleague: said so where the form would have opened (in the
			// inbox row, which htmx fills only from a 2xx answer), or as the page with a 409.
			model.addAttribute("f", view(done, OutcomeForm.empty(), Map.of(), null, null, inboxOf(inboxOf, user)));
			if (htmx != null) {
				return "fragments/outcome :: gone";
			}
			response.setStatus(HttpServletResponse.SC_CONFLICT);
			return "action";
		}
		NextAction action = openActionFor(id, user);
		model.addAttribute("f", view(action, OutcomeForm.empty(), Map.of(), null, null, inboxOf(inboxOf, user)));
		return htmx != null ? "fragments/outcome :: form" : "action";
	}

	@GetMapping("/actions/{id}/suggestion")
	String suggestion(@PathVariable String id, OutcomeForm form, BindingResult binding, Authentication authentication,
			Locale locale, Model model) {
		NextAction action = openActionFor(id, CurrentUser.of(authentication));
		Suggestion suggestion = null;
		Map<String, Problem> errors = new LinkedHashMap<>();
		if (form.outcome() != null && !binding.hasFieldErrors("outcome")) {
			try {
				suggestion = suggestions.suggest(id, form.outcome(), form.hearing(), parseOrNull(form.meetingAt()));
			}
			catch (InvalidRequestException ex) {
				errors.put("outcome", new Problem("outcome.error.outcome",
						ex.errors().isEmpty() ? ex.getMessage() : pageErrors.text(ex.errors().get(0), locale)));
			}
		}
		NextFields next = suggestion == null ? null : fresh(suggestion);
		model.addAttribute("f", view(action, form, errors, suggestion, next, null));
		return "fragments/outcome :: suggestion";
	}

	@PostMapping("/actions/{id}/complete")
	String complete(@PathVariable String id, OutcomeForm form, BindingResult binding,
			@RequestParam(required = false) String inboxOf, Authentication authentication, Locale locale, Model model,
			RedirectAttributes redirect) {
		CurrentUser user = CurrentUser.of(authentication);
		String backTo = inboxOf(inboxOf, user);
		NextAction action = actions.findById(id).orElseThrow(() -> new NotFoundException("No next action " + id + "."));
		// The form comes back with the lead's data on it: only to someone who may see the lead.
		if (!LeadAccess.mayComplete(action, user) && !LeadAccess.mayRead(leads.lead(action.leadId()), user)) {
			throw new ForbiddenException("This action is not yours to complete.");
		}
		Map<String, Problem> errors = new LinkedHashMap<>();
		if (binding.hasFieldErrors("outcome") || form.outcome() == null) {
			errors.put("outcome", new Problem("outcome.error.required", null));
		}
		CompletionRequest request = errors.isEmpty() ? toRequest(form, errors) : null;
		if (request != null) {
			for (ConstraintViolation<CompletionRequest> violation : validator.validate(request)) {
				String path = violation.getPropertyPath().toString();
				String field = path.startsWith("hearing") ? "hearing" : path.startsWith("next") ? "next" : path;
				errors.putIfAbsent(field, new Problem("outcome.error." + field, pageErrors.text("outcome", violation, locale)));
			}
		}
		if (errors.isEmpty()) {
			try {
				String leadId = service.complete(id, request, user);
				redirect.addFlashAttribute("saved", saved(leadId, form.outcome()));
				if (backTo != null) {
					// A query parameter of our own path, encoded by the redirect: never somewhere else.
					redirect.addAttribute("assignee", backTo);
				}
				return "redirect:/inbox";
			}
			catch (InvalidRequestException ex) {
				ex.errors().forEach(e -> errors.putIfAbsent(formField(e.field()),
						new Problem("outcome.error." + formField(e.field()), pageErrors.text(e, locale))));
				if (ex.errors().isEmpty()) {
					errors.put("form", new Problem("outcome.error.form", ex.getMessage()));
				}
			}
			catch (ProcessGoneException ex) {
				errors.put("form", new Problem("outcome.error.processGone", null));
			}
			catch (ProcessSuspendedException ex) {
				errors.put("form", new Problem("outcome.error.processSuspended", null));
			}
			catch (ConflictException | DuplicateKeyException ex) {
				errors.put("form", new Problem("outcome.error.conflict", ex.getMessage()));
			}
			catch (ForbiddenException ex) {
				errors.put("form", new Problem("outcome.error.forbidden", ex.getMessage()));
			}
		}
		// Shown again as typed: the suggestion is recomputed, the next-action fields keep the rep's values.
		Suggestion suggestion = null;
		if (form.outcome() != null && action.isOpen()) {
			try {
				suggestion = suggestions.suggest(id, form.outcome(), form.hearing(), parseOrNull(form.meetingAt()));
			}
			catch (RuntimeException ignored) {
				// The errors above already say what is wrong.
			}
		}
		NextFields next = new NextFields(form.nextType(), form.nextDue(), form.suggestedType(), form.suggestedDue());
		model.addAttribute("f", view(action, form, errors, suggestion, next, backTo));
		return "action";
	}

	private CompletionRequest toRequest(OutcomeForm form, Map<String, Problem> errors) {
		Outcome outcome = form.outcome();
		Map<String, String> hearing = new LinkedHashMap<>();
		if (form.hearing() != null) {
			form.hearing().forEach((k, v) -> {
				if (v != null && !v.isBlank()) {
					hearing.put(k, v.strip());
				}
			});
		}
		Instant meetingAt = null;
		if (outcome == Outcome.MEETING_SET) {
			meetingAt = parse("meetingAt", form.meetingAt(), errors);
		}
		NextStep next = null;
		boolean callback = outcome == Outcome.CALLBACK;
		if (callback || form.overridden()) {
			Instant due = parse("next", form.nextDue(), errors);
			ActionType type = callback ? ActionType.CALL : nextType(form.nextType(), errors);
			if (due != null && type != null) {
				next = new NextStep(type, due, null);
			}
		}
		if (!errors.isEmpty()) {
			return null;
		}
		return new CompletionRequest(outcome, hearing.isEmpty() ? null : hearing,
				OutcomeForm.isBlank(form.note()) ? null : form.note().strip(), meetingAt, next);
	}

	private Instant parse(String field, String value, Map<String, Problem> errors) {
		try {
			return times.parseInput(value);
		}
		catch (DateTimeException ex) {
			errors.put(field, new Problem("outcome.error.dateFormat", value));
			return null;
		}
	}

	private Instant parseOrNull(String value) {
		try {
			return times.parseInput(value);
		}
		catch (DateTimeException ex) {
			return null;
		}
	}

	private static ActionType nextType(String value, Map<String, Problem> errors) {
		try {
			ActionType type = ActionType.valueOf(value);
			if (NEXT_TYPES.contains(type)) {
				return type;
			}
		}
		catch (IllegalArgumentException | NullPointerException ex) {
			// reported below
		}
		errors.put("next", new Problem("outcome.error.next", value));
		return null;
	}

	/** The service names fields as the API does; the form has fewer. */
	private static String formField(String apiField) {
		if (apiField.startsWith("next")) {
			return "next";
		}
		if (apiField.startsWith("hearing")) {
			return "hearing";
		}
		return Set.of("outcome", "meetingAt", "note").contains(apiField) ? apiField : "form";
	}

	private Saved saved(String leadId, Outcome outcome) {
		LeadView after = leads.view(leadId, false, false);
		LeadView.NextActionView next = after.nextAction();
		return new Saved(leadId, after.company(), outcome.name(), next == null ? null : next.type(),
				next == null ? null : next.dueAt(), next == null ? null : next.assignee(),
				next == null ? null : next.candidateGroup(), after.status().name());
	}

	private NextFields fresh(Suggestion suggestion) {
		if (suggestion.kind() != Kind.ACTION || suggestion.type() == null) {
			return null;
		}
		String due = times.input(suggestion.dueAt());
		return new NextFields(suggestion.type().name(), due, suggestion.type().name(), due);
	}

	private NextAction openActionFor(String id, CurrentUser user) {
		NextAction action = actions.findById(id).orElseThrow(() -> new NotFoundException("No next action " + id + "."));
		if (!action.isOpen()) {
			if (!NextActionService.isTheirs(action, user)) {
				throw new ForbiddenException("This action is not yours to complete.");
			}
			// Done from another tab or by a colleague: the inbox shows what is open now.
			throw new ConflictException("This action is already " + action.status().name().toLowerCase() + ".");
		}
		if (!LeadAccess.mayComplete(action, user)) {
			throw new ForbiddenException("This action is not yours to complete.");
		}
		return action;
	}

	private FormView view(NextAction action, OutcomeForm form, Map<String, Problem> errors, Suggestion suggestion,
			NextFields next, String inboxOf) {
		Lead lead = leads.lead(action.leadId());
		return new FormView(action, lead, List.copyOf(Outcome.validFor(action.type())), properties.hearingItems(),
				action.type() == ActionType.CALL, form, errors, suggestion, next, NEXT_TYPES, inboxOf);
	}

	/** The inbox to go back to: another user's, only for a manager and a user who exists; else null (one's own). */
	private String inboxOf(String assignee, CurrentUser user) {
		if (assignee == null || assignee.isBlank() || !user.isManager() || assignee.strip().equals(user.id())) {
			return null;
		}
		return users.exists(assignee.strip()) ? assignee.strip() : null;
	}

}
