//! After-care requests on real ledger files: receiving one from a クレーム
//! contact, assigning, visiting, closing with a cause; the history, Today
//! at a fixed date, warranty, and the DM exclusion with its reason.

use chrono::NaiveDate;
use daicho_ledger::contacts::ContactInput;
use daicho_ledger::dm::{Candidate, Exclusion};
use daicho_ledger::projects::ProjectInput;
use daicho_ledger::requests::{
    ListEntryInput, RequestClose, RequestFilter, RequestInput, RequestList, RequestSettings,
    RequestStatus, ServiceRequest,
};
use daicho_ledger::segments::Group;
use daicho_ledger::today::TodayKind;
use daicho_ledger::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn open_temp() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path().join("daicho.sqlite3")).unwrap();
    (dir, ledger)
}

fn me() -> Actor {
    Actor::user(None)
}

/// An owner with a usable address and a house handed over on `handover`.
fn owner(ledger: &mut Ledger, family: &str, handover: &str) -> (i64, i64) {
    let customer = ledger
        .create_customer(
            &me(),
            &CustomerFields {
                family_name: family.into(),
                given_name: "太郎".into(),
                postal_code: "150-0001".into(),
                prefecture: "東京都".into(),
                city: "渋谷区".into(),
                address1: "神宮前1-2-3".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let project = ledger
        .save_project(
            &me(),
            &ProjectInput {
                id: None,
                customer_id: customer,
                kind: ProjectKind::NewBuild,
                title: format!("{family}様邸 新築工事"),
                amount_yen: None,
                contract_on: None,
                start_on: None,
                completion_on: None,
                handover_on: Some(handover.into()),
            },
        )
        .unwrap()
        .project
        .id;
    (customer, project)
}

fn entry(ledger: &Ledger, list: RequestList, name: &str) -> i64 {
    ledger.request_list_entry(list, name).unwrap().id
}

fn claim(ledger: &mut Ledger, customer_id: i64, at: &str, note: &str) -> i64 {
    let kind_id = ledger
        .contact_kinds()
        .unwrap()
        .into_iter()
        .find(|k| k.name == "クレーム")
        .unwrap()
        .id;
    let input = ContactInput {
        customer_id,
        kind_id,
        at: at.into(),
        note: note.into(),
        next_on: None,
        next_note: String::new(),
    };
    ledger.log_contact(&me(), &input, d(&at[..10])).unwrap().id
}

fn request(
    ledger: &mut Ledger,
    customer_id: i64,
    project: i64,
    category: &str,
    received: &str,
    due: Option<&str>,
) -> ServiceRequest {
    let input = RequestInput {
        customer_id,
        project_id: Some(project),
        received_on: received.into(),
        category_id: entry(ledger, RequestList::Category, category),
        complaint: "戸が閉まりにくい".into(),
        due_on: due.map(String::from),
        ..Default::default()
    };
    ledger.create_request(&me(), &input, d(received)).unwrap()
}

fn close(ledger: &mut Ledger, id: i64, cause: &str, on: &str) -> ServiceRequest {
    let close = RequestClose {
        cause_id: entry(ledger, RequestList::Cause, cause),
        resolution: "調整しました".into(),
        closed_on: Some(on.into()),
        ..Default::default()
    };
    ledger.close_request(&me(), id, &close, d(on)).unwrap()
}

fn staff(ledger: &mut Ledger, name: &str) -> Staff {
    ledger
        .save_staff(&StaffInput {
            id: None,
            name: name.into(),
            kana: String::new(),
            active: true,
            role: daicho_ledger::Role::Sales,
        })
        .unwrap()
}

fn partner(ledger: &mut Ledger, name: &str) -> i64 {
    let input = ListEntryInput {
        id: None,
        name: name.into(),
        retired: false,
    };
    let list = ledger
        .save_request_list_entry(RequestList::Partner, &input)
        .unwrap();
    list.into_iter().find(|e| e.name == name).unwrap().id
}

/// Every step of the lifecycle test is in the customer's history.
fn assert_history(ledger: &Ledger, customer: i64) {
    let fields: Vec<String> = ledger
        .customer_history(customer)
        .unwrap()
        .into_iter()
        .filter(|h| h.field.starts_with("request_"))
        .map(|h| format!("{}={}", h.field, h.new_value.unwrap_or_default()))
        .collect();
    for expected in [
        "request_created=雨漏り: 2階の天井にしみ",
        "request_staff=鈴木",
        "request_status=手配中",
        "request_status=完了",
        "request_cause=施工",
        "request_partner=丸山板金",
        "request_cost_yen=38000",
    ] {
        assert!(
            fields.iter().any(|f| f == expected),
            "{expected}: {fields:?}"
        );
    }
}

#[test]
fn a_claim_becomes_a_request_that_is_assigned_visited_and_closed_with_its_history() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "佐藤", "2020-03-31");
    let contact = claim(&mut ledger, customer, "2026-06-10 09:15", "2階の天井にしみ");
    let rain = entry(&ledger, RequestList::Category, "雨漏り");
    let made = ledger
        .create_request_from_contact(&me(), contact, rain, d("2026-06-10"))
        .unwrap();
    assert_eq!(
        (
            made.received_on.as_str(),
            made.complaint.as_str(),
            made.status
        ),
        ("2026-06-10", "2階の天井にしみ", RequestStatus::Received)
    );
    assert_eq!(made.contact_id, Some(contact));
    let staff = staff(&mut ledger, "鈴木");
    let today = d("2026-06-11");
    ledger
        .assign_request(&me(), made.id, Some(staff.id), today)
        .unwrap();
    ledger
        .move_request(&me(), made.id, RequestStatus::Arranging, today)
        .unwrap();
    let visit = ContactInput {
        customer_id: 0,
        kind_id: ledger.contact_kinds().unwrap()[1].id,
        at: "2026-06-12 13:00".into(),
        note: "板金業者と現地確認".into(),
        next_on: None,
        next_note: String::new(),
    };
    let detail = ledger
        .log_request_contact(&me(), made.id, &visit, d("2026-06-12"))
        .unwrap();
    assert_eq!(detail.contacts.len(), 2, "the claim and the visit");
    assert_eq!(detail.contacts[0].customer_id, customer);
    let partner = partner(&mut ledger, "丸山板金");
    let closed = ledger
        .close_request(
            &me(),
            made.id,
            &RequestClose {
                cause_id: entry(&ledger, RequestList::Cause, "施工"),
                resolution: "棟板金の釘浮きを補修".into(),
                partner_id: Some(partner),
                cost_yen: Some(38_000),
                satisfaction: Some(4),
                closed_on: None,
            },
            d("2026-06-14"),
        )
        .unwrap();
    assert_eq!(closed.status, RequestStatus::Done);
    assert_eq!(closed.closed_on.as_deref(), Some("2026-06-14"));
    assert_eq!(closed.cause.as_deref(), Some("施工"));
    assert_eq!(closed.warranty.statutory, Some(true));
    assert_eq!(closed.project_id, Some(project));
    assert_history(&ledger, customer);
}

