package com.leadflow.leads.imports;

import com.leadflow.testsupport.LeadflowMySqlTest;
import com.leadflow.testsupport.MySqlProperties;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@LeadflowMySqlTest
class ImportMySqlIT extends ImportContract {

	@DynamicPropertySource
	static void mysql(DynamicPropertyRegistry r) {
		MySqlProperties.register(r);
	}

}
