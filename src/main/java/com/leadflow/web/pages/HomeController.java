package com.leadflow.web.pages;

import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The start page is where the user's work is: the inbox, the dashboard or the intake. */
@Controller
class HomeController {

	@GetMapping("/")
	String home(Authentication authentication) {
		return "redirect:" + startPage(CurrentUser.of(authentication));
	}

	/** {@code wait}: seconds the user's logins stay paused after failed attempts (set by the failure handler). */
	@GetMapping("/login")
	String login(@RequestParam(required = false) String wait, Model model) {
		if (wait != null && wait.matches("[0-9]{1,4}")) {
			model.addAttribute("waitSeconds", Integer.parseInt(wait));
		}
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
