package com.leadflow.web.intake;

import java.io.Serializable;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.leadflow.common.Clock;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.LeadIntakeService.Result;
import com.leadflow.leads.LeadQueries;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.scheduling.OwnerAssignment;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;
import com.leadflow.web.pages.PageErrors;
import com.leadflow.web.pages.PageTimes;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.context.MessageSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Marketing's intake page: one lead by hand (the same intake as POST /api/leads, after the same
 * Bean Validation), and the CSV upload when the import is there.
 */
@Controller
class IntakePageController {

	private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");

	static final List<String> SOURCES = List.of("EXHIBITION", "WEB_FORM", "SEMINAR", "MEDIA", "PURCHASED_LIST",
			"REFERRAL");

	/** Loss reasons marketing may give for a lead handed in on the recycle route (PARKED is Leadflow's own). */
	static final List<LossReason> LOSS_REASONS = List.of(LossReason.PENDING, LossReason.COMPETITOR,
			LossReason.MISMATCH, LossReason.OTHER);

	private final LeadIntakeService intake;

	private final UserDirectory users;

	private final OwnerAssignment assignment;

	private final Validator validator;

	private final PageTimes times;

	private final LeadQueries leads;

	private final PageErrors pageErrors;

	private final MessageSource messages;

	IntakePageController(LeadIntakeService intake, UserDirectory users, OwnerAssignment assignment, Validator validator,
			PageTimes times, LeadQueries leads, PageErrors pageErrors, MessageSource messages) {
		this.intake = intake;
		this.users = users;
		this.assignment = assignment;
		this.validator = validator;
		this.times = times;
		this.leads = leads;
		this.pageErrors = pageErrors;
		this.messages = messages;
	}

	/** The form as typed: text only, so whatever was sent can be shown again. */
	record IntakeForm(String externalId, String route, String company, String contactName, String email, String phone,
			String timeZone, String source, String owner, String note, String lossReason) {
	}

	/** Shown after a submission. */
	record Submitted(String leadId, String company, boolean created, boolean deduplicated) implements Serializable {
	}

	@GetMapping("/intake")
	String page(Model model) {
		if (!model.containsAttribute("form")) {
			model.addAttribute("form", new IntakeForm(newReference(), Route.NURTURE.name(), "", "", "", "", times.zone().getId(),
					"EXHIBITION", "", "", ""));
		}
		addChoices(model);
		model.addAttribute("errors", Map.of());
		return "intake";
	}

	@PostMapping("/intake")
	String submit(IntakeForm form, Authentication authentication, Locale locale, Model model,
			RedirectAttributes redirect) {
		Map<String, String> errors = new LinkedHashMap<>();
		LeadIntakeRequest request = toRequest(form, errors, locale);
		if (request != null) {
			// In the page's language; the API answers the same violations in English.
			for (ConstraintViolation<LeadIntakeRequest> violation : validator.validate(request)) {
				errors.putIfAbsent(violation.getPropertyPath().toString(), pageErrors.text("intake", violation, locale));
			}
		}
		if (errors.isEmpty()) {
			try {
				Result result;
				try {
					result = intake.submit(request, authentication.getName());
				}
				catch (DuplicateKeyException raced) {
					// The same externalId or email was committed concurrently: now it is found.
					result = intake.submit(request, authentication.getName());
				}
				// A known person or reference is recorded on the existing lead: the notice names that lead's
				// company, not the one typed.
				String company = result.created() ? request.company().strip() : leads.lead(result.leadId()).company();
				redirect.addFlashAttribute("submitted",
						new Submitted(result.leadId(), company, result.created(), result.deduplicated()));
				return "redirect:/intake";
			}
			catch (InvalidRequestException ex) {
				ex.errors().forEach(e -> errors.putIfAbsent(e.field(), pageErrors.text(e, locale)));
				if (ex.errors().isEmpty()) {
					errors.put("form", ex.getMessage());
				}
			}
		}
		model.addAttribute("form", form);
		model.addAttribute("errors", errors);
		addChoices(model);
		return "intake";
	}

	private LeadIntakeRequest toRequest(IntakeForm form, Map<String, String> errors, Locale locale) {
		Route route = parse(Route.class, form.route(), "route", errors, locale);
		LossReason lossReason = route == Route.RECYCLE
				? parse(LossReason.class, form.lossReason(), "lossReason", errors, locale) : null;
		if (!errors.isEmpty()) {
			return null;
		}
		return new LeadIntakeRequest(trim(form.externalId()), route, trim(form.company()), trim(form.contactName()),
				trim(form.email()), trim(form.phone()), trim(form.timeZone()), trim(form.source()), trim(form.owner()),
				trim(form.note()), lossReason);
	}

	private <E extends Enum<E>> E parse(Class<E> type, String value, String field, Map<String, String> errors,
			Locale locale) {
		if (value == null || value.isBlank()) {
			// Bean Validation reports a missing route in the user's language.
			return null;
		}
		try {
			return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			errors.put(field, messages.getMessage("intake.error.invalidValue", new Object[] { value }, locale));
			return null;
		}
	}

	/** Blank fields are absent, as in the JSON API. */
	private static String trim(String value) {
		return value == null || value.isBlank() ? null : value.strip();
	}

	private void addChoices(Model model) {
		model.addAttribute("routes", Route.values());
		model.addAttribute("lossReasons", LOSS_REASONS);
		model.addAttribute("sources", SOURCES);
		model.addAttribute("owners", users.membersOf(Groups.REPS).stream().filter(assignment::isActiveRep).toList());
		// The CSV upload goes through the import's page endpoints (leads.imports.ImportPageController).
		model.addAttribute("importEnabled", true);
	}

	private String newReference() {
		return "manual-" + REFERENCE.format(Clock.now().atZone(times.zone())) + "-"
				+ UUID.randomUUID().toString().substring(0, 6);
	}

}
