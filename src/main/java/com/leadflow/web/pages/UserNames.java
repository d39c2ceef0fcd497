package com.leadflow.web.pages;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Component;

/** People's names as the identity service holds them, for the pages ({@code @userNames} in templates). */
@Component("userNames")
public class UserNames {

	private final IdentityService identity;

	UserNames(IdentityService identity) {
		this.identity = identity;
	}

	/** "First Last", or the user id when the identity service knows no name. */
	public String display(String userId) {
		if (userId == null) {
			return "";
		}
		User user = identity.createUserQuery().userId(userId).singleResult();
		if (user == null) {
			return userId;
		}
		String name = ((user.getFirstName() == null ? "" : user.getFirstName()) + " "
				+ (user.getLastName() == null ? "" : user.getLastName())).strip();
		return name.isEmpty() ? userId : name;
	}

}
