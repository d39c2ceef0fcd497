package com.leadflow.leads;

import com.leadflow.testsupport.LeadflowMySqlTest;

/** The lead API contract on a MySQL-protocol server (embedded MariaDB, MySQL Connector/J). */
@LeadflowMySqlTest
class LeadApiMySqlIT extends LeadApiContract {

}
