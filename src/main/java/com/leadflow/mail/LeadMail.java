package com.leadflow.mail;

import java.io.UnsupportedEncodingException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.leadflow.common.InvalidRequestException;
import com.leadflow.leads.Lead;
import com.leadflow.security.UserDirectory;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Template emails to leads: rendered in the lead's language with its company, contact and the
 * rep's name, always with the signed unsubscribe link (footer and List-Unsubscribe headers), and
 * queued in the outbox inside the caller's transaction.
 */
@Service
public class LeadMail {

	private static final Logger log = LoggerFactory.getLogger(LeadMail.class);

	/** The template of an EMAIL action that names no content. */
	public static final String DEFAULT_TEMPLATE = "follow-up";

	private static final String FOOTER = "unsubscribe-footer";

	private final MailTemplates templates;

	private final Outbox outbox;

	private final UnsubscribeLinks links;

	private final UserDirectory users;

	LeadMail(MailTemplates templates, Outbox outbox, UnsubscribeLinks links, UserDirectory users) {
		this.templates = templates;
		this.outbox = outbox;
		this.links = links;
		this.users = users;
	}

	/** The template to use: the one the rep asked for, else the action's content template, else follow-up. */
	public static String templateFor(String requested, String actionContent) {
		if (requested != null && !requested.isBlank()) {
			return requested;
		}
		return actionContent != null && !actionContent.isBlank() ? actionContent : DEFAULT_TEMPLATE;
	}

	public String unsubscribeUrl(String leadId) {
		return links.url(leadId);
	}

	/** A mail to a lead ready for the outbox. */
	public record Draft(String leadId, String to, String template, String language, String subject, String text,
			String html, Map<String, String> headers) {
	}

	/** The template rendered for the lead as {@code senderId} would send it, before the rep's edits and the footer. */
	public MailTemplates.Rendered preview(Lead lead, String template, String senderId) {
		checkTemplate(template);
		return templates.render(template, MailTemplates.languageOf(lead.zone()), variables(lead, senderId));
	}

	/**
	 * The mail a rep sends by completing an action: the template, with the subject and body the rep
	 * may have edited (an edited body goes out as plain text: the HTML would no longer match it).
	 * Empty when the lead has no email address and the rep did not ask for a mail explicitly.
	 *
	 * @throws InvalidRequestException unknown template, or a mail asked for a lead without address
	 */
	public Optional<Draft> draft(Lead lead, String template, String subject, String body, String senderId,
			boolean explicit) {
		if (lead.email() == null || lead.email().isBlank()) {
			if (explicit) {
				throw new InvalidRequestException("email", "cannot be sent: the lead has no email address");
			}
			return Optional.empty();
		}
		MailTemplates.Rendered rendered = preview(lead, template, senderId);
		boolean bodyEdited = body != null && !body.isBlank();
		String text = bodyEdited ? body : rendered.text();
		String html = bodyEdited ? null : rendered.html();
		String finalSubject = subject != null && !subject.isBlank() ? subject : rendered.subject();
		return Optional.of(withFooter(lead, senderId, template, rendered.language(), finalSubject, text, html));
	}

	/** The automated content step of a lead fell due: the action's template, from the lead's owner. */
	public Optional<String> sendContent(Lead lead, String template) {
		if (lead.email() == null || lead.email().isBlank()) {
			log.info("Content step of lead {} not mailed: the lead has no email address", lead.id());
			return Optional.empty();
		}
		MailTemplates.Rendered rendered = preview(lead, templateFor(null, template), lead.owner());
		return send(withFooter(lead, lead.owner(), rendered.name(), rendered.language(), rendered.subject(),
				rendered.text(), rendered.html()), MailKind.LEAD_CONTENT);
	}

	/** Queues the mail in the current transaction; empty when the outbox refused it (do-not-contact). */
	public Optional<String> send(Draft draft, MailKind kind) {
		return outbox.enqueue(new OutgoingMail(kind, draft.leadId(), draft.to(), draft.subject(), draft.text(),
				draft.html(), draft.headers(), null));
	}

	private Draft withFooter(Lead lead, String senderId, String template, String language, String subject, String text,
			String html) {
		Map<String, Object> vars = variables(lead, senderId);
		MailTemplates.Rendered footer = templates.renderBody(FOOTER, language, vars);
		String fullText = text.stripTrailing() + "\n\n" + footer.text().strip() + "\n";
		String fullHtml = html == null ? null : appendToBody(html, footer.html() != null ? footer.html() : "");
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("List-Unsubscribe", links.listUnsubscribeHeader(lead.id()));
		headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
		users.contact(senderId)
			.filter(c -> c.email() != null && !c.email().isBlank())
			.ifPresent(c -> headers.put("Reply-To", address(c.email(), c.name())));
		return new Draft(lead.id(), lead.email(), template, language, subject, fullText, fullHtml, headers);
	}

	private Map<String, Object> variables(Lead lead, String senderId) {
		Map<String, Object> vars = new HashMap<>();
		vars.put("company", lead.company());
		vars.put("contactName", lead.contactName());
		Optional<UserDirectory.Contact> rep = users.contact(senderId);
		vars.put("repName", rep.map(UserDirectory.Contact::name).orElse(senderId));
		vars.put("repEmail", rep.map(UserDirectory.Contact::email).orElse(null));
		vars.put("unsubscribeUrl", links.url(lead.id()));
		return vars;
	}

	/** Templates a lead may be sent: all but the staff notices ({@code notice-*}) and the footer. */
	public java.util.Set<String> leadTemplates() {
		java.util.Set<String> names = new java.util.TreeSet<>(templates.names());
		names.removeIf(LeadMail::isInternal);
		return names;
	}

	private static boolean isInternal(String template) {
		return template.startsWith(MailNotices.PREFIX) || template.equals(FOOTER);
	}

	private void checkTemplate(String template) {
		if (template == null || isInternal(template) || !templates.exists(template)) {
			throw new InvalidRequestException("email.template",
					"unknown mail template '" + template + "'; available: " + leadTemplates());
		}
	}

	static String appendToBody(String html, String fragment) {
		int end = html.toLowerCase(java.util.Locale.ROOT).lastIndexOf("</body>");
		return end < 0 ? html + fragment : html.substring(0, end) + fragment + html.substring(end);
	}

	/** "Name &lt;address&gt;" with the name MIME-encoded, as a header value must be ASCII. */
	static String address(String email, String name) {
		try {
			return new InternetAddress(email, name, "UTF-8").toString();
		}
		catch (UnsupportedEncodingException ex) {
			return email;
		}
	}

}