#[test]
fn a_request_cannot_be_made_from_an_ordinary_contact_or_closed_without_a_known_cause() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "田中", "2022-01-15");
    let phone = ledger.contact_kinds().unwrap()[2].clone();
    let contact = ledger
        .log_contact(
            &me(),
            &ContactInput {
                customer_id: customer,
                kind_id: phone.id,
                at: "2026-01-05 10:00".into(),
                note: "年始のご挨拶".into(),
                next_on: None,
                next_note: String::new(),
            },
            d("2026-01-05"),
        )
        .unwrap();
    let rain = entry(&ledger, RequestList::Category, "雨漏り");
    let refused = ledger
        .create_request_from_contact(&me(), contact.id, rain, d("2026-01-05"))
        .unwrap_err();
    assert!(refused.to_string().contains("電話"), "{refused}");
    let open = request(&mut ledger, customer, project, "建具", "2026-01-05", None);
    let refused = ledger
        .close_request(
            &me(),
            open.id,
            &RequestClose {
                cause_id: 999,
                ..Default::default()
            },
            d("2026-01-06"),
        )
        .unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Invalid);
    let unknown = ledger
        .request_list_entry(RequestList::Category, "屋根")
        .unwrap_err();
    assert!(unknown.to_string().contains("「屋根」"), "{unknown}");
    let again = ledger.request(open.id, d("2026-01-06")).unwrap().request;
    assert_eq!(again.status, RequestStatus::Received, "nothing was written");
}

