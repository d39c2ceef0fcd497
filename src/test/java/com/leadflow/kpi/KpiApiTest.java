package com.leadflow.kpi;

import com.leadflow.testsupport.LeadflowTest;

@LeadflowTest
class KpiApiTest extends KpiContract {

}
