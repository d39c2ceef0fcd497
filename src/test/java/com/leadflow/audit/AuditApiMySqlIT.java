package com.leadflow.audit;

import com.leadflow.testsupport.LeadflowMySqlTest;

/**
 * {@link AuditContract} on MySQL (embedded MariaDB, or the server named by LEADFLOW_TEST_MYSQL_URL),
 * in the context all MySQL test classes share.
 */
@LeadflowMySqlTest
class AuditApiMySqlIT extends AuditContract {

}