#[test]
fn overdue_requests_and_my_requests_are_on_today_at_a_fixed_date() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "高橋", "2023-05-01");
    let late = request(
        &mut ledger,
        customer,
        project,
        "設備",
        "2026-03-01",
        Some("2026-03-10"),
    );
    let soon = request(
        &mut ledger,
        customer,
        project,
        "建具",
        "2026-03-01",
        Some("2026-03-20"),
    );
    let staff = staff(&mut ledger, "山本");
    ledger
        .assign_request(&me(), soon.id, Some(staff.id), d("2026-03-02"))
        .unwrap();
    ledger.sign_in(staff.id, None).unwrap();
    let on = |ledger: &Ledger, day: &str, kind: TodayKind| -> Vec<Option<i64>> {
        let today = ledger.today(d(day)).unwrap();
        let section = today.sections.into_iter().find(|s| s.kind == kind).unwrap();
        section.items.into_iter().map(|i| i.request_id).collect()
    };
    assert_eq!(on(&ledger, "2026-03-10", TodayKind::RequestOverdue), []);
    assert_eq!(
        on(&ledger, "2026-03-11", TodayKind::RequestOverdue),
        [Some(late.id)]
    );
    assert_eq!(
        on(&ledger, "2026-03-11", TodayKind::RequestMine),
        [Some(soon.id)]
    );
    let filter = RequestFilter {
        overdue: true,
        ..Default::default()
    };
    let overdue: Vec<i64> = ledger
        .requests(&filter, d("2026-03-21"))
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(overdue, [late.id, soon.id]);
    close(&mut ledger, late.id, "経年", "2026-03-12");
    assert_eq!(on(&ledger, "2026-03-12", TodayKind::RequestOverdue), []);
}

#[test]
fn warranty_follows_the_law_and_the_offices_own_periods() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "伊藤", "2016-04-01");
    let rain = request(&mut ledger, customer, project, "雨漏り", "2026-03-31", None);
    assert_eq!(rain.warranty.statutory, Some(true));
    assert_eq!(rain.warranty.house_age_years, Some(9));
    let structure = request(&mut ledger, customer, project, "構造", "2026-04-01", None);
    assert_eq!(structure.warranty.statutory, Some(false));
    let door = request(&mut ledger, customer, project, "建具", "2026-04-01", None);
    assert_eq!(
        (door.warranty.office_years, door.warranty.office),
        (Some(2), Some(false))
    );
    let mut settings = RequestSettings::default();
    settings.warranty_years[1].years = 20;
    ledger.save_request_settings(&settings).unwrap();
    let door = ledger.request(door.id, d("2026-04-02")).unwrap().request;
    assert_eq!(
        (door.warranty.office_years, door.warranty.office),
        (Some(20), Some(true))
    );
}

