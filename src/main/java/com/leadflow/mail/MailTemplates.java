package com.leadflow.mail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.FileTemplateResolver;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Mail templates, rendered with a Thymeleaf engine of their own (TEXT for subjects and plain
 * bodies, HTML for the HTML alternative), never the pages' engine, whose Boot auto-configuration
 * a second engine bean would switch off. A template {@code <name>} in language {@code <lang>} is
 * three files: {@code <name>_<lang>.subject.txt}, {@code <name>_<lang>.txt} and optionally
 * {@code <name>_<lang>.html}. Each is looked up first in the templates folder (managers add and
 * change templates there without a rebuild; re-read within a minute), then on the classpath
 * under {@code mail-templates/}. Templates are trusted: whoever may write the folder may run
 * expressions in them.
 */
public class MailTemplates {

	private static final Logger log = LoggerFactory.getLogger(MailTemplates.class);

	/** Template names: lower-case letters, digits and dashes, so a name can never walk out of the folder. */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

	private static final Pattern SUBJECT_FILE = Pattern.compile("([a-z0-9][a-z0-9-]{0,63})_([a-z]{2})\\.subject\\.txt");

	private static final String CLASSPATH_FOLDER = "mail-templates/";

	private static final long RELOAD_MS = 60_000;

	static final List<String> LANGUAGES = List.of("ja", "en");

	private final Path dir;

	private final SpringTemplateEngine engine = new SpringTemplateEngine();

	MailTemplates(Path dir) {
		this.dir = dir.toAbsolutePath().normalize();
		int order = 1;
		for (TemplateMode mode : List.of(TemplateMode.TEXT, TemplateMode.HTML)) {
			FileTemplateResolver files = new FileTemplateResolver();
			files.setPrefix(this.dir + "/");
			engine.addTemplateResolver(configure(files, mode, order++));
			ClassLoaderTemplateResolver classpath = new ClassLoaderTemplateResolver(MailTemplates.class.getClassLoader());
			classpath.setPrefix(CLASSPATH_FOLDER);
			engine.addTemplateResolver(configure(classpath, mode, order++));
		}
		if (!Files.isDirectory(this.dir)) {
			log.info("Mail templates folder {} does not exist: using the built-in templates", this.dir);
		}
	}

	private static AbstractConfigurableTemplateResolver configure(AbstractConfigurableTemplateResolver resolver,
			TemplateMode mode, int order) {
		resolver.setTemplateMode(mode);
		resolver.setResolvablePatterns(Set.of(mode == TemplateMode.TEXT ? "*.txt" : "*.html"));
		resolver.setCharacterEncoding("UTF-8");
		// A missing file passes the lookup on to the next resolver (folder first, then classpath).
		resolver.setCheckExistence(true);
		resolver.setCacheable(true);
		resolver.setCacheTTLMs(RELOAD_MS);
		resolver.setOrder(order);
		return resolver;
	}

	/** The language of mail to a lead: Japanese in Japan's time zone, else English. */
	public static String languageOf(ZoneId zone) {
		return zone != null && zone.getId().equals("Asia/Tokyo") ? "ja" : "en";
	}

	/** A rendered mail: subject (one line), plain text, and the HTML alternative or null. */
	public record Rendered(String name, String language, String subject, String text, String html) {
	}

	/** Whether a template of that name exists in some language. */
	public boolean exists(String name) {
		return name != null && NAME.matcher(name).matches() && LANGUAGES.stream().anyMatch(lang -> exists(name, lang));
	}

	/**
	 * Renders the template in the wanted language, or in the other one when a manager wrote it in
	 * one language only.
	 */
	public Rendered render(String name, String language, Map<String, Object> variables) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("invalid template name: " + name);
		}
		String lang = exists(name, language) ? language
				: LANGUAGES.stream().filter(l -> exists(name, l)).findFirst()
					.orElseThrow(() -> new IllegalArgumentException("no mail template " + name));
		Context context = new Context(Locale.forLanguageTag(lang), variables);
		String base = name + "_" + lang;
		String subject = engine.process(base + ".subject.txt", context).strip().replaceAll("\\s+", " ");
		String text = engine.process(base + ".txt", context);
		String html = file(base + ".html") ? engine.process(base + ".html", context) : null;
		return new Rendered(name, lang, subject, text, html);
	}

	/** A body-only template (no subject), such as the unsubscribe footer: its text and HTML (or null). */
	public Rendered renderBody(String name, String language, Map<String, Object> variables) {
		String lang = file(name + "_" + language + ".txt") ? language : "en";
		Context context = new Context(Locale.forLanguageTag(lang), variables);
		String base = name + "_" + lang;
		String html = file(base + ".html") ? engine.process(base + ".html", context) : null;
		return new Rendered(name, lang, null, engine.process(base + ".txt", context), html);
	}

	/** Names of all templates (folder and built-in) that have a subject in some language. */
	public Set<String> names() {
		Set<String> names = new TreeSet<>();
		if (Files.isDirectory(dir)) {
			try (Stream<Path> files = Files.list(dir)) {
				files.map(p -> SUBJECT_FILE.matcher(p.getFileName().toString()))
					.filter(Matcher::matches)
					.forEach(m -> names.add(m.group(1)));
			}
			catch (IOException ex) {
				log.warn("Cannot list mail templates in {}: {}", dir, ex.getMessage());
			}
		}
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver(MailTemplates.class.getClassLoader())
				.getResources("classpath*:" + CLASSPATH_FOLDER + "*.subject.txt")) {
				Matcher m = SUBJECT_FILE.matcher(String.valueOf(resource.getFilename()));
				if (m.matches()) {
					names.add(m.group(1));
				}
			}
		}
		catch (IOException ex) {
			log.warn("Cannot list the built-in mail templates: {}", ex.getMessage());
		}
		return names;
	}

	private boolean exists(String name, String lang) {
		return file(name + "_" + lang + ".subject.txt") && file(name + "_" + lang + ".txt");
	}

	private boolean file(String fileName) {
		return Files.isRegularFile(dir.resolve(fileName))
				|| MailTemplates.class.getClassLoader().getResource(CLASSPATH_FOLDER + fileName) != null;
	}

}
