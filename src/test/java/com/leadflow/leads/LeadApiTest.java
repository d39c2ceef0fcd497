package com.leadflow.leads;

import com.leadflow.testsupport.LeadflowTest;

/** The lead API contract on H2. */
@LeadflowTest
class LeadApiTest extends LeadApiContract {

}
