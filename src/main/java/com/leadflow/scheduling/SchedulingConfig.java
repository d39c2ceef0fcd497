package com.leadflow.scheduling;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class SchedulingConfig {

	@Bean
	BusinessCalendar businessCalendar(CalendarProperties properties) {
		return properties.toCalendar();
	}

}