#[test]
fn a_dm_list_leaves_out_a_customer_with_an_open_request_under_its_own_reason() {
    let (_dir, mut ledger) = open_temp();
    let (waiting, project) = owner(&mut ledger, "渡辺", "2021-07-01");
    owner(&mut ledger, "中村", "2021-08-01");
    let open = request(&mut ledger, waiting, project, "雨漏り", "2026-05-01", None);
    let excluded = |ledger: &Ledger| -> Vec<(i64, Exclusion)> {
        let mut out = Vec::new();
        ledger
            .dm_candidates::<LedgerError>(&Group::default(), d("2026-05-02"), |c| {
                if let Candidate::Excluded(p) = c {
                    out.push((p.customer_id, p.reason));
                }
                Ok(())
            })
            .unwrap();
        out
    };
    assert_eq!(excluded(&ledger), [(waiting, Exclusion::OpenRequest)]);
    let off = RequestSettings {
        exclude_open_from_dm: false,
        ..RequestSettings::default()
    };
    ledger.save_request_settings(&off).unwrap();
    assert_eq!(excluded(&ledger), []);
    ledger
        .save_request_settings(&RequestSettings::default())
        .unwrap();
    close(&mut ledger, open.id, "施工", "2026-05-03");
    assert_eq!(
        excluded(&ledger),
        [],
        "a closed request no longer keeps DM away"
    );
}

#[test]
fn the_dashboard_counts_requests_by_month_category_cause_age_and_repeat_house() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "小林", "2019-04-01");
    let (other, other_house) = owner(&mut ledger, "加藤", "2025-12-01");
    let a = request(&mut ledger, customer, project, "雨漏り", "2026-04-01", None);
    let b = request(&mut ledger, customer, project, "建具", "2026-04-10", None);
    let c = request(&mut ledger, other, other_house, "建具", "2026-05-01", None);
    request(&mut ledger, other, other_house, "設備", "2026-05-20", None);
    close(&mut ledger, a.id, "施工", "2026-04-03");
    close(&mut ledger, b.id, "経年", "2026-04-20");
    close(&mut ledger, c.id, "施工", "2026-05-31");
    let board = ledger.dashboard("2026-04-01", "2026-05-31").unwrap();
    let figures = &board.requests;
    let months: Vec<(String, u32, u32)> = figures
        .months
        .iter()
        .map(|m| (m.month.clone(), m.received, m.closed))
        .collect();
    assert_eq!(months, [("2026-04".into(), 2, 2), ("2026-05".into(), 2, 1)]);
    // Days to close: 2, 10, 30.
    assert_eq!(
        (figures.median_days, figures.p90_days),
        (Some(10), Some(30))
    );
    let named = |rows: &[dashboard::NamedCount]| -> Vec<(String, u32)> {
        rows.iter().map(|r| (r.name.clone(), r.count)).collect()
    };
    assert_eq!(named(&figures.by_category)[0], ("建具".into(), 2));
    assert_eq!(
        named(&figures.by_cause),
        [("施工".into(), 2), ("経年".into(), 1)]
    );
    assert_eq!(
        named(&figures.by_house_age),
        [("1年未満".into(), 2), ("5〜10年".into(), 2)]
    );
    assert_eq!(named(&figures.by_partner), [("（なし）".into(), 4)]);
    let repeats: Vec<(i64, u32)> = figures
        .repeat_houses
        .iter()
        .map(|h| (h.project_id, h.requests))
        .collect();
    assert_eq!(repeats, [(project, 2), (other_house, 2)]);
}

