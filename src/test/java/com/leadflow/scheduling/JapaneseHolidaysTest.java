package com.leadflow.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JapaneseHolidaysTest {

    private static LocalDate d(int y, int m, int day) {
        return LocalDate.of(y, m, day);
    }

    @Test
    void computes_the_official_2026_list_exactly() {
        assertThat(JapaneseHolidays.forYear(2026)).containsExactly(
                d(2026, 1, 1), d(2026, 1, 12), d(2026, 2, 11), d(2026, 2, 23), d(2026, 3, 20),
                d(2026, 4, 29), d(2026, 5, 3), d(2026, 5, 4), d(2026, 5, 5), d(2026, 5, 6),
                d(2026, 7, 20), d(2026, 8, 11), d(2026, 9, 21), d(2026, 9, 22), d(2026, 9, 23),
                d(2026, 10, 12), d(2026, 11, 3), d(2026, 11, 23));
    }

    @Test
    void computes_the_official_2027_list_exactly() {
        assertThat(JapaneseHolidays.forYear(2027)).containsExactly(
                d(2027, 1, 1), d(2027, 1, 11), d(2027, 2, 11), d(2027, 2, 23), d(2027, 3, 21),
                d(2027, 3, 22), d(2027, 4, 29), d(2027, 5, 3), d(2027, 5, 4), d(2027, 5, 5),
                d(2027, 7, 19), d(2027, 8, 11), d(2027, 9, 20), d(2027, 9, 23), d(2027, 10, 11),
                d(2027, 11, 3), d(2027, 11, 23));
    }

    @Test
    void computes_the_official_2025_list_including_three_substitute_holidays() {
        assertThat(JapaneseHolidays.forYear(2025)).containsExactly(
                d(2025, 1, 1), d(2025, 1, 13), d(2025, 2, 11), d(2025, 2, 23), d(2025, 2, 24),
                d(2025, 3, 20), d(2025, 4, 29), d(2025, 5, 3), d(2025, 5, 4), d(2025, 5, 5),
                d(2025, 5, 6), d(2025, 7, 21), d(2025, 8, 11), d(2025, 9, 15), d(2025, 9, 23),
                d(2025, 10, 13), d(2025, 11, 3), d(2025, 11, 23), d(2025, 11, 24));
    }

    @Test
    void sunday_holiday_moves_to_the_next_day_that_is_not_a_holiday() {
        // 2026-05-03 (Sun): May 4 and 5 are holidays themselves, so the substitute is May 6.
        Map<LocalDate, String> named = JapaneseHolidays.namedForYear(2026);
        assertThat(d(2026, 5, 3).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
        assertThat(named).containsEntry(d(2026, 5, 6), "Substitute Holiday");
        // 2027-03-21 (Sun, Vernal Equinox) -> Monday 22nd.
        assertThat(JapaneseHolidays.namedForYear(2027)).containsEntry(d(2027, 3, 22), "Substitute Holiday");
        // 2023-01-01 (Sun) -> Jan 2.
        assertThat(JapaneseHolidays.namedForYear(2023)).containsEntry(d(2023, 1, 2), "Substitute Holiday");
    }

    @Test
    void day_between_two_holidays_is_a_citizens_holiday() {
        assertThat(JapaneseHolidays.namedForYear(2026))
                .containsEntry(d(2026, 9, 21), "Respect for the Aged Day")
                .containsEntry(d(2026, 9, 22), "Citizens' Holiday")
                .containsEntry(d(2026, 9, 23), "Autumnal Equinox Day");
        assertThat(JapaneseHolidays.namedForYear(2032)).containsEntry(d(2032, 9, 21), "Citizens' Holiday");
        assertThat(JapaneseHolidays.forYear(2027)).doesNotContain(d(2027, 9, 21), d(2027, 9, 22));
    }

    @Test
    void equinox_formula_matches_officially_announced_dates() {
        assertThat(JapaneseHolidays.forYear(2020)).contains(d(2020, 3, 20), d(2020, 9, 22));
        assertThat(JapaneseHolidays.forYear(2021)).contains(d(2021, 3, 20), d(2021, 9, 23));
        assertThat(JapaneseHolidays.forYear(2022)).contains(d(2022, 3, 21), d(2022, 9, 23));
        assertThat(JapaneseHolidays.forYear(2023)).contains(d(2023, 3, 21), d(2023, 9, 23));
        assertThat(JapaneseHolidays.forYear(2024)).contains(d(2024, 3, 20), d(2024, 9, 22));
        assertThat(JapaneseHolidays.forYear(2025)).contains(d(2025, 3, 20), d(2025, 9, 23));
    }

    @Test
    void olympic_years_use_the_relocated_dates() {
        assertThat(JapaneseHolidays.forYear(2021))
                .contains(d(2021, 7, 22), d(2021, 7, 23), d(2021, 8, 8), d(2021, 8, 9))
                .doesNotContain(d(2021, 7, 19), d(2021, 8, 11), d(2021, 10, 11));
        assertThat(JapaneseHolidays.forYear(2020))
                .contains(d(2020, 7, 23), d(2020, 7, 24), d(2020, 8, 10))
                .doesNotContain(d(2020, 7, 20), d(2020, 8, 11), d(2020, 10, 12));
    }

    @Test
    void names_are_english() {
        Map<LocalDate, String> named = JapaneseHolidays.namedForYear(2026);
        assertThat(named.get(d(2026, 1, 12))).isEqualTo("Coming of Age Day");
        assertThat(named.get(d(2026, 2, 23))).isEqualTo("Emperor's Birthday");
        assertThat(named.get(d(2026, 10, 12))).isEqualTo("Sports Day");
        assertThat(named.values()).doesNotContainNull();
    }

    @Test
    void every_supported_year_has_plausible_holidays_and_a_substitute_for_each_sunday_holiday() {
        for (int year = JapaneseHolidays.MIN_YEAR; year <= JapaneseHolidays.MAX_YEAR; year++) {
            final int y = year;
            Map<LocalDate, String> named = JapaneseHolidays.namedForYear(y);
            assertThat(named.keySet()).hasSizeBetween(16, 21).allMatch(h -> h.getYear() == y);
            named.forEach((date, name) -> {
                if (date.getDayOfWeek() == DayOfWeek.SUNDAY && !name.equals("Citizens' Holiday")) {
                    assertThat(named.entrySet())
                            .as("substitute for %s %s", date, name)
                            .anyMatch(e -> e.getValue().equals("Substitute Holiday")
                                    && e.getKey().isAfter(date) && !e.getKey().isAfter(date.plusDays(3)));
                }
            });
        }
    }

    @Test
    void rejects_unsupported_years_and_result_is_immutable() {
        assertThatThrownBy(() -> JapaneseHolidays.forYear(2019)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JapaneseHolidays.forYear(2100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JapaneseHolidays.forYear(2026).add(d(2026, 12, 31)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(JapaneseHolidays.isHoliday(d(2026, 5, 6))).isTrue();
        assertThat(JapaneseHolidays.isHoliday(d(2026, 5, 7))).isFalse();
        assertThat(JapaneseHolidays.isHoliday(d(2150, 1, 1))).isFalse();
    }
}
