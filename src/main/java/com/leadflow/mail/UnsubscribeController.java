package com.leadflow.mail;

import java.util.Locale;
import java.util.Optional;

import com.leadflow.common.NotFoundException;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadEventRequest;
import com.leadflow.leads.LeadMoves;
import com.leadflow.leads.LeadRepository;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The unsubscribe link of every mail to a lead (public: the lead has no login). The link is
 * signed, so only the lead's own link unsubscribes it; a forged or altered one gets a 400 page.
 *
 * <p>GET shows a page with one button and changes nothing: mail security scanners open every link
 * in a mail, hence RFC 8058 (section 1): "senders return landing pages with a confirmation step". The
 * button, and the mail client's one-click POST ({@code List-Unsubscribe=One-Click}), unsubscribe:
 * the lead becomes do-not-contact and is closed through {@link LeadMoves}, which cancels its
 * action; the outbox refuses and drops any further mail to it.
 */
@Controller
class UnsubscribeController {

	static final String BY = "unsubscribe";

	private final UnsubscribeLinks links;

	private final LeadRepository leads;

	private final LeadMoves moves;

	UnsubscribeController(UnsubscribeLinks links, LeadRepository leads, LeadMoves moves) {
		this.links = links;
		this.leads = leads;
		this.moves = moves;
	}

	@GetMapping("/unsubscribe")
	ModelAndView page(@RequestParam(required = false) String lead, @RequestParam(required = false) String sig,
			Locale locale) {
		Optional<Lead> found = verified(lead, sig);
		if (found.isEmpty()) {
			return invalid(locale);
		}
		return page(found.get(), found.get().doNotContact() ? "done" : "confirm");
	}

	/** RFC 8058 one-click: the mail client posts {@code List-Unsubscribe=One-Click}; no page, no CSRF token. */
	@PostMapping(path = "/unsubscribe", params = "List-Unsubscribe=One-Click")
	ResponseEntity<String> oneClick(@RequestParam(required = false) String lead, @RequestParam(required = false) String sig) {
		if (!unsubscribe(lead, sig)) {
			return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body("invalid unsubscribe link\n");
		}
		return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("unsubscribed\n");
	}

	/** The button of the page. */
	@PostMapping("/unsubscribe")
	ModelAndView confirm(@RequestParam(required = false) String lead, @RequestParam(required = false) String sig,
			Locale locale) {
		if (!unsubscribe(lead, sig)) {
			return invalid(locale);
		}
		return page(leads.findById(lead).orElseThrow(), "done");
	}

	private boolean unsubscribe(String lead, String sig) {
		if (verified(lead, sig).isEmpty()) {
			return false;
		}
		try {
			moves.apply(lead, new LeadEventRequest(LeadEventRequest.Kind.DO_NOT_CONTACT, null,
					"unsubscribed through the link in an email"), BY);
			return true;
		}
		catch (NotFoundException gone) {
			return false;
		}
	}

	private Optional<Lead> verified(String lead, String sig) {
		return links.verify(lead, sig) ? leads.findById(lead) : Optional.empty();
	}

	private static ModelAndView page(Lead lead, String state) {
		ModelAndView mav = new ModelAndView("unsubscribe");
		// The language the lead's mail was written in.
		mav.addObject("lang", MailTemplates.languageOf(lead.zone()));
		mav.addObject("state", state);
		return mav;
	}

	private static ModelAndView invalid(Locale locale) {
		ModelAndView mav = new ModelAndView("unsubscribe");
		mav.setStatus(HttpStatus.BAD_REQUEST);
		mav.addObject("lang", "ja".equals(locale.getLanguage()) ? "ja" : "en");
		mav.addObject("state", "invalid");
		return mav;
	}

}
