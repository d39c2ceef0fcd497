package com.leadflow.mail;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.common.Clock;
import com.leadflow.leads.Lead;
import com.leadflow.leads.LeadRepository;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.scheduling.OwnerAssignment;
import com.leadflow.security.Groups;
import com.leadflow.security.UserDirectory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reps' daily digest on working mornings: today's and overdue actions of each active rep.
 * One node at a time runs it (lock row {@code mail-digest} in {@code lf_scheduler_lock}), and a
 * unique key per rep and day keeps it to one digest even if two nodes race or a node restarts.
 */
@Component
class MailDigestJob {

	private static final LocalTime NOON = LocalTime.NOON;

	private static final int MAX_ITEMS = 200;

	private final MailNotices notices;

	private final OutboxRepository outbox;

	private final NextActionRepository actions;

	private final LeadRepository leads;

	private final UserDirectory users;

	private final OwnerAssignment assignment;

	private final BusinessCalendar calendar;

	private final MailSettings settings;

	private final TransactionTemplate tx;

	private final String node;

	MailDigestJob(MailNotices notices, OutboxRepository outbox, NextActionRepository actions, LeadRepository leads,
			UserDirectory users, OwnerAssignment assignment, BusinessCalendar calendar, MailSettings settings,
			TransactionTemplate tx, OutboxSender sender) {
		this.notices = notices;
		this.outbox = outbox;
		this.actions = actions;
		this.leads = leads;
		this.users = users;
		this.assignment = assignment;
		this.calendar = calendar;
		this.settings = settings;
		this.tx = tx;
		this.node = sender.node();
	}

	@Scheduled(cron = "${leadflow.mail.notices.digest.cron:0 */5 * * * *}")
	void scheduled() {
		run(Clock.now());
	}

	/** Queues the digests due at {@code now}; returns how many were queued. */
	int run(Instant now) {
		if (!settings.notices().digest().enabled()) {
			return 0;
		}
		ZoneId zone = calendar.teamZone();
		ZonedDateTime local = now.atZone(zone);
		LocalDate today = local.toLocalDate();
		if (!calendar.isWorkingDay(today) || local.toLocalTime().isBefore(settings.notices().digest().time())
				|| !local.toLocalTime().isBefore(NOON)) {
			return 0;
		}
		if (!Boolean.TRUE.equals(tx.execute(s -> outbox.lock("mail-digest", now, now.plusSeconds(240), node)))) {
			return 0;
		}
		Instant endOfToday = today.plusDays(1).atStartOfDay(zone).toInstant();
		int queued = 0;
		for (UserDirectory.Contact rep : users.contactsOf(Groups.REPS)) {
			if (outbox.dedupeKeyExists("digest:" + rep.id() + ":" + today) || !assignment.isActiveRep(rep.id())) {
				continue;
			}
			List<NextAction> open = actions.inbox(rep.id(), List.of(), endOfToday, MAX_ITEMS, 0);
			if (open.isEmpty()) {
				continue;
			}
			Map<String, Lead> byId = leads.findAllById(open.stream().map(NextAction::leadId).distinct().toList())
				.stream()
				.collect(Collectors.toMap(Lead::id, Function.identity()));
			List<MailNotices.DigestItem> items = open.stream().map(a -> {
				Lead lead = byId.get(a.leadId());
				return new MailNotices.DigestItem(lead == null ? a.leadId() : lead.company(),
						lead == null ? null : lead.contactName(), a.type().name(), notices.local(a.dueAt()),
						a.dueAt().isBefore(now), notices.leadUrl(a.leadId()));
			}).toList();
			if (Boolean.TRUE.equals(tx.execute(s -> notices.digest(rep, today, items)))) {
				queued++;
			}
		}
		return queued;
	}

}
