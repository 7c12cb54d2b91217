//! Follow-up rules on real ledger files: contact rhythms, next actions,
//! after-care schedules, referrals, lost reasons, campaigns and the numbers.

use chrono::{Days, NaiveDate};
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::dashboard::{Dashboard, MonthTargets};
use daicho_ledger::projects::ProjectInput;
use daicho_ledger::segments::{Condition, Group, Part};
use daicho_ledger::today::TodayKind;
use daicho_ledger::*;

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn me() -> Actor {
    Actor::user(None)
}

fn add(ledger: &mut Ledger, family: &str, grade: Option<Grade>) -> i64 {
    ledger
        .create_customer(
            &me(),
            &CustomerFields {
                family_name: family.into(),
                given_name: "太郎".into(),
                phone: "03-1234-5678".into(),
                grade,
                ..Default::default()
            },
        )
        .unwrap()
        .id
}

fn plus(days: u64) -> NaiveDate {
    local_today().checked_add_days(Days::new(days)).unwrap()
}

fn minus(days: u64) -> NaiveDate {
    local_today().checked_sub_days(Days::new(days)).unwrap()
}

fn kind_id(ledger: &Ledger, name: &str) -> i64 {
    ledger
        .contact_kinds()
        .unwrap()
        .into_iter()
        .find(|k| k.name == name)
        .unwrap()
        .id
}

fn contact(
    ledger: &mut Ledger,
    customer_id: i64,
    kind: &str,
    on: NaiveDate,
    next: Option<NaiveDate>,
) {
    let input = ContactInput {
        customer_id,
        kind_id: kind_id(ledger, kind),
        at: format!("{on} 10:00"),
        note: "ご来場。間取りの相談".into(),
        next_on: next.map(|d| d.to_string()),
        next_note: "プラン提案の電話".into(),
    };
    ledger.log_contact(&me(), &input, on).unwrap();
}

fn ids(ledger: &Ledger, on: NaiveDate, kind: TodayKind) -> Vec<i64> {
    let today = ledger.today(on).unwrap();
    today
        .sections
        .iter()
        .find(|s| s.kind == kind)
        .unwrap()
        .items
        .iter()
        .map(|i| i.customer_id)
        .collect()
}

fn only(condition: Condition) -> Group {
    Group {
        all: true,
        parts: vec![Part::Condition { condition }],
    }
}

#[test]
fn a_graded_prospect_is_overdue_when_its_rhythm_has_passed() {
    let (_dir, mut ledger) = open_temp();
    let a = add(&mut ledger, "青木", Some(Grade::A));
    let d = add(&mut ledger, "土屋", Some(Grade::D));
    let ungraded = add(&mut ledger, "宇野", None);
    // Registered today: A (7 days) is due on day 7 and overdue from day 8.
    assert!(ids(&ledger, plus(7), TodayKind::Overdue).is_empty());
    assert_eq!(ids(&ledger, plus(8), TodayKind::Overdue), [a]);
    assert_eq!(ids(&ledger, plus(91), TodayKind::Overdue), [a, d]);
    assert_eq!(ids(&ledger, local_today(), TodayKind::Ungraded), [ungraded]);

    // A contact on day 5 restarts the rhythm.
    contact(&mut ledger, a, "電話", plus(5), None);
    assert!(ids(&ledger, plus(12), TodayKind::Overdue).is_empty());
    assert_eq!(ids(&ledger, plus(13), TodayKind::Overdue), [a]);

    // The office's own rhythm applies at once.
    let mut settings = ledger.follow_up_settings().unwrap();
    settings.rhythm_days.a = 3;
    ledger.save_follow_up_settings(&settings).unwrap();
    assert_eq!(ids(&ledger, plus(9), TodayKind::Overdue), [a]);

    // Today reads every last contact in one pass, the list filter one
    // customer at a time: the same customers either way.
    contact(&mut ledger, d, "来場", plus(40), None);
    for day in [plus(5), plus(9), plus(13), plus(91), plus(131)] {
        let mut today = ids(&ledger, day, TodayKind::Overdue);
        today.sort_unstable();
        let overdue = only(Condition::Overdue { yes: true });
        let mut filtered = ledger.filter_member_ids(&overdue, day).unwrap();
        filtered.sort_unstable();
        assert_eq!(today, filtered, "{day}");
    }
}

