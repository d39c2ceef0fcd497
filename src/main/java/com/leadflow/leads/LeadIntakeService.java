package com.leadflow.leads;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import com.leadflow.common.InvalidRequestException;
import com.leadflow.process.LeadProcessService;
import com.leadflow.scheduling.OwnerAssignment;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Marketing's hand-in: idempotent on the caller's externalId, deduplicated on the email of a
 * lead still being worked (or of a lead closed as do-not-contact), and otherwise a new lead whose process and first next action are
 * created in the same transaction as the lead itself.
 */
@Service
public class LeadIntakeService {

	static final String DEFAULT_TIME_ZONE = "Asia/Tokyo";

	private final LeadRepository leads;

	private final LeadEvents events;

	private final OwnerAssignment assignment;

	private final LeadProcessService processes;

	private final LeadQueries queries;

	LeadIntakeService(LeadRepository leads, LeadEvents events, OwnerAssignment assignment,
			LeadProcessService processes, LeadQueries queries) {
		this.leads = leads;
		this.events = events;
		this.assignment = assignment;
		this.processes = processes;
		this.queries = queries;
	}

	/** What the intake did with a submission. */
	public record Result(String leadId, boolean created, boolean deduplicated) {
	}

	/** A submission's result and the lead as the API answers it. */
	public record Answer(Result result, LeadView view) {
	}

	/**
	 * Submits as {@link #submit} does and reads the answer's view of the lead in the same
	 * transaction: one transaction per API call instead of a second, read-only one after it.
	 */
	@Transactional
	public Answer submitAndView(LeadIntakeRequest request, String submittedBy) {
		Result result = submit(request, submittedBy);
		return new Answer(result, queries.view(result.leadId(), result.deduplicated(), false));
	}

	@Transactional
	public Result submit(LeadIntakeRequest request, String submittedBy) {
		String timeZone = validate(request);
		Optional<Lead> same = leads.findByExternalId(request.externalId());
		if (same.isPresent()) {
			return new Result(same.get().id(), false, false);
		}
		Optional<String> merged = leads.findAliasedLeadId(request.externalId());
		if (merged.isPresent()) {
			// A retry of a submission that was deduplicated: same answer, nothing recorded again.
			return new Result(merged.get(), false, true);
		}
		// A person who asked not to be contacted stays so when marketing sees them again: the submission
		// is recorded on their closed lead, and no new lead puts them back in a rep's inbox.
		Optional<Lead> samePerson = leads.findSamePerson(request.email());
		if (samePerson.isPresent()) {
			Lead existing = samePerson.get();
			leads.insertAlias(request.externalId(), existing.id(), Clock.now());
			events.record(existing.id(), LeadEventType.ENGAGEMENT)
				.by(submittedBy)
				.route(existing.route())
				.note(engagementNote(request, existing.doNotContact()))
				.save();
			return new Result(existing.id(), false, true);
		}
		Instant now = Clock.now();
		String owner = request.owner() != null ? request.owner()
				: assignment.pickOwner(now)
					.orElseThrow(() -> new InvalidRequestException("owner",
							"no active rep in the reps group to assign the lead to; name an owner", "intake.error.noRep"));
		Lead lead = new Lead(Ids.newId(), request.externalId(), request.route(), LeadStatus.ACTIVE, request.company().strip(),
				blankToNull(request.contactName()), blankToNull(request.email()), blankToNull(request.phone()), timeZone,
				blankToNull(request.source()), owner, false,
				request.lossReason() == null ? null : request.lossReason().name(), blankToNull(request.note()), 0, now, now,
				null);
		leads.insert(lead);
		events.record(lead.id(), LeadEventType.CREATED)
			.at(now)
			.by(submittedBy)
			.creditedTo(owner)
			.route(lead.route())
			.note(lead.note())
			.save();
		processes.start(lead);
		return new Result(lead.id(), true, false);
	}

	private String validate(LeadIntakeRequest request) {
		// Bean Validation's @NotBlank trims ASCII spaces only: a company of ideographic spaces would be stored empty.
		if (isBlank(request.company())) {
			throw new InvalidRequestException("company", "must not be blank", "intake.error.NotBlank");
		}
		if (isBlank(request.email()) && isBlank(request.phone())) {
			throw new InvalidRequestException("email", "email or phone is required", "intake.error.emailOrPhone");
		}
		String timeZone = isBlank(request.timeZone()) ? DEFAULT_TIME_ZONE : request.timeZone();
		try {
			ZoneId.of(timeZone);
		}
		catch (DateTimeException ex) {
			throw new InvalidRequestException("timeZone", "unknown time zone '" + timeZone + "' (use an IANA name such as Asia/Tokyo)",
					"intake.error.timeZone", timeZone);
		}
		if (request.owner() != null && !assignment.isActiveRep(request.owner())) {
			throw new InvalidRequestException("owner", "unknown owner '" + request.owner() + "': not an active member of the reps group",
					"intake.error.owner", request.owner());
		}
		if (request.lossReason() == LossReason.PARKED) {
			throw new InvalidRequestException("lossReason", "PARKED is set by Leadflow itself; use PENDING, COMPETITOR, MISMATCH or OTHER",
					"intake.error.parked");
		}
		return timeZone;
	}

	private static String engagementNote(LeadIntakeRequest request, boolean doNotContact) {
		StringBuilder note = new StringBuilder(doNotContact ? "seen again (do not contact: not worked again)" : "seen again");
		if (request.source() != null) {
			note.append(" via ").append(request.source());
		}
		note.append(" (").append(request.externalId()).append(")");
		if (!isBlank(request.note())) {
			note.append(": ").append(request.note());
		}
		return note.length() > 2000 ? note.substring(0, 2000) : note.toString();
	}

	private static boolean isBlank(String value) {
		return value == null || value.isBlank();
	}

	private static String blankToNull(String value) {
		return isBlank(value) ? null : value.strip();
	}

}
