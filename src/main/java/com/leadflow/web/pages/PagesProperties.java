package com.leadflow.web.pages;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the web pages ({@code leadflow.pages.*}).
 *
 * @param hearingItems the hearing fields a rep fills in on a call, in this order; each is labelled
 * by the message {@code hearing.<item>} (the item itself when there is none)
 */
@ConfigurationProperties("leadflow.pages")
public record PagesProperties(
		@DefaultValue({ "budget", "authority", "need", "timeline", "current-tool" }) List<String> hearingItems) {

}
