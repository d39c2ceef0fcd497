package com.leadflow.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class BusinessCalendarTest {

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final ZoneId LA = ZoneId.of("America/Los_Angeles");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final BusinessCalendar cal = BusinessCalendar.japanDefault();

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private static LocalDate d(int y, int m, int day) {
        return LocalDate.of(y, m, day);
    }

    /** Every day is a working day, no holidays: isolates DST behaviour from weekends. */
    private static BusinessCalendar everyDay(LocalTime start, LocalTime end) {
        return new BusinessCalendar(TOKYO, start, end, EnumSet.allOf(DayOfWeek.class), Set.of());
    }

    // --- configuration -------------------------------------------------------------------

    @Test
    void japan_default_is_tokyo_nine_to_six_monday_to_friday() {
        assertThat(cal.teamZone()).isEqualTo(TOKYO);
        assertThat(cal.dayStart()).isEqualTo(LocalTime.of(9, 0));
        assertThat(cal.dayEnd()).isEqualTo(LocalTime.of(18, 0));
        assertThat(cal.workingDaysOfWeek()).containsExactlyInAnyOrder(
                DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        assertThat(BusinessCalendar.japanDefault()).isSameAs(cal);
    }

    @Test
    void rejects_day_start_not_before_day_end_and_empty_working_days() {
        Set<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        assertThatThrownBy(() -> new BusinessCalendar(TOKYO, LocalTime.of(9, 0), LocalTime.of(9, 0), weekdays, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dayStart");
        assertThatThrownBy(() -> new BusinessCalendar(TOKYO, LocalTime.of(18, 0), LocalTime.of(9, 0), weekdays, Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BusinessCalendar(TOKYO, LocalTime.of(9, 0), LocalTime.of(18, 0),
                EnumSet.noneOf(DayOfWeek.class), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workingDays");
    }

    @Test
    void fixed_holiday_set_and_extra_holidays_are_respected() {
        Set<DayOfWeek> weekdays = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        BusinessCalendar fixed = new BusinessCalendar(TOKYO, LocalTime.of(9, 0), LocalTime.of(18, 0),
                weekdays, Set.of(d(2026, 12, 31)));
        assertThat(fixed.isWorkingDay(d(2026, 12, 31))).isFalse();
        assertThat(fixed.isWorkingDay(d(2026, 5, 4))).as("no Japanese holidays in a fixed set").isTrue();

        AtomicInteger calls = new AtomicInteger();
        BusinessCalendar lazy = new BusinessCalendar(TOKYO, LocalTime.of(9, 0), LocalTime.of(18, 0), weekdays,
                year -> {
                    calls.incrementAndGet();
                    return JapaneseHolidays.forYear(year);
                },
                Set.of(d(2026, 12, 30)));
        assertThat(lazy.isWorkingDay(d(2026, 5, 4))).isFalse();
        assertThat(lazy.isWorkingDay(d(2026, 12, 30))).isFalse();
        assertThat(lazy.workingDaysBetween(d(2026, 1, 1), d(2026, 12, 31))).isPositive();
        assertThat(calls).hasValue(1);
    }

    // --- working days ----------------------------------------------------------------------

    @Test
    void weekends_are_not_working_days() {
        assertThat(cal.isWorkingDay(d(2026, 6, 13))).isFalse(); // Saturday
        assertThat(cal.isWorkingDay(d(2026, 6, 14))).isFalse(); // Sunday
        assertThat(cal.isWorkingDay(d(2026, 6, 15))).isTrue();  // Monday
    }

    @Test
    void golden_week_holidays_are_not_working_days() {
        assertThat(cal.isWorkingDay(d(2026, 4, 29))).isFalse(); // Showa Day
        assertThat(cal.isWorkingDay(d(2026, 4, 30))).isTrue();
        assertThat(cal.isWorkingDay(d(2026, 5, 1))).isTrue();
        assertThat(cal.isWorkingDay(d(2026, 5, 4))).isFalse();
        assertThat(cal.isWorkingDay(d(2026, 5, 5))).isFalse();
        assertThat(cal.isWorkingDay(d(2026, 5, 6))).isFalse(); // substitute holiday
        assertThat(cal.isWorkingDay(d(2026, 5, 7))).isTrue();
    }

    @Test
    void after_hours_before_golden_week_moves_to_the_first_day_after_it() {
        Instant fridayEvening = at("2026-05-01T09:30:00Z"); // Fri 18:30 JST
        assertThat(cal.nextWorkingTime(fridayEvening, TOKYO)).isEqualTo(at("2026-05-07T00:00:00Z"));
    }

    // --- working hours -----------------------------------------------------------------------

    @Test
    void before_hours_moves_to_day_start_of_the_same_day() {
        Instant early = at("2026-06-14T23:59:00Z"); // Mon 08:59 JST
        assertThat(cal.isWorkingTime(early, TOKYO)).isFalse();
        assertThat(cal.nextWorkingTime(early, TOKYO)).isEqualTo(at("2026-06-15T00:00:00Z"));
    }

    @Test
    void inside_hours_is_returned_unchanged_and_day_start_is_inclusive() {
        Instant dayStart = at("2026-06-15T00:00:00Z"); // Mon 09:00 JST
        Instant midday = at("2026-06-15T03:17:42Z");
        assertThat(cal.isWorkingTime(dayStart, TOKYO)).isTrue();
        assertThat(cal.nextWorkingTime(dayStart, TOKYO)).isEqualTo(dayStart);
        assertThat(cal.nextWorkingTime(midday, TOKYO)).isEqualTo(midday);
        assertThat(cal.nextWorkingTime(midday)).as("team zone overload").isEqualTo(midday);
        assertThat(cal.isWorkingTime(midday, null)).as("null zone = team zone").isTrue();
    }

    @Test
    void exactly_at_day_end_is_not_working_time() {
        Instant dayEnd = at("2026-06-15T09:00:00Z"); // Mon 18:00 JST
        assertThat(cal.isWorkingTime(dayEnd.minusNanos(1), TOKYO)).isTrue();
        assertThat(cal.isWorkingTime(dayEnd, TOKYO)).isFalse();
        assertThat(cal.nextWorkingTime(dayEnd, TOKYO)).isEqualTo(at("2026-06-16T00:00:00Z"));
        assertThat(cal.endOfDay(d(2026, 6, 15), TOKYO)).isEqualTo(dayEnd);
        assertThat(cal.startOfDay(d(2026, 6, 15), TOKYO)).isEqualTo(at("2026-06-15T00:00:00Z"));
    }

    @Test
    void after_hours_on_friday_moves_to_monday_morning() {
        Instant fridayNight = at("2026-06-12T10:00:00Z"); // Fri 19:00 JST
        assertThat(cal.nextWorkingTime(fridayNight, TOKYO)).isEqualTo(at("2026-06-15T00:00:00Z"));
    }

    @Test
    void start_of_next_working_day_skips_the_rest_of_today_and_non_working_days() {
        assertThat(cal.startOfNextWorkingDay(at("2026-06-15T00:30:00Z"), TOKYO)) // Mon 09:30
                .isEqualTo(at("2026-06-16T00:00:00Z"));
        assertThat(cal.startOfNextWorkingDay(at("2026-04-30T20:00:00Z"), TOKYO)) // Fri May 1 05:00
                .isEqualTo(at("2026-05-07T00:00:00Z"));
    }

    // --- lead time zones -------------------------------------------------------------------

    @Test
    void los_angeles_lead_is_called_during_la_hours_which_is_tokyo_night() {
        Instant laMondayMorning = at("2026-06-15T17:00:00Z"); // Mon 10:00 PDT = Tue 02:00 JST
        assertThat(cal.isWorkingTime(laMondayMorning, LA)).isTrue();
        assertThat(cal.isWorkingTime(laMondayMorning, TOKYO)).isFalse();
        assertThat(cal.startOfDay(d(2026, 6, 15), LA)).isEqualTo(at("2026-06-15T16:00:00Z"));
    }

    @Test
    void los_angeles_lead_after_la_hours_waits_for_next_la_morning() {
        Instant laMondayEvening = at("2026-06-16T01:00:00Z"); // Mon 18:00 PDT = Tue 10:00 JST
        assertThat(cal.isWorkingTime(laMondayEvening, TOKYO)).isTrue();
        assertThat(cal.isWorkingTime(laMondayEvening, LA)).isFalse();
        assertThat(cal.nextWorkingTime(laMondayEvening, LA)).isEqualTo(at("2026-06-16T16:00:00Z"));
    }

    @Test
    void los_angeles_sunday_is_not_working_even_when_it_is_monday_in_tokyo() {
        Instant laSundayEvening = at("2026-06-15T03:00:00Z"); // Sun 20:00 PDT = Mon 12:00 JST
        assertThat(cal.isWorkingTime(laSundayEvening, TOKYO)).isTrue();
        assertThat(cal.isWorkingTime(laSundayEvening, LA)).isFalse();
        assertThat(cal.nextWorkingTime(laSundayEvening, LA)).isEqualTo(at("2026-06-15T16:00:00Z"));
    }

    @Test
    void holidays_are_judged_on_the_leads_local_date() {
        Instant laMay4 = at("2026-05-04T17:00:00Z"); // Mon May 4 10:00 PDT (holiday) = May 5 02:00 JST
        assertThat(cal.isWorkingTime(laMay4, LA)).isFalse();
        assertThat(cal.nextWorkingTime(laMay4, LA)).isEqualTo(at("2026-05-07T16:00:00Z"));
    }

    @Test
    void start_of_next_working_day_uses_the_leads_local_date() {
        Instant instant = at("2026-06-15T17:00:00Z"); // Mon 10:00 PDT = Tue 02:00 JST
        assertThat(cal.startOfNextWorkingDay(instant, LA)).isEqualTo(at("2026-06-16T16:00:00Z")); // Tue 09:00 PDT
        assertThat(cal.startOfNextWorkingDay(instant, TOKYO)).isEqualTo(at("2026-06-17T00:00:00Z")); // Wed 09:00 JST
    }

    // --- DST -----------------------------------------------------------------------------------

    @Test
    void new_york_spring_forward_day_start_in_the_gap_resolves_to_end_of_gap() {
        // 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist.
        BusinessCalendar c = everyDay(LocalTime.of(2, 30), LocalTime.of(18, 0));
        Instant gapEnd = at("2026-03-08T07:00:00Z"); // 03:00 EDT
        assertThat(c.startOfDay(d(2026, 3, 8), NEW_YORK)).isEqualTo(gapEnd);
        assertThat(c.isWorkingTime(gapEnd.minusSeconds(1), NEW_YORK)).isFalse(); // 01:59:59 EST
        assertThat(c.isWorkingTime(gapEnd, NEW_YORK)).isTrue();
        assertThat(c.nextWorkingTime(at("2026-03-08T05:00:00Z"), NEW_YORK)).isEqualTo(gapEnd); // from 00:00 EST
        assertThat(c.nextWorkingTime(at("2026-03-07T23:00:00Z"), NEW_YORK)).isEqualTo(gapEnd); // from Sat 18:00 EST
        assertThat(c.startOfDay(d(2026, 3, 7), NEW_YORK)).isEqualTo(at("2026-03-07T07:30:00Z")); // 02:30 EST
        assertThat(c.endOfDay(d(2026, 3, 8), NEW_YORK)).isEqualTo(at("2026-03-08T22:00:00Z")); // 18:00 EDT
    }

    @Test
    void new_york_fall_back_day_start_in_the_overlap_resolves_to_first_occurrence() {
        // 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
        BusinessCalendar c = everyDay(LocalTime.of(1, 30), LocalTime.of(18, 0));
        Instant firstOccurrence = at("2026-11-01T05:30:00Z"); // 01:30 EDT
        assertThat(c.startOfDay(d(2026, 11, 1), NEW_YORK)).isEqualTo(firstOccurrence);
        assertThat(c.nextWorkingTime(at("2026-11-01T04:00:00Z"), NEW_YORK)).isEqualTo(firstOccurrence);
        // the repeated 01:00-01:30 EST hour is inside the already started working day
        assertThat(c.isWorkingTime(at("2026-11-01T06:15:00Z"), NEW_YORK)).isTrue();
        assertThat(c.endOfDay(d(2026, 11, 1), NEW_YORK)).isEqualTo(at("2026-11-01T23:00:00Z")); // 18:00 EST
    }

    @Test
    void new_york_fall_back_day_start_at_0230_uses_standard_time() {
        BusinessCalendar c = everyDay(LocalTime.of(2, 30), LocalTime.of(18, 0));
        assertThat(c.startOfDay(d(2026, 11, 1), NEW_YORK)).isEqualTo(at("2026-11-01T07:30:00Z")); // 02:30 EST
        assertThat(c.startOfDay(d(2026, 10, 31), NEW_YORK)).isEqualTo(at("2026-10-31T06:30:00Z")); // 02:30 EDT
        assertThat(c.nextWorkingTime(at("2026-11-01T04:00:00Z"), NEW_YORK)).isEqualTo(at("2026-11-01T07:30:00Z"));
    }

    @Test
    void berlin_day_start_inside_both_transitions_resolves_to_a_valid_working_instant() {
        BusinessCalendar c = everyDay(LocalTime.of(2, 30), LocalTime.of(18, 0));
        // 2026-03-29: 02:00 CET -> 03:00 CEST at 01:00Z
        Instant springStart = c.nextWorkingTime(at("2026-03-28T23:00:00Z"), BERLIN);
        assertThat(springStart).isEqualTo(at("2026-03-29T01:00:00Z"));
        assertThat(c.isWorkingTime(springStart, BERLIN)).isTrue();
        // 2026-10-25: 03:00 CEST -> 02:00 CET at 01:00Z; first 02:30 is CEST
        Instant fallStart = c.nextWorkingTime(at("2026-10-24T22:00:00Z"), BERLIN);
        assertThat(fallStart).isEqualTo(at("2026-10-25T00:30:00Z"));
        assertThat(c.isWorkingTime(fallStart, BERLIN)).isTrue();
    }

    @Test
    void new_york_lead_keeps_nine_am_local_across_the_dst_weekend() {
        Instant fridayEnd = at("2026-03-06T23:00:00Z"); // Fri 18:00 EST
        assertThat(cal.nextWorkingTime(fridayEnd, NEW_YORK)).isEqualTo(at("2026-03-09T13:00:00Z")); // Mon 09:00 EDT
    }

    // --- adding working days ---------------------------------------------------------------

    @Test
    void add_working_days_skips_weekend_and_golden_week() {
        assertThat(cal.addWorkingDays(d(2026, 4, 30), 0)).isEqualTo(d(2026, 4, 30));
        assertThat(cal.addWorkingDays(d(2026, 4, 30), 1)).isEqualTo(d(2026, 5, 1));
        assertThat(cal.addWorkingDays(d(2026, 4, 30), 2)).isEqualTo(d(2026, 5, 7));
        assertThat(cal.addWorkingDays(d(2026, 5, 1), 1)).isEqualTo(d(2026, 5, 7));
    }

    @Test
    void add_working_days_from_a_non_working_day_rolls_forward_first() {
        assertThat(cal.addWorkingDays(d(2026, 5, 2), 0)).isEqualTo(d(2026, 5, 7));
        assertThat(cal.addWorkingDays(d(2026, 5, 2), 1)).isEqualTo(d(2026, 5, 8));
        assertThatThrownBy(() -> cal.addWorkingDays(d(2026, 5, 2), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void add_working_days_to_an_instant_keeps_the_local_time() {
        Instant friday3pm = at("2026-05-01T06:00:00Z"); // Fri 15:00 JST
        assertThat(cal.addWorkingDays(friday3pm, 1, TOKYO)).isEqualTo(at("2026-05-07T06:00:00Z"));
        assertThat(cal.addWorkingDays(friday3pm, 0, TOKYO)).isEqualTo(friday3pm);
        Instant saturday = at("2026-05-02T01:00:00Z"); // Sat 10:00 JST
        assertThat(cal.addWorkingDays(saturday, 0, TOKYO)).isEqualTo(at("2026-05-07T00:00:00Z"));
        Instant nyFriday10 = at("2026-03-06T15:00:00Z"); // Fri 10:00 EST
        assertThat(cal.addWorkingDays(nyFriday10, 1, NEW_YORK)).isEqualTo(at("2026-03-09T14:00:00Z")); // Mon 10:00 EDT
    }

    @Test
    void working_days_between_counts_2026_q4_in_japan() {
        // Oct 22 weekdays - Sports Day = 21; Nov 21 - Culture Day - Labor Thanksgiving = 19; Dec 23
        assertThat(cal.workingDaysBetween(d(2026, 10, 1), d(2026, 12, 31))).isEqualTo(63);
        assertThat(cal.workingDays(d(2026, 10, 1), d(2026, 12, 31)))
                .hasSize(63)
                .startsWith(d(2026, 10, 1), d(2026, 10, 2), d(2026, 10, 5))
                .doesNotContain(d(2026, 10, 12), d(2026, 11, 3), d(2026, 11, 23))
                .endsWith(d(2026, 12, 31))
                .isSorted();
    }

    @Test
    void working_days_between_is_inclusive_and_empty_for_reversed_range() {
        assertThat(cal.workingDaysBetween(d(2026, 4, 27), d(2026, 5, 8))).isEqualTo(6);
        assertThat(cal.workingDaysBetween(d(2026, 6, 15), d(2026, 6, 15))).isEqualTo(1);
        assertThat(cal.workingDaysBetween(d(2026, 6, 16), d(2026, 6, 15))).isZero();
        assertThat(cal.workingDays(d(2026, 6, 16), d(2026, 6, 15))).isEmpty();
    }

    // --- ISO delays ------------------------------------------------------------------------

    @Test
    void plus_delay_p1m_adds_a_calendar_month_in_the_lead_zone() {
        assertThat(cal.plusDelay(at("2026-06-15T01:00:00Z"), "P1M", TOKYO)) // Mon 10:00 JST
                .isEqualTo(at("2026-07-15T01:00:00Z"));
        // Jan 30 + 1 month = Feb 28 (Saturday) -> Monday Mar 2 09:00
        assertThat(cal.plusDelay(at("2026-01-30T01:00:00Z"), "P1M", TOKYO))
                .isEqualTo(at("2026-03-02T00:00:00Z"));
    }

    @Test
    void plus_delay_p2d_landing_in_golden_week_moves_to_next_working_morning() {
        assertThat(cal.plusDelay(at("2026-06-15T01:00:00Z"), "P2D", TOKYO)).isEqualTo(at("2026-06-17T01:00:00Z"));
        assertThat(cal.plusDelay(at("2026-05-01T01:00:00Z"), "P2D", TOKYO)).isEqualTo(at("2026-05-07T00:00:00Z"));
    }

    @Test
    void plus_delay_pt0s_means_as_soon_as_working_hours_allow() {
        Instant inHours = at("2026-06-15T03:00:00Z");
        assertThat(cal.plusDelay(inHours, "PT0S", TOKYO)).isEqualTo(inHours);
        assertThat(cal.plusDelay(at("2026-06-15T10:00:00Z"), "PT0S", TOKYO)) // 19:00 JST
                .isEqualTo(at("2026-06-16T00:00:00Z"));
    }

    @Test
    void plus_delay_durations_are_exact_time_and_periods_are_calendar_time() {
        assertThat(cal.plusDelay(at("2026-06-15T07:00:00Z"), "PT4H", TOKYO)) // 16:00 + 4h = 20:00 JST
                .isEqualTo(at("2026-06-16T00:00:00Z"));
        assertThat(cal.plusDelay(at("2026-06-15T01:00:00Z"), "P1DT2H", TOKYO)).isEqualTo(at("2026-06-16T03:00:00Z"));
        assertThat(cal.plusDelay(at("2026-06-15T01:00:00Z"), "P1Y2M3D", TOKYO)).isEqualTo(at("2027-08-18T01:00:00Z"));
        Instant nyFriday10 = at("2026-03-06T15:00:00Z"); // Fri 10:00 EST, DST starts Sunday
        assertThat(cal.plusDelay(nyFriday10, "P7D", NEW_YORK)).isEqualTo(at("2026-03-13T14:00:00Z")); // 10:00 EDT
        assertThat(cal.plusDelay(nyFriday10, "PT168H", NEW_YORK)).isEqualTo(at("2026-03-13T15:00:00Z")); // 11:00 EDT
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"1D", "P", "PT", "P1X", "two days", "-P1D", "P-1D", "PT-1H", "P1Y2M3DT4H", " "})
    void invalid_delay_is_rejected_with_a_clear_message(String delay) {
        assertThat(BusinessCalendar.isValidDelay(delay)).isFalse();
        assertThatThrownBy(() -> cal.plusDelay(at("2026-06-15T01:00:00Z"), delay, TOKYO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay");
    }

    @ParameterizedTest
    @ValueSource(strings = {"P1M", "P2D", "PT0S", "PT4H", "P1DT2H", "P1Y2M3D", "P1W", "p2d", "pt30m"})
    void valid_delays_are_accepted(String delay) {
        assertThat(BusinessCalendar.isValidDelay(delay)).isTrue();
    }
}
