package com.leadflow.leads.imports;

import com.leadflow.testsupport.LeadflowMySqlTest;

@LeadflowMySqlTest
class ImportMySqlIT extends ImportContract {

}
