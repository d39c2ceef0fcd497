package com.leadflow.scheduling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.leadflow.common.InvalidRequestException;

import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.stereotype.Component;

/**
 * When a next action is due: the cadence's delay laid on the business calendar (inside the
 * lead's working hours), then levelled so a rep's generated calls never exceed their daily
 * capacity: an overflowing call moves to the next working day with room.
 */
@Component
public class ActionPlanner {

	/** A year of working days is more than any rep's backlog; beyond that the data is wrong. */
	private static final int MAX_DAYS_AHEAD = 260;

	/** Calendar days of open calls read at once, beyond the first week, when a rep's days are full. */
	private static final int DAYS_PER_READ = 31;

	/**
	 * How far ahead a person may put an action. Later times are typing errors (year 99999), fall
	 * outside the holidays the calendar knows and outside what a MySQL DATETIME holds.
	 */
	static final int MAX_YEARS_AHEAD = 5;

	/** Local times in the pages' messages: readable, in the lead's zone, without an offset. */
	private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

	private final BusinessCalendar calendar;

	private final RepLoad load;

	private final RepRepository reps;

	private final SchedulingProperties properties;

	ActionPlanner(BusinessCalendar calendar, RepLoad load, RepRepository reps, SchedulingProperties properties) {
		this.calendar = calendar;
		this.load = load;
		this.reps = reps;
		this.properties = properties;
	}

	/**
	 * Due time of a generated action.
	 * @param call whether it is a call (only calls count against capacity)
	 */
	public Instant plan(Instant now, String delay, ZoneId leadZone, String assignee, boolean call) {
		Instant due = calendar.plusDelay(now, delay, leadZone);
		if (!call || assignee == null) {
			return due;
		}
		int capacity = capacityOf(assignee);
		ZoneId teamZone = calendar.teamZone();
		// Usually the first day has room: one COUNT. When it is full, the next week's days are read in one
		// statement, then a month of days at a time. The first day and the next week are counted up to the
		// capacity only (a day is full or not), so days holding far more calls than the capacity (a lowered
		// capacity, callbacks, handed-over work) cost no more than full ones. Beyond the first week days hold
		// about the capacity each (levelling filled them), and one grouped read of a month is cheaper than a
		// bounded read per day. All of it is read from the index on (assignee, status, type, due_at).
		Map<LocalDate, Integer> perDay = new HashMap<>();
		LocalDate readUntil = null;
		for (int i = 0; i < MAX_DAYS_AHEAD; i++) {
			LocalDate day = due.atZone(teamZone).toLocalDate();
			int open;
			if (i == 0) {
				open = load.openCalls(assignee, day.atStartOfDay(teamZone).toInstant(),
						day.plusDays(1).atStartOfDay(teamZone).toInstant(), capacity);
			}
			else {
				if (readUntil == null) {
					readUntil = day.plusDays(RepLoad.DAYS_COUNTED_SINGLY);
					perDay.putAll(load.openCallsPerDay(assignee, day, teamZone, capacity));
				}
				else if (!day.isBefore(readUntil)) {
					readUntil = day.plusDays(DAYS_PER_READ);
					perDay.putAll(load.openCallsPerDay(assignee, day, readUntil, teamZone));
				}
				open = perDay.getOrDefault(day, 0);
			}
			if (open < capacity) {
				return due;
			}
			due = calendar.startOfNextWorkingDay(due, leadZone);
		}
		return due;
	}

	/** When an action due at {@code due} counts as overdue enough to tell managers. */
	public Instant escalationTime(Instant due, ZoneId leadZone) {
		return calendar.addWorkingDays(due, properties.overdueEscalationWorkingDays(), leadZone);
	}

	/**
	 * A time a person chose (a callback, an override): must be in the future and inside working hours.
	 * The API answers the English message; the pages its message code ({@code error.time.*}) with the
	 * times in the lead's zone: {0} the local date and time, {1} the date, {2} the zone, {3} and {4}
	 * the working hours, {5} the next possible time, {6} the day of the week.
	 */
	public void checkChosenTime(String field, Instant at, Instant now, ZoneId leadZone) {
		if (!at.isAfter(now)) {
			throw new InvalidRequestException(field, "must be in the future", "error.time.past");
		}
		checkHorizon(field, at, now);
		if (!calendar.isWorkingTime(at, leadZone)) {
			ZonedDateTime local = at.atZone(leadZone);
			ZonedDateTime next = calendar.nextWorkingTime(at, leadZone).atZone(leadZone);
			DayOfWeek day = local.getDayOfWeek();
			throw new InvalidRequestException(field,
					"is outside the business calendar: " + whyNotWorkingTime(local) + " in the lead's time zone ("
							+ leadZone + "); working hours are " + calendar.dayStart() + "–" + calendar.dayEnd()
							+ " on working days; next possible time is " + next.toOffsetDateTime(),
					"error.time." + notWorkingReason(local.toLocalDate()), LOCAL.format(local),
					local.toLocalDate().toString(), leadZone.getId(), calendar.dayStart().toString(),
					calendar.dayEnd().toString(), LOCAL.format(next), new DefaultMessageSourceResolvable(
							new String[] { "day." + day }, day.getDisplayName(TextStyle.FULL, Locale.ENGLISH)));
		}
	}

	/** A time a person chose (a callback, an override, a meeting) lies at most {@value #MAX_YEARS_AHEAD} years ahead. */
	public void checkHorizon(String field, Instant at, Instant now) {
		if (at.isAfter(now.atZone(ZoneOffset.UTC).plusYears(MAX_YEARS_AHEAD).toInstant())) {
			throw new InvalidRequestException(field, "must be within " + MAX_YEARS_AHEAD + " years from now",
					"error.time.horizon", MAX_YEARS_AHEAD);
		}
	}

	/** Names what makes a local time unworkable: a holiday, a day off, or a time outside working hours. */
	private String whyNotWorkingTime(ZonedDateTime local) {
		LocalDate date = local.toLocalDate();
		return switch (notWorkingReason(date)) {
			case "holiday" -> date + " is a holiday";
			case "dayOff" -> date + " is a " + date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)
					+ ", not a working day";
			default -> local.toLocalTime() + " on " + date + " is outside working hours";
		};
	}

	private String notWorkingReason(LocalDate date) {
		if (calendar.isHoliday(date)) {
			return "holiday";
		}
		if (!calendar.workingDaysOfWeek().contains(date.getDayOfWeek())) {
			return "dayOff";
		}
		return "hours";
	}

	public int capacityOf(String assignee) {
		return reps.find(assignee)
			.map(RepRepository.Rep::dailyCapacity)
			.filter(c -> c != null)
			.orElse(properties.defaultDailyCapacity());
	}

}
