package com.leadflow;

import java.util.TimeZone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LeadflowApplication {

	public static void main(String[] args) {
		// The engine and the database both work in UTC; zones are applied only where people see times.
		TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
		SpringApplication.run(LeadflowApplication.class, args);
	}

}
