package com.leadflow.scheduling;

import com.leadflow.testsupport.LeadflowTest;

/** {@link SchedulingContract} on H2. */
@LeadflowTest
class SchedulingTest extends SchedulingContract {

}
