package com.leadflow.scheduling;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The team's business calendar ({@code leadflow.calendar.*}).
 *
 * @param teamZone the team's time zone: KPI days and capacity days are counted in it
 * @param dayStart start of working hours, in the lead's own time zone
 * @param dayEnd end of working hours (exclusive)
 * @param workingDays the working days of the week
 * @param japaneseHolidays whether Japan's public holidays are days off
 * @param extraHolidays further days off (company holidays)
 */
@ConfigurationProperties("leadflow.calendar")
public record CalendarProperties(@DefaultValue("Asia/Tokyo") ZoneId teamZone, @DefaultValue("09:00") LocalTime dayStart,
		@DefaultValue("18:00") LocalTime dayEnd,
		@DefaultValue({ "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY" }) Set<DayOfWeek> workingDays,
		@DefaultValue("true") boolean japaneseHolidays, @DefaultValue List<LocalDate> extraHolidays) {

	BusinessCalendar toCalendar() {
		return new BusinessCalendar(teamZone, dayStart, dayEnd, workingDays,
				year -> japaneseHolidays && JapaneseHolidays.supports(year) ? JapaneseHolidays.forYear(year) : Set.of(),
				Set.copyOf(extraHolidays));
	}

}
