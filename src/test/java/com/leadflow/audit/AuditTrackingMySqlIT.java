package com.leadflow.audit;

import com.leadflow.testsupport.LeadflowMySqlTest;

/** {@link AuditTrackingContract} on MySQL (embedded MariaDB, or the server named by LEADFLOW_TEST_MYSQL_URL). */
@LeadflowMySqlTest
class AuditTrackingMySqlIT extends AuditTrackingContract {

}
