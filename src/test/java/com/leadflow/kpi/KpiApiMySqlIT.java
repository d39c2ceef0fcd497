package com.leadflow.kpi;

import com.leadflow.testsupport.LeadflowMySqlTest;

@LeadflowMySqlTest
class KpiApiMySqlIT extends KpiContract {

}