#[test]
fn overdue_and_stale_as_list_filters_and_segment_conditions() {
    let (_dir, mut ledger) = open_temp();
    let late = add(&mut ledger, "遠藤", Some(Grade::A));
    let fresh = add(&mut ledger, "早川", Some(Grade::A));
    contact(&mut ledger, late, "電話", minus(10), None);
    contact(&mut ledger, fresh, "電話", minus(1), None);
    let overdue = ledger
        .filter_member_ids(&only(Condition::Overdue { yes: true }), local_today())
        .unwrap();
    assert_eq!(overdue, [late]);
    let page = ledger
        .list_customers(
            &CustomerQuery {
                overdue_only: true,
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [late]);
    assert!(page.rows[0].overdue);
    assert_eq!(
        page.rows[0].last_contact_at.as_deref(),
        Some(format!("{} 10:00", minus(10)).as_str())
    );
    // Nothing is stale on the day it was written.
    assert!(ledger
        .filter_member_ids(&only(Condition::Stale { yes: true }), local_today())
        .unwrap()
        .is_empty());
}

#[test]
fn a_contact_with_a_next_action_puts_it_on_today_until_the_next_contact() {
    let (_dir, mut ledger) = open_temp();
    let c = add(&mut ledger, "中村", None);
    contact(&mut ledger, c, "来場", local_today(), Some(plus(3)));
    assert!(ids(&ledger, plus(2), TodayKind::NextAction).is_empty());
    let due = ledger.today(plus(3)).unwrap();
    let section = due
        .sections
        .iter()
        .find(|s| s.kind == TodayKind::NextAction)
        .unwrap();
    assert_eq!(section.items[0].detail, "プラン提案の電話");
    assert_eq!(
        section.items[0].date.as_deref(),
        Some(plus(3).to_string().as_str())
    );
    assert_eq!(
        ledger
            .filter_member_ids(
                &only(Condition::NextActionWithin { days: 3 }),
                local_today()
            )
            .unwrap(),
        [c]
    );
    contact(&mut ledger, c, "電話", plus(3), None);
    assert!(ids(&ledger, plus(3), TodayKind::NextAction).is_empty());
    let tasks = ledger.tasks(c).unwrap();
    assert!(tasks[0].done_at.is_some());
    assert_eq!(ledger.contacts(c).unwrap().len(), 2);
}

#[test]
fn a_contact_in_the_future_or_a_next_action_before_it_is_refused_and_nothing_is_written() {
    let (_dir, mut ledger) = open_temp();
    let c = add(&mut ledger, "北村", None);
    let mut input = ContactInput {
        customer_id: c,
        kind_id: kind_id(&ledger, "電話"),
        at: format!("{} 09:00", plus(1)),
        note: String::new(),
        next_on: Some(minus(3).to_string()),
        next_note: String::new(),
    };
    let Err(LedgerError::Invalid(errors)) = ledger.log_contact(&me(), &input, local_today()) else {
        panic!("a future contact must be refused")
    };
    assert_eq!(errors[0].field, "at");
    input.at = format!("{} 09:00", local_today());
    let Err(LedgerError::Invalid(errors)) = ledger.log_contact(&me(), &input, local_today()) else {
        panic!("a next action before the contact must be refused")
    };
    assert_eq!(errors[0].field, "next_on");
    assert!(ledger.contacts(c).unwrap().is_empty());
    assert!(ledger.tasks(c).unwrap().is_empty());
}

fn project(customer_id: i64, contract: Option<&str>, handover: Option<&str>) -> ProjectInput {
    ProjectInput {
        id: None,
        customer_id,
        kind: ProjectKind::NewBuild,
        title: "新築工事".into(),
        amount_yen: Some(32_000_000),
        contract_on: contract.map(String::from),
        start_on: None,
        completion_on: None,
        handover_on: handover.map(String::from),
    }
}

#[test]
fn a_handover_schedules_the_aftercare_and_offers_the_owner_status() {
    let (_dir, mut ledger) = open_temp();
    let c = add(&mut ledger, "松本", Some(Grade::A));
    let saved = ledger
        .save_project(&me(), &project(c, Some("2025-06-01"), None))
        .unwrap();
    assert_eq!(
        saved.offer_status.as_ref().map(|s| s.name.as_str()),
        Some("契約")
    );
    assert!(saved.inspections.is_empty());
    let contract = saved.offer_status.unwrap();
    ledger.change_status(&me(), c, contract.id, "", "").unwrap();

    let mut input = project(c, Some("2025-06-01"), Some("2026-03-31"));
    input.id = Some(saved.project.id);
    let saved = ledger.save_project(&me(), &input).unwrap();
    assert_eq!(
        saved.offer_status.as_ref().map(|s| s.name.as_str()),
        Some("新築OB客")
    );
    let due: Vec<(String, String)> = ledger
        .tasks(c)
        .unwrap()
        .into_iter()
        .map(|t| (t.title, t.due_on))
        .collect();
    let expected = [
        ("3か月点検", "2026-06-30"),
        ("6か月点検", "2026-09-30"),
        ("1年点検", "2027-03-31"),
        ("2年点検", "2028-03-31"),
        ("5年点検", "2031-03-31"),
        ("10年点検", "2036-03-31"),
    ];
    assert_eq!(due, expected.map(|(a, b)| (a.to_string(), b.to_string())));

    // Inspections due by the end of a month show on that month's Today; a
    // 点検 contact settles them.
    let june = NaiveDate::from_ymd_opt(2026, 6, 2).unwrap();
    assert_eq!(ids(&ledger, june, TodayKind::Inspection), [c]);
    assert_eq!(
        ids(
            &ledger,
            NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
            TodayKind::Inspection
        ),
        Vec::<i64>::new()
    );

    // Moving the handover moves the open inspections, not the done ones.
    let first = ledger.tasks(c).unwrap()[0].id;
    ledger.set_task_done(&me(), first, true).unwrap();
    input.handover_on = Some("2026-04-30".into());
    ledger.save_project(&me(), &input).unwrap();
    let tasks = ledger.tasks(c).unwrap();
    assert_eq!(tasks.len(), 7, "one done and six new");
    assert!(tasks
        .iter()
        .any(|t| t.title == "6か月点検" && t.due_on == "2026-10-30"));
    assert!(tasks
        .iter()
        .any(|t| t.done_at.is_some() && t.due_on == "2026-06-30"));

    // Anniversaries: handovers in this month of an earlier year.
    let april_next_year = NaiveDate::from_ymd_opt(2027, 4, 10).unwrap();
    let anniversary = ledger.today(april_next_year).unwrap();
    let items = &anniversary
        .sections
        .iter()
        .find(|s| s.kind == TodayKind::Anniversary)
        .unwrap()
        .items;
    assert_eq!(items[0].detail, "新築工事・お引渡しから1年");
}

#[test]
fn a_project_with_dates_out_of_order_or_a_negative_amount_writes_nothing() {
    let (_dir, mut ledger) = open_temp();
    let c = add(&mut ledger, "森", None);
    let before: i64 = ledger
        .conn()
        .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
        .unwrap();
    let mut bad = project(c, Some("2026-05-10"), Some("2026-04-30"));
    bad.amount_yen = Some(-5);
    let Err(LedgerError::Invalid(errors)) = ledger.save_project(&me(), &bad) else {
        panic!()
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount_yen", "handover_on"]);
    assert!(ledger.projects(c).unwrap().is_empty());
    let after: i64 = ledger
        .conn()
        .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn a_referral_loop_is_refused_and_contribution_counts_repeat_and_referred_contracts() {
    let (_dir, mut ledger) = open_temp();
    let a = add(&mut ledger, "紹介元", None);
    let b = add(&mut ledger, "紹介先", None);
    let c = add(&mut ledger, "孫紹介", None);
    let mut fields = ledger.customer(b).unwrap().fields;
    fields.referrer_id = Some(a);
    ledger.update_customer(&me(), b, &fields).unwrap();
    let mut fields = ledger.customer(c).unwrap().fields;
    fields.referrer_id = Some(b);
    ledger.update_customer(&me(), c, &fields).unwrap();

    let mut fields = ledger.customer(a).unwrap().fields;
    fields.referrer_id = Some(c);
    let Err(LedgerError::Invalid(errors)) = ledger.update_customer(&me(), a, &fields) else {
        panic!("A → C → B → A must be refused")
    };
    assert_eq!(errors[0].field, "referrer_id");
    assert!(
        errors[0].message.contains("孫紹介 太郎 → 紹介先 太郎"),
        "{}",
        errors[0].message
    );
    assert_eq!(ledger.customer(a).unwrap().fields.referrer_id, None);
    fields.referrer_id = Some(a);
    assert!(
        ledger.update_customer(&me(), a, &fields).is_err(),
        "nobody refers themselves"
    );

    for (who, on, amount) in [
        (a, "2020-04-01", 30_000_000),
        (a, "2025-04-01", 4_000_000),
        (b, "2024-01-10", 28_000_000),
    ] {
        let mut p = project(who, Some(on), None);
        p.amount_yen = Some(amount);
        ledger.save_project(&me(), &p).unwrap();
    }
    let referrals = ledger.referrals(a).unwrap();
    assert_eq!(
        referrals.referred.iter().map(|p| p.id).collect::<Vec<_>>(),
        [b]
    );
    let k = referrals.contribution;
    assert_eq!((k.repeat_contracts, k.repeat_amount_yen), (1, 4_000_000));
    assert_eq!(
        (k.referred_contracts, k.referred_amount_yen),
        (1, 28_000_000)
    );
    assert_eq!(
        ledger
            .filter_member_ids(
                &only(Condition::ContributionAtLeast { contracts: 2 }),
                local_today()
            )
            .unwrap(),
        [a]
    );
    let network = ledger.referral_network().unwrap();
    assert_eq!(network.links, [(a, b), (b, c)]);
    assert_eq!(
        network
            .nodes
            .iter()
            .find(|n| n.id == a)
            .unwrap()
            .contribution,
        2
    );
}

fn save_lost_status(ledger: &mut Ledger) -> Status {
    ledger
        .save_status(&StatusInput {
            id: None,
            name: "失注".into(),
            stage: Stage::Lost,
            dm_allowed: true,
            color: "#b91c1c".into(),
            retired: false,
        })
        .unwrap()
}

fn status_named(ledger: &Ledger, name: &str) -> Status {
    ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .unwrap()
}

#[test]
fn moving_to_a_lost_status_needs_a_reason_and_the_dashboard_counts_it() {
    let (_dir, mut ledger) = open_temp();
    let lost = save_lost_status(&mut ledger);
    let negotiating = status_named(&ledger, "商談中");
    let c1 = add(&mut ledger, "一号", Some(Grade::B));
    let c2 = add(&mut ledger, "二号", Some(Grade::B));
    let c3 = add(&mut ledger, "三号", Some(Grade::C));
    let _c4 = add(&mut ledger, "四号", None);
    let Err(LedgerError::Invalid(errors)) = ledger.change_status(&me(), c1, lost.id, "", " ")
    else {
        panic!("a lost deal needs its reason")
    };
    assert_eq!(errors[0].field, "lost_reason");
    assert_eq!(ledger.customer(c1).unwrap().fields.status_id, Some(1));

    // Known history: four inquiries, three reach negotiation, one contract,
    // one lost to a competitor.
    for c in [c1, c2, c3] {
        ledger
            .change_status(&me(), c, negotiating.id, "", "")
            .unwrap();
    }
    ledger
        .change_status(&me(), c1, lost.id, "", "他社決定")
        .unwrap();
    ledger
        .save_project(&me(), &project(c2, Some(&local_today().to_string()), None))
        .unwrap();
    let month = local_today().format("%Y-%m").to_string();
    ledger
        .save_month_targets(
            &month,
            &MonthTargets {
                inquiries: 10,
                negotiations: 5,
                contracts: 2,
                amount_yen: 60_000_000,
            },
        )
        .unwrap();

    let today = local_today().to_string();
    let board = ledger.dashboard(&today, &today).unwrap();
    counts_the_known_history(&board, &month);
    assert!(
        ledger.dashboard(&today, "2000-01-01").is_err(),
        "a period that ends before it starts"
    );
}

/// Four inquiries, three negotiations, one contract, one lost to a competitor.
fn counts_the_known_history(board: &Dashboard, month: &str) {
    let funnel: Vec<(Stage, u32)> = board
        .funnel
        .iter()
        .map(|f| (f.stage, f.customers))
        .collect();
    assert_eq!(
        funnel,
        [
            (Stage::Inquiry, 4),
            (Stage::Negotiation, 3),
            (Stage::Contract, 1),
            (Stage::Owner, 0)
        ]
    );
    assert_eq!(board.lost_reasons.len(), 1);
    assert_eq!(
        (
            board.lost_reasons[0].name.as_str(),
            board.lost_reasons[0].count
        ),
        ("他社決定", 1)
    );
    let m = &board.months[0];
    assert_eq!(m.month, month);
    assert_eq!(
        (
            m.actual.inquiries,
            m.actual.negotiations,
            m.actual.contracts,
            m.actual.amount_yen
        ),
        (4, 3, 1, 32_000_000)
    );
    assert_eq!(m.target.inquiries, 10);
}

#[test]
fn campaign_results_count_inquiries_meetings_contracts_and_costs() {
    let (_dir, mut ledger) = open_temp();
    let campaigns = ledger
        .save_campaign(&campaigns::CampaignInput {
            id: None,
            name: "秋の完成見学会".into(),
            kind: "見学会".into(),
            held_on: Some("2026-10-12".into()),
            cost_yen: 300_000,
        })
        .unwrap();
    let id = campaigns[0].id;
    assert!(ledger
        .save_campaign(&campaigns::CampaignInput {
            id: None,
            name: "秋の完成見学会".into(),
            kind: String::new(),
            held_on: None,
            cost_yen: -1
        })
        .is_err());
    let negotiating = ledger
        .statuses()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "商談中")
        .unwrap();
    let mut customers = Vec::new();
    for name in ["甲", "乙", "丙"] {
        let c = add(&mut ledger, name, None);
        let mut fields = ledger.customer(c).unwrap().fields;
        fields.campaign_id = Some(id);
        ledger.update_customer(&me(), c, &fields).unwrap();
        customers.push(c);
    }
    ledger
        .change_status(&me(), customers[0], negotiating.id, "", "")
        .unwrap();
    ledger
        .save_project(&me(), &project(customers[0], Some("2026-11-01"), None))
        .unwrap();
    let result = &ledger.campaign_results().unwrap()[0];
    assert_eq!(
        (
            result.inquiries,
            result.meetings,
            result.contracts,
            result.amount_yen
        ),
        (3, 1, 1, 32_000_000)
    );
    assert_eq!(result.cost_per_inquiry, Some(100_000));
    assert_eq!(result.cost_per_contract, Some(300_000));
    assert_eq!(
        ledger
            .filter_member_ids(
                &only(Condition::CampaignIn { ids: vec![id] }),
                local_today()
            )
            .unwrap(),
        customers
    );
}

#[test]
fn completeness_follows_the_documented_weights() {
    let (_dir, mut ledger) = open_temp();
    let c = ledger
        .create_customer(
            &me(),
            &CustomerFields {
                family_name: "初回".into(),
                family_kana: "ショカイ".into(),
                phone: "03-1234-5678".into(),
                source: "見学会".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    assert_eq!(
        ledger.customer_row(c, local_today()).unwrap().completeness,
        30
    );
    contact(&mut ledger, c, "電話", local_today(), None);
    assert_eq!(
        ledger.customer_row(c, local_today()).unwrap().completeness,
        35,
        "a first call is about 30%"
    );
    assert_eq!(
        ledger
            .filter_member_ids(
                &only(Condition::CompletenessBelow { percent: 40 }),
                local_today()
            )
            .unwrap(),
        [c]
    );
    let page = ledger
        .list_customers(
            &CustomerQuery {
                completeness_below: Some(35),
                ..Default::default()
            },
            local_today(),
        )
        .unwrap();
    assert_eq!(page.total, 0);
}

#[test]
fn birthdays_of_customers_and_household_members_this_month() {
    let (_dir, mut ledger) = open_temp();
    let c = add(&mut ledger, "誕生", None);
    let month = local_today().format("%m").to_string();
    let mut fields = ledger.customer(c).unwrap().fields;
    fields.birthday = Some(format!("1980-{month}-01"));
    ledger.update_customer(&me(), c, &fields).unwrap();
    ledger
        .set_household(
            &me(),
            c,
            &[HouseholdMember {
                id: None,
                name: "誕生 花子".into(),
                kana: String::new(),
                relation: "妻".into(),
                birthday: Some(format!("1982-{month}-02")),
                joint_name: true,
            }],
        )
        .unwrap();
    let today = ledger.today(local_today()).unwrap();
    let items = &today
        .sections
        .iter()
        .find(|s| s.kind == TodayKind::Birthday)
        .unwrap()
        .items;
    let details: Vec<&str> = items.iter().map(|i| i.detail.as_str()).collect();
    assert_eq!(details, ["ご本人", "誕生 花子（妻）"]);
}
