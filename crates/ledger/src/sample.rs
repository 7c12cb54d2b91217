//! Realistic demo customers for the "サンプルデータを入れる" action: common
//! names with matching kana, real postal codes with their towns, households,
//! statuses, grades and labels, contact histories with next actions, and
//! projects (with their after-care inspections) for contracted customers and
//! owners. Seeded, so the same seed gives the same ledger on the same day.
//! `daicho sample --count N --seed S` is the ledger generator the
//! benchmarks and the crash tests use.

use rusqlite::{params, Transaction};

use crate::followups::contacts::{self, ContactInput};
use crate::followups::projects::{self, ProjectInput};
use crate::followups::tasks::{self, TaskKind};
use crate::record::customer_labels;
use crate::record::customers::{self, CustomerFields};
use crate::record::fields::ProjectKind;
use crate::record::fields::{BuildTiming, Gender, Grade, Land};
use crate::record::household::HouseholdMember;
use crate::reference::statuses::Stage;
use crate::store::access::Need;
use crate::store::error::Result;
use crate::store::ids;
use crate::store::ledger::{Actor, Ledger};
use crate::{reference::labels, reference::statuses};

pub const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("山下", "ヤマシタ"),
    ("中島", "ナカジマ"),
    ("石井", "イシイ"),
    ("小川", "オガワ"),
    ("前田", "マエダ"),
    ("岡田", "オカダ"),
    ("長谷川", "ハセガワ"),
    ("藤田", "フジタ"),
    ("後藤", "ゴトウ"),
    ("近藤", "コンドウ"),
    ("村上", "ムラカミ"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
    ("坂本", "サカモト"),
];
pub const MALE: &[(&str, &str)] = &[
    ("太郎", "タロウ"),
    ("健一", "ケンイチ"),
    ("大輔", "ダイスケ"),
    ("翔太", "ショウタ"),
    ("直樹", "ナオキ"),
    ("誠", "マコト"),
    ("拓也", "タクヤ"),
    ("浩二", "コウジ"),
    ("隆", "タカシ"),
    ("和也", "カズヤ"),
    ("亮", "リョウ"),
    ("修", "オサム"),
];
pub const FEMALE: &[(&str, &str)] = &[
    ("花子", "ハナコ"),
    ("恵子", "ケイコ"),
    ("陽子", "ヨウコ"),
    ("美咲", "ミサキ"),
    ("由美", "ユミ"),
    ("裕子", "ユウコ"),
    ("愛", "アイ"),
    ("真由美", "マユミ"),
    ("智子", "トモコ"),
    ("明美", "アケミ"),
    ("さくら", "サクラ"),
    ("久美子", "クミコ"),
];
const CHILDREN: &[(&str, &str)] = &[
    ("陽翔", "ハルト"),
    ("結菜", "ユイナ"),
    ("蓮", "レン"),
    ("葵", "アオイ"),
    ("湊", "ミナト"),
];

/// Real postal codes with their prefecture, city, town and area code.
pub const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("154-0015", "東京都", "世田谷区", "桜新町", "03"),
    ("158-0094", "東京都", "世田谷区", "玉川", "03"),
    ("156-0052", "東京都", "世田谷区", "経堂", "03"),
    ("167-0051", "東京都", "杉並区", "荻窪", "03"),
    ("180-0004", "東京都", "武蔵野市", "吉祥寺本町", "0422"),
    ("190-0012", "東京都", "立川市", "曙町", "042"),
    ("192-0081", "東京都", "八王子市", "横山町", "042"),
    ("194-0013", "東京都", "町田市", "原町田", "042"),
    ("223-0061", "神奈川県", "横浜市港北区", "日吉", "045"),
    ("220-0011", "神奈川県", "横浜市西区", "高島", "045"),
    ("211-0004", "神奈川県", "川崎市中原区", "新丸子東", "044"),
    ("251-0052", "神奈川県", "藤沢市", "藤沢", "0466"),
    ("330-0063", "埼玉県", "さいたま市浦和区", "高砂", "048"),
    ("330-0854", "埼玉県", "さいたま市大宮区", "桜木町", "048"),
    ("350-1123", "埼玉県", "川越市", "脇田本町", "049"),
    ("343-0845", "埼玉県", "越谷市", "南越谷", "048"),
    ("260-0013", "千葉県", "千葉市中央区", "中央", "043"),
    ("272-0034", "千葉県", "市川市", "市川", "047"),
    ("273-0005", "千葉県", "船橋市", "本町", "047"),
    ("277-0005", "千葉県", "柏市", "柏", "04"),
];
pub const BUILDINGS: &[&str] = &[
    "コーポ桜",
    "グランメゾン",
    "パークハイツ",
    "メゾン緑",
    "サンライズ",
];
const SOURCES: &[&str] = &["見学会", "WEB", "チラシ", "紹介", "来店", "電話"];
const NOTES: &[&str] = &[
    "",
    "",
    "",
    "平屋を希望。子ども2人。",
    "土地探しから相談したい。",
    "二世帯住宅を検討中。",
    "週末のみ連絡可。",
    "外壁の塗り替えを検討。",
    "耐震診断に関心あり。",
];

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn phone(rng: &mut fastrand::Rng, area: &str) -> String {
    let local_len = 10 - area.len();
    let digits: String = (0..local_len)
        .map(|i| {
            if i == 0 {
                char::from(b'2' + rng.u8(..7))
            } else {
                char::from(b'0' + rng.u8(..10))
            }
        })
        .collect();
    daicho_text::normalize_phone(&format!("{area}{digits}")).unwrap_or_default()
}

