package com.leadflow.audit;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import com.leadflow.mail.MailNotices;
import com.leadflow.scheduling.BusinessCalendar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit's scheduled work, each run by one node of a cluster at a time (a lock row in
 * {@code lf_scheduler_lock}): the re-check of the leads the engine marked as changed, the full
 * consistency check, and the daily alert to managers on working mornings, produced only when
 * something needs attention.
 */
@Component
class AuditJobs {

	private static final Logger log = LoggerFactory.getLogger(AuditJobs.class);

	static final String NODE = ManagementFactory.getRuntimeMXBean().getName();

	private final AuditService audit;

	private final AuditRepository repository;

	private final AuditProperties properties;

	private final BusinessCalendar calendar;

	private final TransactionTemplate tx;

	private final MailNotices notices;

	AuditJobs(AuditService audit, AuditRepository repository, AuditProperties properties, BusinessCalendar calendar,
			TransactionTemplate tx, MailNotices notices) {
		this.audit = audit;
		this.repository = repository;
		this.properties = properties;
		this.calendar = calendar;
		this.tx = tx;
		this.notices = notices;
	}

	@Scheduled(initialDelayString = "${leadflow.audit.check-interval:PT10M}", fixedDelayString = "${leadflow.audit.check-interval:PT10M}")
	void consistencyCheck() {
		Instant now = Clock.now();
		if (!Boolean.TRUE.equals(tx.execute(s -> repository.lock("audit-consistency", now,
				now.plus(properties.checkInterval()).minusSeconds(5), NODE)))) {
			return;
		}
		AuditService.AuditRun run = audit.check("consistency-check@" + NODE);
		if (run.withoutNextAction() > 0) {
			log.warn("Audit: {} of {} active leads have no real next action", run.withoutNextAction(), run.activeLeads());
		}
	}

	/** Re-checks the leads the engine marked, so requests find little left to do. */
	@Scheduled(initialDelayString = "${leadflow.audit.refresh-interval:PT5S}", fixedDelayString = "${leadflow.audit.refresh-interval:PT5S}")
	void refreshChangedLeads() {
		if (properties.refreshWorkerEnabled()) {
			audit.refresh(properties.checkInterval());
		}
	}

	@Scheduled(cron = "0 */5 * * * *")
	void dailyAlert() {
		dailyAlert(Clock.now());
	}

	/** Records the day's alert once, on a working day after the alert time, when anything needs attention. */
	boolean dailyAlert(Instant now) {
		if (!properties.alertsEnabled()) {
			return false;
		}
		ZonedDateTime local = now.atZone(calendar.teamZone());
		LocalDate today = local.toLocalDate();
		if (!calendar.isWorkingDay(today) || local.toLocalTime().isBefore(properties.alertTime())) {
			return false;
		}
		if (repository.alertRecorded(today)) {
			// Checked first: after the alert the 5-minute schedule must not run the audit queries all day.
			return false;
		}
		AuditService.Summary summary = audit.summary();
		if (summary.withoutNextAction() == 0 && summary.overdue() == 0 && summary.incidents() == 0) {
			return false;
		}
		String text = "Leadflow audit " + today + ": " + summary.withoutNextAction() + " leads without next action, "
				+ summary.overdue() + " overdue actions, " + summary.untouched90d() + " leads untouched for "
				+ properties.touchIntervalDays() + " days, " + summary.incidents() + " incidents; worst cases: "
				+ audit.findings(null, null, 0, 10).content().stream().map(f -> f.company() + " (" + f.reason() + ")").toList();
		String summaryText = text.length() > 4000 ? text.substring(0, 4000) : text;
		// The managers' email is queued in the transaction that records the alert: both or neither.
		boolean recorded = Boolean.TRUE.equals(tx.execute(s -> {
			boolean saved = repository.saveAlert(Ids.newId(), today, now, summaryText);
			if (saved) {
				notices.auditAlert(today, summaryText);
			}
			return saved;
		}));
		if (recorded) {
			log.info(text);
		}
		return recorded;
	}

}
