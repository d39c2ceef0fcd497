package com.leadflow.web.pages;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.leadflow.common.Clock;
import com.leadflow.scheduling.BusinessCalendar;

import org.springframework.stereotype.Component;

/**
 * Times as people see them on the pages: in the user's time zone, which is the team's (the zone
 * the KPIs and the capacity count days in). Templates use it as {@code @pageTimes}.
 */
@Component("pageTimes")
public class PageTimes {

	/** The value format of {@code <input type="datetime-local">}. */
	private static final DateTimeFormatter INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

	private final BusinessCalendar calendar;

	PageTimes(BusinessCalendar calendar) {
		this.calendar = calendar;
	}

	public ZoneId zone() {
		return calendar.teamZone();
	}

	public ZonedDateTime zoned(Instant instant) {
		return instant == null ? null : instant.atZone(zone());
	}

	public LocalDate today() {
		return Clock.now().atZone(zone()).toLocalDate();
	}

	/** The first instant of tomorrow in the user's zone: "today" ends there. */
	public Instant endOfToday() {
		return today().plusDays(1).atStartOfDay(zone()).toInstant();
	}

	/** The value of a datetime-local field showing this instant (minutes). */
	public String input(Instant instant) {
		return instant == null ? "" : INPUT.format(instant.atZone(zone()).truncatedTo(ChronoUnit.MINUTES));
	}

	/**
	 * Reads a datetime-local field in the user's zone.
	 * @return null for an empty field
	 * @throws DateTimeException when it is not a date and time
	 */
	public Instant parseInput(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return LocalDateTime.parse(value.strip()).atZone(zone()).toInstant();
	}

	/** Whether the lead's zone differs from the user's, so the page also shows the lead's local time. */
	public boolean differs(String leadZone) {
		try {
			return leadZone != null && !ZoneId.of(leadZone).normalized().equals(zone().normalized());
		}
		catch (DateTimeException ex) {
			return false;
		}
	}

	public ZonedDateTime in(Instant instant, String leadZone) {
		return instant == null ? null : instant.atZone(ZoneId.of(leadZone));
	}

}
