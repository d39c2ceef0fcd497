package com.leadflow.scheduling;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Japan's national public holidays, computed from the rules of the Act on National Holidays
 * (国民の祝日に関する法律) as in force since 2020, so no yearly table has to be maintained.
 *
 * <p>Covers {@value #MIN_YEAR}–{@value #MAX_YEAR}: the equinox approximation formula is only
 * valid up to 2099, and earlier years used different rules (e.g. the Emperor's Birthday on
 * Dec 23). The equinox days are officially fixed by the Cabinet each February for the following
 * year; the formula matches every announced date in this range, but a future announcement
 * could in theory differ by a day. The 2020/2021 Olympic relocations of Marine Day, Sports Day
 * and Mountain Day are included.
 *
 * <p>Results are cached and immutable; the class is thread-safe.
 */
public final class JapaneseHolidays {

    /** First supported year. */
    public static final int MIN_YEAR = 2020;
    /** Last supported year (limit of the equinox approximation formula). */
    public static final int MAX_YEAR = 2099;

    static final String SUBSTITUTE_HOLIDAY = "Substitute Holiday";
    static final String CITIZENS_HOLIDAY = "Citizens' Holiday";

    private static final Map<Integer, NavigableMap<LocalDate, String>> CACHE = new ConcurrentHashMap<>();

    private JapaneseHolidays() {
    }

    /**
     * Whether {@link #forYear(int)} can answer for {@code year}, so callers can fall back
     * instead of catching the exception.
     */
    public static boolean supports(int year) {
        return year >= MIN_YEAR && year <= MAX_YEAR;
    }

    /**
     * All public holidays of {@code year} (national holidays, substitute holidays and
     * citizen's holidays), in date order.
     *
     * @throws IllegalArgumentException if the year is outside {@value #MIN_YEAR}–{@value #MAX_YEAR}
     */
    public static Set<LocalDate> forYear(int year) {
        return namedForYear(year).keySet();
    }

    /**
     * The same holidays as {@link #forYear(int)} with their English names, in date order;
     * useful for UIs and logs that must explain why a day is skipped.
     *
     * @throws IllegalArgumentException if the year is outside {@value #MIN_YEAR}–{@value #MAX_YEAR}
     */
    public static Map<LocalDate, String> namedForYear(int year) {
        if (!supports(year)) {
            throw new IllegalArgumentException(
                    "Japanese holidays are only computed for " + MIN_YEAR + "-" + MAX_YEAR + ", not " + year);
        }
        return CACHE.computeIfAbsent(year, JapaneseHolidays::compute);
    }

    /** Whether {@code date} is a public holiday; false for dates outside the supported years. */
    public static boolean isHoliday(LocalDate date) {
        return supports(date.getYear()) && forYear(date.getYear()).contains(date);
    }

    private static NavigableMap<LocalDate, String> compute(int year) {
        TreeMap<LocalDate, String> national = new TreeMap<>();
        national.put(LocalDate.of(year, 1, 1), "New Year's Day");
        national.put(nthMonday(year, Month.JANUARY, 2), "Coming of Age Day");
        national.put(LocalDate.of(year, 2, 11), "National Foundation Day");
        national.put(LocalDate.of(year, 2, 23), "Emperor's Birthday");
        national.put(LocalDate.of(year, 3, vernalEquinoxDay(year)), "Vernal Equinox Day");
        national.put(LocalDate.of(year, 4, 29), "Showa Day");
        national.put(LocalDate.of(year, 5, 3), "Constitution Memorial Day");
        national.put(LocalDate.of(year, 5, 4), "Greenery Day");
        national.put(LocalDate.of(year, 5, 5), "Children's Day");
        if (year == 2020) { // Tokyo Olympics special measures act
            national.put(LocalDate.of(2020, 7, 23), "Marine Day");
            national.put(LocalDate.of(2020, 7, 24), "Sports Day");
            national.put(LocalDate.of(2020, 8, 10), "Mountain Day");
        } else if (year == 2021) {
            national.put(LocalDate.of(2021, 7, 22), "Marine Day");
            national.put(LocalDate.of(2021, 7, 23), "Sports Day");
            national.put(LocalDate.of(2021, 8, 8), "Mountain Day");
        } else {
            national.put(nthMonday(year, Month.JULY, 3), "Marine Day");
            national.put(LocalDate.of(year, 8, 11), "Mountain Day");
            national.put(nthMonday(year, Month.OCTOBER, 2), "Sports Day");
        }
        national.put(nthMonday(year, Month.SEPTEMBER, 3), "Respect for the Aged Day");
        national.put(LocalDate.of(year, 9, autumnalEquinoxDay(year)), "Autumnal Equinox Day");
        national.put(LocalDate.of(year, 11, 3), "Culture Day");
        national.put(LocalDate.of(year, 11, 23), "Labor Thanksgiving Day");

        TreeMap<LocalDate, String> all = new TreeMap<>(national);
        for (LocalDate holiday : new ArrayList<>(national.keySet())) {
            // Art. 3(2): a national holiday on Sunday makes the nearest following
            // non-national-holiday day a holiday.
            if (holiday.getDayOfWeek() == DayOfWeek.SUNDAY) {
                LocalDate substitute = holiday.plusDays(1);
                while (national.containsKey(substitute)) {
                    substitute = substitute.plusDays(1);
                }
                all.putIfAbsent(substitute, SUBSTITUTE_HOLIDAY);
            }
            // Art. 3(3): a non-holiday sandwiched between two national holidays is a holiday.
            LocalDate between = holiday.plusDays(1);
            if (!national.containsKey(between) && national.containsKey(holiday.plusDays(2))) {
                all.putIfAbsent(between, CITIZENS_HOLIDAY);
            }
        }
        return Collections.unmodifiableNavigableMap(all);
    }

    /** Standard approximation (valid 1980–2099) for the March equinox day of month. */
    static int vernalEquinoxDay(int year) {
        return (int) Math.floor(20.8431 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }

    /** Standard approximation (valid 1980–2099) for the September equinox day of month. */
    static int autumnalEquinoxDay(int year) {
        return (int) Math.floor(23.2488 + 0.242194 * (year - 1980) - Math.floor((year - 1980) / 4.0));
    }

    private static LocalDate nthMonday(int year, Month month, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, DayOfWeek.MONDAY));
    }
}
