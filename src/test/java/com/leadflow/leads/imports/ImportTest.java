package com.leadflow.leads.imports;

import com.leadflow.testsupport.LeadflowTest;

@LeadflowTest
class ImportTest extends ImportContract {

}
