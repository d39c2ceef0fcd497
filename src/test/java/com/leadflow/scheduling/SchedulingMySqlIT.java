package com.leadflow.scheduling;

import com.leadflow.testsupport.LeadflowMySqlTest;

/** {@link SchedulingContract} on MySQL (embedded MariaDB). */
@LeadflowMySqlTest
class SchedulingMySqlIT extends SchedulingContract {

}
