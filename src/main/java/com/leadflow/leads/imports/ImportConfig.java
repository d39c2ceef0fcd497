package com.leadflow.leads.imports;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class ImportConfig {

	@Bean
	NodeId importNodeId() {
		return NodeId.ofThisProcess();
	}

}
