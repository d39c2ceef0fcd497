package com.leadflow.mail;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEvent;
import com.leadflow.leads.LeadEvents;
import com.leadflow.leads.LeadRepository;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;

import org.springframework.stereotype.Service;

/**
 * Mail to staff: the hand-off to sales, the overdue escalation and the daily audit alert to
 * managers, the reps' daily digest. Each is queued in the outbox in the transaction of the step
 * that decided it (one row per recipient), each can be switched off, and each is written in the
 * team's language (Japanese in Japan's time zone). Templates are {@code notice-*}.
 */
@Service
public class MailNotices {

	static final String PREFIX = "notice-";

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	private final Outbox outbox;

	private final MailTemplates templates;

	private final UserDirectory users;

	private final LeadRepository leads;

	private final LeadEvents events;

	private final BusinessCalendar calendar;

	private final MailSettings settings;

	MailNotices(Outbox outbox, MailTemplates templates, UserDirectory users, LeadRepository leads, LeadEvents events,
			BusinessCalendar calendar, MailSettings settings) {
		this.outbox = outbox;
		this.templates = templates;
		this.users = users;
		this.leads = leads;
		this.events = events;
		this.calendar = calendar;
		this.settings = settings;
	}

	/** The lead is handed to sales: every member of the sales group learns the meeting time and what IS heard. */
	public int handOff(String leadId, Instant meetingAt, String setBy) {
		if (!settings.notices().handoff().enabled()) {
			return 0;
		}
		Lead lead = leads.findById(leadId).orElseThrow();
		Map<String, Object> vars = leadVariables(lead);
		vars.put("meetingAt", local(meetingAt));
		vars.put("setBy", users.contact(setBy).map(UserDirectory.Contact::name).orElse(setBy));
		vars.put("hearing", hearingItems(leadId));
		return toGroup(Groups.SALES, MailKind.HANDOFF, leadId, "handoff", vars);
	}

	/** An action is overdue beyond the escalation span: managers are told whose and since when. */
	public int escalation(Lead lead, String actionType, Instant dueAt, String assignee, String candidateGroup) {
		if (!settings.notices().escalation().enabled()) {
			return 0;
		}
		Map<String, Object> vars = leadVariables(lead);
		vars.put("actionType", actionType);
		vars.put("dueAt", local(dueAt));
		vars.put("assignee", assignee != null ? users.contact(assignee).map(UserDirectory.Contact::name).orElse(assignee)
				: candidateGroup);
		return toGroup(Groups.MANAGERS, MailKind.ESCALATION, lead.id(), "escalation", vars);
	}

	/** The daily audit alert (recorded in {@code lf_audit_alert} in the same transaction). */
	public int auditAlert(LocalDate day, String summary) {
		if (!settings.notices().auditAlert().enabled()) {
			return 0;
		}
		Map<String, Object> vars = new HashMap<>();
		vars.put("day", day.toString());
		vars.put("summary", summary);
		vars.put("auditUrl", baseUrl() + "/audit");
		int queued = 0;
		MailTemplates.Rendered mail = templates.render(PREFIX + "audit-alert", language(), vars);
		for (UserDirectory.Contact manager : users.contactsOf(Groups.MANAGERS)) {
			if (outbox.enqueue(notice(MailKind.AUDIT_ALERT, null, manager.email(), mail,
					"audit-alert:" + day + ":" + manager.id())).isPresent()) {
				queued++;
			}
		}
		return queued;
	}

	/** One line of a rep's digest. */
	public record DigestItem(String company, String contactName, String type, String dueAt, boolean overdue,
			String leadUrl) {
	}

	/** The rep's digest of the day; at most one per rep and day (a unique key), false when already queued. */
	boolean digest(UserDirectory.Contact rep, LocalDate day, List<DigestItem> items) {
		Map<String, Object> vars = new HashMap<>();
		vars.put("repName", rep.name());
		vars.put("day", day.toString());
		vars.put("items", items);
		vars.put("overdue", items.stream().filter(DigestItem::overdue).count());
		vars.put("inboxUrl", baseUrl() + "/inbox");
		MailTemplates.Rendered mail = templates.render(PREFIX + "digest", language(), vars);
		return outbox.enqueue(notice(MailKind.DIGEST, null, rep.email(), mail, "digest:" + rep.id() + ":" + day))
			.isPresent();
	}

	String local(Instant at) {
		ZoneId zone = calendar.teamZone();
		return at == null ? "" : TIME.format(at.atZone(zone)) + " (" + zone.getId() + ")";
	}

	String leadUrl(String leadId) {
		return baseUrl() + "/leads/" + leadId;
	}

	private int toGroup(String group, MailKind kind, String leadId, String template, Map<String, Object> vars) {
		MailTemplates.Rendered mail = templates.render(PREFIX + template, language(), vars);
		int queued = 0;
		for (UserDirectory.Contact member : users.contactsOf(group)) {
			if (outbox.enqueue(notice(kind, leadId, member.email(), mail, null)).isPresent()) {
				queued++;
			}
		}
		return queued;
	}

	private static OutgoingMail notice(MailKind kind, String leadId, String to, MailTemplates.Rendered mail,
			String dedupeKey) {
		// Marks the mail as sent by a program (RFC 3834): no out-of-office replies to it.
		return new OutgoingMail(kind, leadId, to, mail.subject(), mail.text(), mail.html(),
				Map.of("Auto-Submitted", "auto-generated"), dedupeKey);
	}

	private Map<String, Object> leadVariables(Lead lead) {
		Map<String, Object> vars = new HashMap<>();
		vars.put("company", lead.company());
		vars.put("contactName", lead.contactName());
		vars.put("email", lead.email());
		vars.put("phone", lead.phone());
		vars.put("route", lead.route().name());
		vars.put("owner", users.contact(lead.owner()).map(UserDirectory.Contact::name).orElse(lead.owner()));
		vars.put("note", lead.note());
		vars.put("leadUrl", leadUrl(lead.id()));
		return vars;
	}

	/** What IS heard from the lead, the latest value of each item. */
	private Map<String, String> hearingItems(String leadId) {
		Map<String, String> hearing = new LinkedHashMap<>();
		for (LeadEvent event : events.history(leadId)) {
			if (event.hearing() != null) {
				event.hearing().forEach((item, value) -> {
					if (value != null && !value.isBlank()) {
						hearing.put(item, value);
					}
				});
			}
		}
		return hearing;
	}

	private String language() {
		return MailTemplates.languageOf(calendar.teamZone());
	}

	private String baseUrl() {
		String base = settings.publicBaseUrl();
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

}