/// What the owner said about their house is personal data: a disclosure
/// hands it over, an erasure leaves none of it (APPI Art. 33 and 35).
#[test]
fn a_request_is_disclosed_and_erased_with_its_customer() {
    let (_dir, mut ledger) = open_temp();
    let (customer, house) = owner(&mut ledger, "開示", "2020-04-01");
    request(&mut ledger, customer, house, "建具", "2024-05-01", None);

    let disclosed = ledger.disclosure(customer, d("2024-06-01")).unwrap();
    assert_eq!(disclosed.requests.len(), 1);
    assert_eq!(disclosed.requests[0].complaint, "戸が閉まりにくい");

    let preview = ledger.erasure_preview(customer).unwrap();
    assert_eq!(preview.held.requests, 1);
    ledger
        .erase_customer(&me(), customer, "ご本人から消去の請求")
        .unwrap();
    let left: i64 = ledger
        .conn()
        .query_row(
            "SELECT count(*) FROM service_requests WHERE complaint = '戸が閉まりにくい'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0);
}

#[test]
fn a_house_lists_its_own_requests() {
    let (_dir, mut ledger) = open_temp();
    let (customer, house) = owner(&mut ledger, "中村", "2020-04-01");
    let barn = ledger
        .save_project(
            &me(),
            &ProjectInput {
                id: None,
                customer_id: customer,
                kind: ProjectKind::Renovation,
                title: "中村様 離れ改修".into(),
                amount_yen: None,
                contract_on: None,
                start_on: None,
                completion_on: None,
                handover_on: None,
            },
        )
        .unwrap()
        .project
        .id;
    let door = request(&mut ledger, customer, house, "建具", "2026-03-01", None);
    let leak = request(&mut ledger, customer, barn, "雨漏り", "2026-03-02", None);
    let of = |project: i64| -> Vec<i64> {
        let filter = RequestFilter {
            project_id: Some(project),
            ..Default::default()
        };
        let list = ledger.requests(&filter, d("2026-03-03")).unwrap();
        list.into_iter().map(|r| r.id).collect()
    };
    assert_eq!(of(house), [door.id]);
    assert_eq!(of(barn), [leak.id]);
}

#[test]
fn a_renamed_category_keeps_the_offices_warranty_period() {
    let (_dir, mut ledger) = open_temp();
    let (customer, project) = owner(&mut ledger, "小林", "2025-04-01");
    let water = entry(&ledger, RequestList::Category, "水回り");
    let rename = ListEntryInput {
        id: Some(water),
        name: "給排水".into(),
        retired: false,
    };
    ledger
        .save_request_list_entry(RequestList::Category, &rename)
        .unwrap();
    let tap = request(&mut ledger, customer, project, "給排水", "2026-03-01", None);
    assert_eq!(
        (tap.warranty.office_years, tap.warranty.office),
        (Some(2), Some(true))
    );
    let periods = ledger.request_settings().unwrap().warranty_years;
    assert!(
        periods.iter().all(|w| w.category != "水回り"),
        "{periods:?}"
    );
}

#[test]
fn a_request_keeps_its_retired_partner_and_category_through_edits() {
    let (_dir, mut ledger) = open_temp();
    let (customer, house) = owner(&mut ledger, "山田", "2020-04-01");
    let yamada_koumuten = partner(&mut ledger, "山田工務店");
    let made = request(&mut ledger, customer, house, "建具", "2026-03-01", None);
    let mut input = RequestInput {
        customer_id: customer,
        project_id: Some(house),
        received_on: made.received_on.clone(),
        category_id: made.category_id,
        complaint: made.complaint.clone(),
        partner_id: Some(yamada_koumuten),
        ..Default::default()
    };
    ledger
        .update_request(&me(), made.id, &input, d("2026-03-02"))
        .unwrap();
    // The office stops using both entries.
    for (list, id) in [
        (RequestList::Partner, yamada_koumuten),
        (RequestList::Category, made.category_id),
    ] {
        let name = entry_name(&ledger, list, id);
        let retire = ListEntryInput {
            id: Some(id),
            name,
            retired: true,
        };
        ledger.save_request_list_entry(list, &retire).unwrap();
    }
    // The open request still moves: a new due date keeps both.
    input.due_on = Some("2026-03-20".into());
    let moved = ledger
        .update_request(&me(), made.id, &input, d("2026-03-03"))
        .unwrap();
    assert_eq!(moved.partner_id, Some(yamada_koumuten));
    assert_eq!(moved.due_on.as_deref(), Some("2026-03-20"));
    // A new request cannot take a retired entry.
    let fresh = RequestInput {
        received_on: "2026-03-03".into(),
        ..input.clone()
    };
    let refused = ledger.create_request(&me(), &fresh, d("2026-03-03"));
    assert_eq!(refused.unwrap_err().code(), "invalid");
}

fn entry_name(ledger: &Ledger, list: RequestList, id: i64) -> String {
    ledger
        .request_list(list)
        .unwrap()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap()
        .name
}
