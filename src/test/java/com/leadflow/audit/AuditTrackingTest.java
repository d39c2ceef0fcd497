package com.leadflow.audit;

import com.leadflow.testsupport.LeadflowTest;

/** {@link AuditTrackingContract} on H2. */
@LeadflowTest
class AuditTrackingTest extends AuditTrackingContract {

}
