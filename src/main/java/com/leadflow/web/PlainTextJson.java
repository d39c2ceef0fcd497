package com.leadflow.web;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Text read from JSON is plain text: a JSON string (a number or a boolean is not coerced into one),
 * without control characters other than tab, line feed and carriage return, and without unpaired
 * surrogates (not Unicode text; no utf8mb4 column can hold one). Anything else is refused for its
 * field with a 400 before a controller sees it, so it is neither stored nor echoed into pages,
 * CSV exports or mails. Registered with Spring Boot's ObjectMapper (every {@link Module} bean is).
 */
@Configuration(proxyBeanMethods = false)
class PlainTextJson {

	@Bean
	Module plainTextStrings() {
		SimpleModule module = new SimpleModule("leadflow-plain-text");
		module.addDeserializer(String.class, new PlainTextDeserializer());
		module.addKeyDeserializer(String.class, new PlainTextKeyDeserializer());
		return module;
	}

	static boolean isPlainText(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F)) {
				return false;
			}
			if (Character.isHighSurrogate(c)) {
				if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return false;
				}
				i++;
			}
			else if (Character.isLowSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

	static final String NOT_PLAIN_TEXT = "must be text without control characters (tab and line breaks are fine)";

	static final class PlainTextDeserializer extends StdScalarDeserializer<String> {

		PlainTextDeserializer() {
			super(String.class);
		}

		@Override
		public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
			if (!p.hasToken(JsonToken.VALUE_STRING)) {
				return (String) ctxt.handleUnexpectedToken(String.class, p);
			}
			String text = p.getText();
			if (!isPlainText(text)) {
				return ctxt.reportInputMismatch(this, NOT_PLAIN_TEXT);
			}
			return text;
		}

	}

	static final class PlainTextKeyDeserializer extends KeyDeserializer {

		@Override
		public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
			if (!isPlainText(key)) {
				return ctxt.reportInputMismatch(String.class, NOT_PLAIN_TEXT);
			}
			return key;
		}

	}

}
