package com.leadflow.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.leadflow.actions.ActionType;
import com.leadflow.actions.CompletionRequest;
import com.leadflow.actions.CompletionRequest.NextStep;
import com.leadflow.actions.NextAction;
import com.leadflow.actions.NextActionRepository;
import com.leadflow.actions.NextActionService;
import com.leadflow.actions.Outcome;
import com.leadflow.leads.LeadIntakeRequest;
import com.leadflow.leads.LeadIntakeService;
import com.leadflow.leads.LossReason;
import com.leadflow.leads.Route;
import com.leadflow.scheduling.BusinessCalendar;
import com.leadflow.security.CurrentUser;
import com.leadflow.security.Groups;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A demo team's last week on a fresh database: about 60 leads with Japanese company and person
 * names on all four routes, worked by rep1 and rep2 day by day (calls, hearing items, callbacks,
 * meetings handed to sales1, some held), and some left overdue. Everything goes through the
 * intake and the completion services with the engine clock set to the past, so what is stored is
 * exactly what the application writes. Demo profile only, and only when
 * {@code leadflow.demo-data.enabled} is true (off in tests).
 */
@Component
@Profile("demo")
@ConditionalOnProperty(name = "leadflow.demo-data.enabled", havingValue = "true")
class DemoData {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	static final int LEADS = 60;

	/** Working days of history before today. */
	static final int DAYS = 6;

	private static final List<String> REPS = List.of("rep1", "rep2");

	private static final CurrentUser SALES = new CurrentUser("sales1", Set.of(Groups.SALES));

	private static final String[][] COMPANY_STEMS = { { "東都", "toto" }, { "北斗", "hokuto" }, { "青葉", "aoba" },
			{ "光陽", "koyo" }, { "大和", "yamato" }, { "翼", "tsubasa" }, { "隼", "hayabusa" }, { "未来", "mirai" },
			{ "白樺", "shirakaba" }, { "港南", "konan" } };

	private static final String[][] COMPANY_KINDS = { { "工業", "kogyo" }, { "システムズ", "systems" },
			{ "物流", "logistics" }, { "製薬", "pharma" }, { "電機", "denki" }, { "商事", "shoji" } };

	private static final String[][] FAMILY = { { "佐藤", "sato" }, { "鈴木", "suzuki" }, { "高橋", "takahashi" },
			{ "田中", "tanaka" }, { "伊藤", "ito" }, { "渡辺", "watanabe" }, { "山本", "yamamoto" }, { "中村", "nakamura" },
			{ "小林", "kobayashi" }, { "加藤", "kato" }, { "吉田", "yoshida" }, { "山田", "yamada" } };

	private static final String[][] GIVEN = { { "健一", "kenichi" }, { "美咲", "misaki" }, { "大輔", "daisuke" },
			{ "由美", "yumi" }, { "翔太", "shota" }, { "直子", "naoko" }, { "拓也", "takuya" }, { "恵", "megumi" },
			{ "誠", "makoto" }, { "彩", "aya" }, { "亮", "ryo" } };

	private static final Map<String, List<String>> HEARING = Map.of(
			"budget", List.of("年間300万円", "500万円程度", "来期予算で検討", "未定（稟議が必要）"),
			"authority", List.of("情報システム部長", "営業部長", "社長が最終決裁", "現場リーダーが推薦"),
			"need", List.of("問い合わせ対応の工数削減", "営業リストの一元管理", "既存ツールの更新", "拠点間の情報共有"),
			"timeline", List.of("来期（4月）", "半年以内", "年内に比較検討", "時期未定"),
			"current-tool", List.of("Excel と共有フォルダ", "他社SFA", "自社開発システム", "紙とホワイトボード"));

	private static final List<String> NOTES = List.of("資料送付の希望あり", "来週の定例で共有するとのこと",
			"導入事例に関心", "他部署にも紹介してもらえる", "担当者は前向き、決裁者の確認待ち");

	private final JdbcClient jdbc;

	private final LeadIntakeService intake;

	private final NextActionService completions;

	private final NextActionRepository actions;

	private final BusinessCalendar calendar;

	DemoData(JdbcClient jdbc, LeadIntakeService intake, NextActionService completions, NextActionRepository actions,
			BusinessCalendar calendar) {
		this.jdbc = jdbc;
		this.intake = intake;
		this.completions = completions;
		this.actions = actions;
		this.calendar = calendar;
	}