fn mobile(rng: &mut fastrand::Rng) -> String {
    let prefix = pick(rng, &["090", "080", "070"]);
    format!(
        "{prefix}-{:04}-{:04}",
        rng.u32(1000..10000),
        rng.u32(0..10000)
    )
}

const CONTACT_NOTES: &[&str] = &[
    "見学会に来場。平屋に関心",
    "資金計画の相談",
    "プランの感想を伺った",
    "土地探しの状況を確認",
    "ニュースレター送付のお礼の電話",
    "定期点検の日程調整",
    "外壁の汚れについて相談",
];

fn birthday(rng: &mut fastrand::Rng, from: i32, to: i32) -> String {
    format!(
        "{}-{:02}-{:02}",
        rng.i32(from..to),
        rng.u32(1..13),
        rng.u32(1..29)
    )
}

impl Ledger {
    /// Adds `count` demo customers (plus spouses at the same address) in one
    /// transaction. Returns how many customers were added.
    pub fn add_sample_data(&mut self, actor: &Actor, count: u32, seed: u64) -> Result<u32> {
        self.write(Need::Customers, |tx| {
            let _counting = ids::count_up(tx)?;
            let mut sampler = Sampler::read(tx, seed)?;
            for _ in 0..count {
                sampler.add_one(tx, actor)?;
            }
            Ok(count)
        })
    }
}

/// What the demo customers are drawn from: the ledger's own statuses,
/// staff, labels and contact kinds, and one seeded random source.
struct Sampler {
    rng: fastrand::Rng,
    active: Vec<statuses::Status>,
    staff: Vec<i64>,
    labels: Vec<labels::Label>,
    creation: customers::Creation,
    kinds: Vec<i64>,
    inspection_kind: Option<i64>,
    today: chrono::NaiveDate,
}

impl Sampler {
    fn read(tx: &Transaction, seed: u64) -> Result<Self> {
        let all_kinds = contacts::kinds_in(tx)?;
        Ok(Self {
            rng: fastrand::Rng::with_seed(seed),
            active: statuses::list_in(tx)?
                .into_iter()
                .filter(|s| !s.retired)
                .collect(),
            staff: sample_staff(tx)?,
            labels: labels::list_in(tx)?,
            creation: customers::Creation::read(tx)?,
            kinds: all_kinds
                .iter()
                .filter(|k| !k.retired)
                .map(|k| k.id)
                .collect(),
            inspection_kind: all_kinds
                .iter()
                .find(|k| k.name == contacts::INSPECTION_KIND)
                .map(|k| k.id),
            today: contacts::local_today(),
        })
    }

