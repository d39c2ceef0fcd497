package com.leadflow.leads;

import static com.leadflow.common.Sql.instant;
import static com.leadflow.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leadflow.common.Clock;
import com.leadflow.common.Ids;
import com.leadflow.scheduling.BusinessCalendar;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The lead history ({@code lf_lead_event}): written in the transaction of the step it records,
 * and published as a {@link LeadEvent} to listeners in that transaction.
 */
@Repository
public class LeadEvents {

	private static final TypeReference<LinkedHashMap<String, String>> HEARING = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final ObjectMapper json;

	private final BusinessCalendar calendar;

	private final ApplicationEventPublisher publisher;

	LeadEvents(JdbcClient jdbc, ObjectMapper json, BusinessCalendar calendar, ApplicationEventPublisher publisher) {
		this.jdbc = jdbc;
		this.json = json;
		this.calendar = calendar;
		this.publisher = publisher;
	}

	public Builder record(String leadId, LeadEventType type) {
		return new Builder(leadId, type);
	}

	public List<LeadEvent> history(String leadId) {
		return jdbc.sql("SELECT * FROM lf_lead_event WHERE lead_id = ? ORDER BY id").param(leadId).query(this::map).list();
	}

	/** The lead's {@code limit} newest events, newest first. */
	public List<LeadEvent> latest(String leadId, int limit) {
		return jdbc.sql("SELECT * FROM lf_lead_event WHERE lead_id = ? ORDER BY id DESC LIMIT " + limit)
			.param(leadId)
			.query(this::map)
			.list();
	}

	/** Who set the meeting of this lead most recently: opportunities and meetings held are credited to them. */
	public Optional<String> lastMeetingSetter(String leadId) {
		return jdbc
			.sql("SELECT by_user FROM lf_lead_event WHERE lead_id = ? AND outcome = 'MEETING_SET' ORDER BY id DESC")
			.param(leadId)
			.query(String.class)
			.list()
			.stream()
			.findFirst();
	}

	private LeadEvent map(ResultSet rs, int row) throws SQLException {
		String route = rs.getString("route");
		return new LeadEvent(rs.getString("id"), rs.getString("lead_id"), instant(rs, "occurred_at"),
				rs.getDate("event_day").toLocalDate(), LeadEventType.valueOf(rs.getString("type")),
				rs.getString("action_type"), rs.getString("outcome"), rs.getString("by_user"),
				rs.getString("credited_to"), route == null ? null : Route.valueOf(route), rs.getInt("hearing_count"),
				readHearing(rs.getString("hearing")), rs.getString("note"));
	}

	private Map<String, String> readHearing(String text) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		try {
			return json.readValue(text, HEARING);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("unreadable hearing items in the history", ex);
		}
	}

	/** Collects one event's fields; {@link #save()} writes it. */
	public final class Builder {

		private final String leadId;

		private final LeadEventType type;

		private Instant at = Clock.now();

		private String actionType;

		private String outcome;

		private String by;

		private String creditedTo;

		private Route route;

		private Map<String, String> hearing;

		private String note;

		private Builder(String leadId, LeadEventType type) {
			this.leadId = leadId;
			this.type = type;
		}

		public Builder at(Instant at) {
			this.at = at;
			return this;
		}

		public Builder actionType(String actionType) {
			this.actionType = actionType;
			return this;
		}

		public Builder outcome(String outcome) {
			this.outcome = outcome;
			return this;
		}

		public Builder by(String by) {
			this.by = by;
			if (this.creditedTo == null) {
				this.creditedTo = by;
			}
			return this;
		}

		public Builder creditedTo(String creditedTo) {
			this.creditedTo = creditedTo;
			return this;
		}

		public Builder route(Route route) {
			this.route = route;
			return this;
		}

		public Builder hearing(Map<String, String> hearing) {
			this.hearing = hearing;
			return this;
		}

		public Builder note(String note) {
			this.note = note;
			return this;
		}

		public String save() {
			String id = Ids.newId();
			int hearingCount = hearing == null ? 0
					: (int) hearing.values().stream().filter(v -> v != null && !v.isBlank()).count();
			LocalDate day = at.atZone(calendar.teamZone()).toLocalDate();
			jdbc.sql("INSERT INTO lf_lead_event (id, lead_id, occurred_at, event_day, type, action_type, outcome, by_user, "
					+ "credited_to, route, hearing_count, hearing, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(id, leadId, ts(at), java.sql.Date.valueOf(day), type.name(), actionType, outcome, by, creditedTo,
						route == null ? null : route.name(), hearingCount, writeHearing(), note)
				.update();
			// Listeners (the KPI counters) run synchronously, inside this same transaction.
			publisher.publishEvent(new LeadEvent(id, leadId, at, day, type, actionType, outcome, by, creditedTo, route,
					hearingCount, hearing, note));
			return id;
		}

		private String writeHearing() {
			if (hearing == null || hearing.isEmpty()) {
				return null;
			}
			try {
				return json.writeValueAsString(hearing);
			}
			catch (JsonProcessingException ex) {
				throw new IllegalArgumentException("hearing items cannot be written", ex);
			}
		}

	}

}