	/** After the demo users (order 0), before the job executor starts (on ApplicationReadyEvent). */
	@EventListener(ApplicationStartedEvent.class)
	@Order(10)
	void seed() {
		if (jdbc.sql("SELECT COUNT(*) FROM lf_lead").query(Long.class).single() > 0) {
			return;
		}
		long started = System.nanoTime();
		List<String> leads = seedWeek();
		log.info("Demo data: {} leads with a week of activity ({} ms)", leads.size(),
				Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	/** Plays the simulated week through the application's services; returns the ids of the leads handed in. */
	List<String> seedWeek() {
		try {
			Week week = new Week(new Random(20261127));
			week.play();
			return List.copyOf(week.leadIds);
		}
		finally {
			ClockUtil.reset();
		}
	}

	/** One simulated week; a fixed seed gives the same story every time. */
	private final class Week {

		private final Random random;

		private final ZoneId zone = calendar.teamZone();

		private final List<String> leadIds = new ArrayList<>();

		private int next;

		Week(Random random) {
			this.random = random;
		}

		int play() {
			LocalDate today = Instant.now().atZone(zone).toLocalDate();
			List<LocalDate> days = new ArrayList<>();
			for (LocalDate d = today.minusDays(1); days.size() < DAYS; d = d.minusDays(1)) {
				if (calendar.isWorkingDay(d)) {
					days.add(0, d);
				}
			}
			int perDay = (LEADS - 6) / DAYS;
			for (int i = 0; i < days.size(); i++) {
				LocalDate day = days.get(i);
				Instant at = at(day, LocalTime.of(9, 5));
				for (int k = 0; k < perDay; k++) {
					clock(at.plus(Duration.ofMinutes(3L * k)));
					handIn();
				}
				// The last day leaves more undone: that is what the inbox shows as overdue today.
				work(day, i == days.size() - 1 ? 0.4 : 0.12, at(day, LocalTime.of(17, 45)));
			}
			handOff(days.get(days.size() - 1), today);
			// Today: the rest of the leads came in this morning, and the reps have worked until now.
			Instant now = Instant.now();
			Instant morning = at(today, LocalTime.of(9, 5));
			boolean workingNow = calendar.isWorkingDay(today) && now.isAfter(morning.plus(Duration.ofMinutes(30)));
			for (int k = 0; leadIds.size() < LEADS; k++) {
				if (workingNow) {
					clock(morning.plus(Duration.ofMinutes(3L * k)));
				}
				else {
					ClockUtil.reset();
				}
				handIn();
			}
			if (workingNow) {
				work(today, 0.3, now.minus(Duration.ofMinutes(5)));
			}
			return leadIds.size();
		}

		private void handIn() {
			int i = next++;
			String[] stem = COMPANY_STEMS[i % COMPANY_STEMS.length];
			String[] kind = COMPANY_KINDS[(i / COMPANY_STEMS.length + i) % COMPANY_KINDS.length];
			String company = i % 3 == 0 ? stem[0] + kind[0] + "株式会社" : "株式会社" + stem[0] + kind[0];
			String[] family = FAMILY[(i * 7) % FAMILY.length];
			String[] given = GIVEN[(i * 5) % GIVEN.length];
			Route route = route(i);
			String source = switch (route) {
				case OUTBOUND -> "PURCHASED_LIST";
				case UPSELL -> "CUSTOMER";
				case RECYCLE -> "LOST_DEAL";
				case NURTURE -> i % 2 == 0 ? "EXHIBITION" : (i % 3 == 0 ? "SEMINAR" : "WEB_FORM");
			};
			String email = given[1] + "." + family[1] + "@" + stem[1] + "-" + kind[1] + ".example.jp";
			String phone = String.format("0%d-%04d-%04d", 3 + (i % 4), 1000 + random.nextInt(9000), random.nextInt(10000));
			LeadIntakeRequest request = new LeadIntakeRequest("demo-" + (1000 + i), route, company,
					family[0] + " " + given[0], email, phone, "Asia/Tokyo", source, REPS.get(i % REPS.size()),
					route == Route.NURTURE && i % 4 == 0 ? "展示会ブースで料金について質問あり" : null,
					route == Route.RECYCLE ? (i % 2 == 0 ? LossReason.PENDING : LossReason.COMPETITOR) : null);
			leadIds.add(intake.submit(request, "marketing").leadId());
		}

		private Route route(int i) {
			int r = i % 10;
			return r < 4 ? Route.NURTURE : r < 6 ? Route.OUTBOUND : r < 8 ? Route.UPSELL : r < 9 ? Route.RECYCLE : Route.NURTURE;
		}

		/** The reps (and sales) work what is due that day, from 10:00, a few minutes per action. */
		private void work(LocalDate day, double skipRate, Instant endOfWork) {
			Instant at = at(day, LocalTime.of(10, 0));
			List<NextAction> due = actions.findOpenByLeads(leadIds)
				.values()
				.stream()
				.filter(a -> a.dueAt().isBefore(endOfWork) && a.type() != ActionType.CONTENT)
				.sorted((a, b) -> a.dueAt().compareTo(b.dueAt()))
				.toList();
			for (NextAction action : due) {
				if (random.nextDouble() < skipRate) {
					continue;
				}
				at = at.plus(Duration.ofMinutes(4 + random.nextInt(6)));
				Instant when = at.isBefore(action.dueAt()) ? action.dueAt().plusSeconds(60) : at;
				if (!when.isBefore(endOfWork)) {
					break;
				}
				at = when;
				clock(when);
				try {
					if (action.type() == ActionType.MEETING) {
						completions.complete(action.id(), meetingHeld(), SALES);
					}
					else {
						completions.complete(action.id(), outcome(action, day),
								new CurrentUser(action.assignee(), Set.of(Groups.REPS)));
					}
				}
				catch (RuntimeException ex) {
					// A demo step the rules refuse is skipped; the lead keeps its open action.
					log.warn("Demo data: skipped completing {} of lead {}: {}", action.type(), action.leadId(), ex.getMessage());
				}
			}
		}

		/**
		 * At the end of the last day some calls set meetings for the coming days, so sales have
		 * hand-offs waiting in their inbox whatever the dice said during the week.
		 */
		private void handOff(LocalDate lastDay, LocalDate today) {
			Instant at = at(lastDay, LocalTime.of(17, 0));
			List<NextAction> calls = actions.findOpenByLeads(leadIds)
				.values()
				.stream()
				.filter(a -> a.type() == ActionType.CALL)
				.sorted((a, b) -> a.leadId().compareTo(b.leadId()))
				.limit(4)
				.toList();
			int n = 0;
			for (NextAction call : calls) {
				clock(at.plus(Duration.ofMinutes(5L * n)));
				Instant meeting = at(calendar.addWorkingDays(today, 1 + n % 3), LocalTime.of(n % 2 == 0 ? 10 : 14, 0));
				try {
					completions.complete(call.id(), new CompletionRequest(Outcome.MEETING_SET, hearing(3 + n % 3),
							NOTES.get(n % NOTES.size()) + "。オンライン商談を設定", meeting, null),
							new CurrentUser(call.assignee(), Set.of(Groups.REPS)));
				}
				catch (RuntimeException ex) {
					log.warn("Demo data: no meeting for lead {}: {}", call.leadId(), ex.getMessage());
				}
				n++;
			}
		}

		private CompletionRequest meetingHeld() {
			boolean won = random.nextBoolean();
			return new CompletionRequest(won ? Outcome.OPPORTUNITY : Outcome.NO_OPPORTUNITY, null,
					won ? "要件が明確、見積もり依頼あり" : "今期は見送り、半年後に再提案", null, null);
		}

		private CompletionRequest outcome(NextAction action, LocalDate day) {
			if (action.type() == ActionType.EMAIL) {
				return new CompletionRequest(Outcome.SENT, null, "フォローメールを送信", null, null);
			}
			// Roughly a real floor: most calls reach nobody, a third reach the person.
			int roll = random.nextInt(100);
			if (roll < 58) {
				return new CompletionRequest(Outcome.NO_ANSWER, null, null, null, null);
			}
			if (roll < 76) {
				return new CompletionRequest(Outcome.CONTACTED, hearing(2 + random.nextInt(3)),
						NOTES.get(random.nextInt(NOTES.size())), null, null);
			}
			if (roll < 84) {
				Instant callback = at(calendar.addWorkingDays(day, 1 + random.nextInt(2)),
						LocalTime.of(10 + random.nextInt(6), random.nextBoolean() ? 0 : 30));
				Instant laterToday = Instant.now().plus(Duration.ofMinutes(60 + 30L * random.nextInt(5)));
				if (day.equals(Instant.now().atZone(zone).toLocalDate()) && calendar.isWorkingTime(laterToday, zone)) {
					// Called back later today: this is what fills the "today" section.
					callback = laterToday.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
				}
				return new CompletionRequest(Outcome.CALLBACK, null, "担当者不在、折り返し希望の時間を確認",
						null, new NextStep(ActionType.CALL, callback, null));
			}
			if (roll < 88) {
				Instant meeting = at(calendar.addWorkingDays(day, 2 + random.nextInt(3)),
						LocalTime.of(random.nextBoolean() ? 14 : 10, 0));
				return new CompletionRequest(Outcome.MEETING_SET, hearing(3 + random.nextInt(3)),
						"オンライン商談を設定。デモを希望", meeting, null);
			}
			if (roll < 95) {
				return new CompletionRequest(Outcome.NOT_INTERESTED, hearing(1), "現状で満足しているとのこと", null, null);
			}
			if (roll < 98) {
				return new CompletionRequest(Outcome.WRONG_NUMBER, null, "代表番号につながらず", null, null);
			}
			return new CompletionRequest(Outcome.DISQUALIFIED, null, "個人事業主のため対象外", null, null);
		}

		private Map<String, String> hearing(int items) {
			List<String> keys = new ArrayList<>(List.of("budget", "authority", "need", "timeline", "current-tool"));
			Map<String, String> hearing = new LinkedHashMap<>();
			for (int n = 0; n < Math.min(items, keys.size()); n++) {
				String key = keys.remove(random.nextInt(keys.size()));
				List<String> values = HEARING.get(key);
				hearing.put(key, values.get(random.nextInt(values.size())));
			}
			return hearing;
		}

		private Instant at(LocalDate day, LocalTime time) {
			return day.atTime(time).atZone(zone).toInstant();
		}

		private void clock(Instant at) {
			ClockUtil.setCurrentTime(Date.from(at));
		}

	}

}
