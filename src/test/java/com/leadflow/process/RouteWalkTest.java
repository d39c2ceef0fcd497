package com.leadflow.process;

import com.leadflow.testsupport.LeadflowTest;

/** {@link RouteWalkContract} on H2. */
@LeadflowTest
class RouteWalkTest extends RouteWalkContract {

}
