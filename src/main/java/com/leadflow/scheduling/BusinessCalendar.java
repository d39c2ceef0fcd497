package com.leadflow.scheduling;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAmount;
import java.time.zone.ZoneOffsetTransition;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Working days and working hours used to schedule lead contact.
 *
 * <p>Working days (weekdays minus holidays) and working hours {@code [dayStart, dayEnd)} are the
 * same for every lead, but are applied in the <em>lead's</em> time zone: a call to a lead in
 * Los Angeles happens during LA office hours on an LA working date, even if that is night in
 * Tokyo. Methods that take a {@code ZoneId zone} accept {@code null} to mean {@link #teamZone()}.
 *
 * <p>The working window of a date is the instant interval {@code [startOfDay, endOfDay)}. Across
 * DST transitions a boundary time that does not exist (gap) resolves to the instant the clock
 * jumps, i.e. the first instant whose local time is past it; one that occurs twice (overlap)
 * resolves to its first occurrence. So a window always consists of real instants and is never
 * silently skipped.
 *
 * <p>Immutable and thread-safe. Holidays can be a fixed set or computed lazily per year.
 */
public final class BusinessCalendar {

    /** Bound for searches, so a calendar whose holidays cover everything fails loudly instead of looping. */
    private static final int MAX_SEARCH_DAYS = 3_660;

    private static final BusinessCalendar JAPAN_DEFAULT = new BusinessCalendar(
            ZoneId.of("Asia/Tokyo"),
            LocalTime.of(9, 0),
            LocalTime.of(18, 0),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            year -> JapaneseHolidays.supports(year) ? JapaneseHolidays.forYear(year) : Set.of(),
            Set.of());

    private final ZoneId teamZone;
    private final LocalTime dayStart;
    private final LocalTime dayEnd;
    private final Set<DayOfWeek> workingDays;
    private final Function<Integer, Set<LocalDate>> holidaysPerYear;
    private final Set<LocalDate> extraHolidays;
    /** Memo of {@link #holidaysPerYear}; not observable state, so the calendar stays immutable. */
    private final Map<Integer, Set<LocalDate>> holidayCache = new ConcurrentHashMap<>();

    /**
     * Calendar with a fixed set of holiday dates (dates outside the set are never holidays).
     *
     * @throws IllegalArgumentException if {@code dayStart} is not before {@code dayEnd} or
     *                                  {@code workingDays} is empty
     */
    public BusinessCalendar(ZoneId teamZone, LocalTime dayStart, LocalTime dayEnd,
                            Set<DayOfWeek> workingDays, Set<LocalDate> holidays) {
        this(teamZone, dayStart, dayEnd, workingDays, year -> Set.of(), holidays);
    }

    /**
     * Calendar whose holidays are computed per year on first use (e.g.
     * {@link JapaneseHolidays#forYear}), so it works for any date without a precomputed table,
     * plus company-specific {@code extraHolidays} (e.g. year-end closure).
     *
     * @param holidaysPerYear holidays of the given year; may return {@code null} or an empty set
     *                        for years it does not know. Called at most once per year.
     * @throws IllegalArgumentException if {@code dayStart} is not before {@code dayEnd} or
     *                                  {@code workingDays} is empty
     */
    public BusinessCalendar(ZoneId teamZone, LocalTime dayStart, LocalTime dayEnd, Set<DayOfWeek> workingDays,
                            Function<Integer, Set<LocalDate>> holidaysPerYear, Set<LocalDate> extraHolidays) {
        this.teamZone = Objects.requireNonNull(teamZone, "teamZone");
        this.dayStart = Objects.requireNonNull(dayStart, "dayStart");
        this.dayEnd = Objects.requireNonNull(dayEnd, "dayEnd");
        Objects.requireNonNull(workingDays, "workingDays");
        this.holidaysPerYear = Objects.requireNonNull(holidaysPerYear, "holidaysPerYear");
        this.extraHolidays = Set.copyOf(Objects.requireNonNull(extraHolidays, "extraHolidays"));
        if (!dayStart.isBefore(dayEnd)) {
            throw new IllegalArgumentException(
                    "dayStart (" + dayStart + ") must be before dayEnd (" + dayEnd + ")");
        }
        if (workingDays.isEmpty()) {
            throw new IllegalArgumentException("workingDays must not be empty");
        }
        this.workingDays = Collections.unmodifiableSet(EnumSet.copyOf(workingDays));
    }

    /**
     * The Leadflow default: Asia/Tokyo, 09:00–18:00, Monday–Friday, Japanese public holidays
     * (computed per year; years outside {@link JapaneseHolidays#MIN_YEAR}–{@link
     * JapaneseHolidays#MAX_YEAR} have no holidays rather than failing). Shared instance.
     */
    public static BusinessCalendar japanDefault() {
        return JAPAN_DEFAULT;
    }

    /** Zone used when a lead's zone is unknown ({@code null}). */
    public ZoneId teamZone() {
        return teamZone;
    }

    /** Local start of working hours (inclusive). */
    public LocalTime dayStart() {
        return dayStart;
    }

    /** Local end of working hours (exclusive). */
    public LocalTime dayEnd() {
        return dayEnd;
    }

    /** Days of the week that are working days unless they are holidays. */
    public Set<DayOfWeek> workingDaysOfWeek() {
        return workingDays;
    }

    /** Whether {@code date} is a holiday, regardless of its day of week. */
    public boolean isHoliday(LocalDate date) {
        if (extraHolidays.contains(date)) {
            return true;
        }
        return holidayCache.computeIfAbsent(date.getYear(), year -> {
            Set<LocalDate> holidays = holidaysPerYear.apply(year);
            return holidays == null ? Set.of() : Set.copyOf(holidays);
        }).contains(date);
    }

    /**
     * Whether {@code date} is a working day. The date is a local date: callers judging a lead's
     * day must first convert to the lead's zone (the instant-based methods do this).
     */
    public boolean isWorkingDay(LocalDate date) {
        return workingDays.contains(date.getDayOfWeek()) && !isHoliday(date);
    }

    /**
     * Whether {@code instant} is inside working hours of a working day, both judged in {@code zone}
     * (the lead's zone). {@code dayEnd} itself is not working time.
     */
    public boolean isWorkingTime(Instant instant, ZoneId zone) {
        ZoneId z = zoneOrTeam(zone);
        LocalDate date = instant.atZone(z).toLocalDate();
        return isWorkingDay(date)
                && !instant.isBefore(startOfDay(date, z))
                && instant.isBefore(endOfDay(date, z));
    }

    /** {@link #isWorkingTime(Instant, ZoneId)} in the team zone. */
    public boolean isWorkingTime(Instant instant) {
        return isWorkingTime(instant, teamZone);
    }

    /**
     * The earliest instant at or after {@code earliest} that is working time in {@code zone}:
     * {@code earliest} itself if already working, otherwise the next window's start. Use it to
     * push any computed due time into the lead's office hours.
     *
     * @throws IllegalStateException if no working day exists within ~10 years (misconfigured holidays)
     */
    public Instant nextWorkingTime(Instant earliest, ZoneId zone) {
        ZoneId z = zoneOrTeam(zone);
        LocalDate date = earliest.atZone(z).toLocalDate();
        for (int i = 0; i < MAX_SEARCH_DAYS; i++, date = date.plusDays(1)) {
            if (!isWorkingDay(date)) {
                continue;
            }
            Instant start = startOfDay(date, z);
            Instant end = endOfDay(date, z);
            if (!start.isBefore(end)) {
                continue; // window swallowed by a DST gap; nothing to offer that day
            }
            if (earliest.isBefore(start)) {
                return start;
            }
            if (earliest.isBefore(end)) {
                return earliest;
            }
        }
        throw noWorkingDay(earliest);
    }

    /** {@link #nextWorkingTime(Instant, ZoneId)} in the team zone. */
    public Instant nextWorkingTime(Instant earliest) {
        return nextWorkingTime(earliest, teamZone);
    }

    /**
     * Start of working hours on the first working day whose local date (in {@code zone}) is
     * strictly after that of {@code after}; for "retry tomorrow" regardless of the time today.
     */
    public Instant startOfNextWorkingDay(Instant after, ZoneId zone) {
        ZoneId z = zoneOrTeam(zone);
        LocalDate date = nextWorkingDayOnOrAfter(after.atZone(z).toLocalDate().plusDays(1));
        return startOfDay(date, z);
    }

    /**
     * Instant at which working hours begin on local {@code date} in {@code zone} (whether or not
     * it is a working day). A {@code dayStart} inside a DST gap resolves to the end of the gap,
     * inside an overlap to its first occurrence.
     */
    public Instant startOfDay(LocalDate date, ZoneId zone) {
        return firstInstantAtOrAfter(date.atTime(dayStart), zoneOrTeam(zone));
    }

    /**
     * Instant at which working hours end (exclusive) on local {@code date} in {@code zone};
     * DST gaps and overlaps resolve as in {@link #startOfDay}.
     */
    public Instant endOfDay(LocalDate date, ZoneId zone) {
        return firstInstantAtOrAfter(date.atTime(dayEnd), zoneOrTeam(zone));
    }

    /**
     * The {@code days}-th working day after the first working day on or after {@code date}.
     * Rolling forward first keeps the result strictly increasing in {@code days}: from a
     * Saturday, 0 gives Monday and 1 gives Tuesday.
     *
     * @throws IllegalArgumentException if {@code days} is negative
     */
    public LocalDate addWorkingDays(LocalDate date, int days) {
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative: " + days);
        }
        LocalDate result = nextWorkingDayOnOrAfter(date);
        for (int i = 0; i < days; i++) {
            result = nextWorkingDayOnOrAfter(result.plusDays(1));
        }
        return result;
    }

    /**
     * {@code days} working days after {@code instant}, at the same local time of day in {@code zone}.
     * The instant is first moved to {@link #nextWorkingTime} (so 0 days equals nextWorkingTime and
     * a Saturday start counts from Monday's dayStart); the result is clamped the same way in
     * case DST moved it out of working hours.
     *
     * @throws IllegalArgumentException if {@code days} is negative
     */
    public Instant addWorkingDays(Instant instant, int days, ZoneId zone) {
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative: " + days);
        }
        ZoneId z = zoneOrTeam(zone);
        ZonedDateTime start = nextWorkingTime(instant, z).atZone(z);
        LocalDate targetDate = addWorkingDays(start.toLocalDate(), days);
        Instant target = firstInstantAtOrAfter(targetDate.atTime(start.toLocalTime()), z);
        return nextWorkingTime(target, z);
    }

    /** Number of working days in {@code [fromInclusive, toInclusive]}; 0 if the range is empty. */
    public int workingDaysBetween(LocalDate fromInclusive, LocalDate toInclusive) {
        return (int) workingDayStream(fromInclusive, toInclusive).count();
    }

    /** Working days in {@code [fromInclusive, toInclusive]} in order; empty if the range is empty. */
    public List<LocalDate> workingDays(LocalDate fromInclusive, LocalDate toInclusive) {
        return workingDayStream(fromInclusive, toInclusive).toList();
    }

    /**
     * {@code from} plus an ISO-8601 delay, pushed into working time in {@code zone}. Date-based
     * delays ({@link Period}: "P2D", "P1M", "P1Y2M3D", "P1W") are added on the local calendar, so
     * "P1D" keeps the local time across DST; time-based ones ({@link Duration}: "PT4H", "P1DT2H",
     * "PT0S") are added as exact elapsed time. "PT0S" therefore just means "as soon as working
     * hours allow".
     *
     * @throws IllegalArgumentException if {@code isoDelay} is not a valid non-negative delay
     */
    public Instant plusDelay(Instant from, String isoDelay, ZoneId zone) {
        ZoneId z = zoneOrTeam(zone);
        TemporalAmount delay = parseDelay(isoDelay);
        Instant due = delay instanceof Period period
                ? from.atZone(z).plus(period).toInstant()
                : from.plus(delay);
        return nextWorkingTime(due, z);
    }

    /**
     * Whether {@code isoDelay} would be accepted by {@link #plusDelay}; lets configuration and
     * API input be validated up front instead of failing when a timer fires.
     */
    public static boolean isValidDelay(String isoDelay) {
        try {
            parseDelay(isoDelay);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static TemporalAmount parseDelay(String isoDelay) {
        if (isoDelay == null || isoDelay.isBlank()) {
            throw new IllegalArgumentException("Invalid delay: expected an ISO-8601 period or duration"
                    + " such as P2D or PT4H, but was " + (isoDelay == null ? "null" : "blank"));
        }
        String text = isoDelay.strip();
        try {
            // A 'T' means a time part, which only Duration can hold ("P1DT2H" = exactly 26 hours).
            if (text.indexOf('T') >= 0 || text.indexOf('t') >= 0) {
                Duration duration = Duration.parse(text);
                if (duration.isNegative()) {
                    throw new IllegalArgumentException("Invalid delay '" + isoDelay + "': must not be negative");
                }
                return duration;
            }
            Period period = Period.parse(text);
            if (period.isNegative()) {
                throw new IllegalArgumentException("Invalid delay '" + isoDelay + "': must not be negative");
            }
            return period;
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("Invalid ISO-8601 delay '" + isoDelay
                    + "': expected a period such as P2D, P1M, P1Y2M3D or a duration such as PT4H, P1DT2H, PT0S", e);
        }
    }

    private Stream<LocalDate> workingDayStream(LocalDate fromInclusive, LocalDate toInclusive) {
        if (toInclusive.isBefore(fromInclusive)) {
            return Stream.empty();
        }
        return fromInclusive.datesUntil(toInclusive.plusDays(1)).filter(this::isWorkingDay);
    }

    private LocalDate nextWorkingDayOnOrAfter(LocalDate date) {
        LocalDate d = date;
        for (int i = 0; i < MAX_SEARCH_DAYS; i++, d = d.plusDays(1)) {
            if (isWorkingDay(d)) {
                return d;
            }
        }
        throw noWorkingDay(date);
    }

    /** Earliest instant whose local time in {@code zone} is at or past {@code local}. */
    private static Instant firstInstantAtOrAfter(LocalDateTime local, ZoneId zone) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return ZonedDateTime.of(local, zone).toInstant(); // overlap: earlier offset
    }

    private ZoneId zoneOrTeam(ZoneId zone) {
        return zone != null ? zone : teamZone;
    }

    private static IllegalStateException noWorkingDay(Object from) {
        return new IllegalStateException("No working day within " + MAX_SEARCH_DAYS + " days of " + from
                + "; check the working days and holidays of the business calendar");
    }

    @Override
    public String toString() {
        return "BusinessCalendar[" + teamZone + ", " + dayStart + "-" + dayEnd + ", " + workingDays
                + ", extraHolidays=" + extraHolidays.size() + "]";
    }
}