    /// One customer with their household, maybe a label, a contact history
    /// and, once contracted, a project; dated back up to three years.
    fn add_one(&mut self, tx: &Transaction, actor: &Actor) -> Result<()> {
        let (fields, male, status) = self.fields();
        let members = self.members(&fields, male);
        let id = self.creation.create(tx, actor, &fields, &members)?;
        if self.rng.u8(..6) == 0 && !self.labels.is_empty() {
            let mut wanted: Vec<i64> = customer_labels::of_customer(tx, id)?
                .iter()
                .map(|l| l.id)
                .collect();
            wanted.push(pick(&mut self.rng, &self.labels).id);
            customer_labels::set_for_customer(tx, actor, id, &wanted)?;
        }
        // Spread the records over three years so the list and its sort look lived-in.
        let age_days = self.rng.i64(0..3 * 365);
        let by = Actor {
            staff_id: fields.staff_id,
            ..*actor
        };
        if self.rng.u8(..5) < 3 {
            self.contacts(tx, &by, id, age_days)?;
        }
        if matches!(status.stage, Stage::Contract | Stage::Owner) {
            self.project(tx, &by, id, &fields.family_name, status.stage)?;
        }
        self.backdate(tx, id, age_days)
    }

    /// A person, and whether he is a man, in the status drawn for them.
    fn fields(&mut self) -> (CustomerFields, bool, statuses::Status) {
        let (family, family_kana) = *pick(&mut self.rng, FAMILY);
        let male = self.rng.bool();
        let (given, given_kana) = *pick(&mut self.rng, if male { MALE } else { FEMALE });
        let (postal, prefecture, city, town, area) = *pick(&mut self.rng, PLACES);
        let address1 = format!(
            "{town}{}-{}-{}",
            self.rng.u32(1..6),
            self.rng.u32(1..30),
            self.rng.u32(1..20)
        );
        let address2 = if self.rng.u8(..5) == 0 {
            format!(
                "{}{}号室",
                pick(&mut self.rng, BUILDINGS),
                self.rng.u32(1..6) * 100 + self.rng.u32(1..10)
            )
        } else {
            String::new()
        };
        let status = pick(&mut self.rng, &self.active).clone();
        let fields = CustomerFields {
            family_name: family.into(),
            given_name: given.into(),
            family_kana: family_kana.into(),
            given_kana: given_kana.into(),
            gender: Some(if male { Gender::Male } else { Gender::Female }),
            birthday: (self.rng.u8(..4) > 0).then(|| birthday(&mut self.rng, 1950, 1996)),
            postal_code: postal.into(),
            prefecture: prefecture.into(),
            city: city.into(),
            address1: address1.clone(),
            address2: address2.clone(),
            phone: if self.rng.bool() {
                phone(&mut self.rng, area)
            } else {
                String::new()
            },
            mobile: mobile(&mut self.rng),
            email: if self.rng.u8(..3) > 0 {
                format!(
                    "{}.{}{}@example.jp",
                    daicho_text::search_key(given_kana),
                    daicho_text::search_key(family_kana),
                    self.rng.u32(1..999)
                )
                .to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii(), "")
            } else {
                String::new()
            },
            source: pick(&mut self.rng, SOURCES).to_string(),
            staff_id: Some(*pick(&mut self.rng, &self.staff)),
            build_timing: Some(*pick(&mut self.rng, BuildTiming::ALL)),
            budget_man_yen: Some(self.rng.i64(20..60) * 100),
            land: Some(*pick(&mut self.rng, Land::ALL)),
            status_id: Some(status.id),
            grade: (self.rng.u8(..5) > 0).then(|| *pick(&mut self.rng, Grade::ALL)),
            dm_opt_out: self.rng.u8(..20) == 0,
            notes: pick(&mut self.rng, NOTES).to_string(),
            ..CustomerFields::default()
        };
        let email = if fields.email.starts_with('.') {
            String::new()
        } else {
            fields.email
        };
        (CustomerFields { email, ..fields }, male, status)
    }

    /// A spouse (named jointly) and a child for one household in four.
    fn members(&mut self, fields: &CustomerFields, male: bool) -> Vec<HouseholdMember> {
        let (family, family_kana) = (fields.family_name.as_str(), fields.family_kana.as_str());
        if self.rng.u8(..4) == 0 {
            let (child, child_kana) = *pick(&mut self.rng, CHILDREN);
            let (spouse, spouse_kana) = *pick(&mut self.rng, if male { FEMALE } else { MALE });
            vec![
                HouseholdMember {
                    id: None,
                    name: format!("{family} {spouse}"),
                    kana: format!("{family_kana} {spouse_kana}"),
                    relation: "配偶者".into(),
                    birthday: Some(birthday(&mut self.rng, 1955, 1996)),
                    joint_name: true,
                },
                HouseholdMember {
                    id: None,
                    name: format!("{family} {child}"),
                    kana: format!("{family_kana} {child_kana}"),
                    relation: "子".into(),
                    birthday: Some(birthday(&mut self.rng, 2005, 2022)),
                    joint_name: false,
                },
            ]
        } else {
            Vec::new()
        }
    }

    fn contacts(&mut self, tx: &Transaction, by: &Actor, id: i64, age_days: i64) -> Result<()> {
        for _ in 0..self.rng.u32(1..5) {
            let day = self.today - chrono::Duration::days(self.rng.i64(1..=age_days.max(1)));
            let next_on = (self.rng.u8(..3) == 0)
                .then(|| (day + chrono::Duration::days(self.rng.i64(3..21))).to_string());
            let contact = ContactInput {
                customer_id: id,
                kind_id: *pick(&mut self.rng, &self.kinds),
                at: format!(
                    "{day} {:02}:{:02}",
                    self.rng.u32(9..19),
                    self.rng.u32(0..4) * 15
                ),
                note: pick(&mut self.rng, CONTACT_NOTES).to_string(),
                next_note: if next_on.is_some() {
                    "次回の打合せ".into()
                } else {
                    String::new()
                },
                next_on,
            };
            contacts::log_in(tx, by, &contact, self.today)?;
        }
        Ok(())
    }

    fn project(
        &mut self,
        tx: &Transaction,
        by: &Actor,
        id: i64,
        family_name: &str,
        stage: Stage,
    ) -> Result<()> {
        let years_ago = self.rng.i64(1..15);
        let contract = self.today - chrono::Duration::days(years_ago * 365 + self.rng.i64(0..300));
        let handover = (stage == Stage::Owner)
            .then(|| contract + chrono::Duration::days(self.rng.i64(180..300)));
        let project = projects::validate(&ProjectInput {
            id: None,
            customer_id: id,
            kind: if self.rng.u8(..3) == 0 {
                ProjectKind::Renovation
            } else {
                ProjectKind::NewBuild
            },
            title: format!("{family_name}様邸 工事"),
            amount_yen: Some(self.rng.i64(5..50) * 1_000_000),
            contract_on: Some(contract.to_string()),
            start_on: None,
            completion_on: None,
            handover_on: handover.map(|d| d.to_string()),
        })?;
        projects::save_in(tx, by, &project)?;
        // Most past inspections were made: an 点検 visit on the day
        // settles them, as it would in the office; a few are late.
        let past = (self.today - chrono::Duration::days(14)).to_string();
        for task in tasks::of_customer(tx, id)? {
            let due =
                task.kind == TaskKind::Inspection && task.done_at.is_none() && task.due_on < past;
            if let (true, Some(kind_id), true) = (due, self.inspection_kind, self.rng.u8(..10) > 0)
            {
                let visit = ContactInput {
                    customer_id: id,
                    kind_id,
                    at: format!("{} 10:00", task.due_on),
                    note: format!("{}を実施", task.title),
                    next_on: None,
                    next_note: String::new(),
                };
                contacts::log_in(tx, by, &visit, self.today)?;
            }
        }
        Ok(())
    }

    fn backdate(&mut self, tx: &Transaction, id: i64, age_days: i64) -> Result<()> {
        let created = (chrono::Utc::now()
            - chrono::Duration::days(age_days)
            - chrono::Duration::minutes(self.rng.i64(0..1440)))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let updated = (chrono::Utc::now() - chrono::Duration::days(self.rng.i64(0..=age_days)))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        tx.execute(
            "UPDATE customers SET created_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, created, updated],
        )?;
        Ok(())
    }
}

/// The ledger's staff, or three demo staff members when it has none.
fn sample_staff(tx: &Transaction) -> Result<Vec<i64>> {
    if crate::reference::staff::list_in(tx)?.is_empty() {
        for (name, kana) in [
            ("佐藤 健一", "サトウ ケンイチ"),
            ("高橋 美咲", "タカハシ ミサキ"),
            ("田中 大輔", "タナカ ダイスケ"),
        ] {
            tx.execute(
                "INSERT INTO staff (id, name, kana, position) \
                 VALUES (?1, ?2, ?3, (SELECT coalesce(max(position),0)+1 FROM staff))",
                params![ids::next_id(tx, "staff")?, name, kana],
            )?;
        }
    }
    Ok(crate::reference::staff::list_in(tx)?
        .into_iter()
        .map(|s| s.id)
        .collect())
}
