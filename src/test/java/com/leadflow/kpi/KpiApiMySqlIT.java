package com.leadflow.kpi;

import com.leadflow.testsupport.LeadflowMySqlTest;
import com.leadflow.testsupport.MySqlProperties;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@LeadflowMySqlTest
class KpiApiMySqlIT extends KpiContract {

	@DynamicPropertySource
	static void mysql(DynamicPropertyRegistry registry) {
		MySqlProperties.register(registry);
	}

}
