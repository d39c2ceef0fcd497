package com.leadflow.web.pages;

import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The start page is where the user's work is: the inbox, the dashboard or the intake. */
@Controller
class HomeController {

	@GetMapping("/")
	String home(Authentication authentication) {
		return "redirect:" + startPage(CurrentUser.of(authentication));
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	static String startPage(CurrentUser user) {
		if (user.isManager()) {
			return "/dashboard";
		}
		if (user.isIn(Groups.REPS) || user.isIn(Groups.SALES)) {
			return "/inbox";
		}
		if (user.isIn(Groups.MARKETING)) {
			return "/intake";
		}
		if (user.isIn(Groups.ADMINS)) {
			return "/camunda/app/cockpit/";
		}
		return "/inbox";
	}

}
