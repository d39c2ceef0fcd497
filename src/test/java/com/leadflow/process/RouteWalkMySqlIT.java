package com.leadflow.process;

import com.leadflow.testsupport.LeadflowMySqlTest;

/** {@link RouteWalkContract} on MySQL (embedded MariaDB). */
@LeadflowMySqlTest
class RouteWalkMySqlIT extends RouteWalkContract {

}
