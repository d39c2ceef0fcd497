package com.leadflow.mail;

import com.leadflow.testsupport.LeadflowMySqlTest;

@LeadflowMySqlTest
class MailMySqlIT extends MailContract {

}
