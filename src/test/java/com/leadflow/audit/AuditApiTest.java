package com.leadflow.audit;

import com.leadflow.testsupport.LeadflowTest;

/** {@link AuditContract} on H2. */
@LeadflowTest
class AuditApiTest extends AuditContract {

}
