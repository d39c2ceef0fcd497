package com.leadflow.mail;

import com.leadflow.testsupport.LeadflowTest;

@LeadflowTest
class MailTest extends MailContract {

}
