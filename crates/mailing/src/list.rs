//! A DM list as the printer gets it: one row per household, joint names,
//! one honorific, in postal-code (or kana, or staff) order, with only the
//! columns a template names.

use std::collections::HashMap;

use daicho_ledger::dm::Addressee;
use serde::{Deserialize, Serialize};

use crate::barcode::address_number;

/// What a DM column can hold. Internal fields (status, grade, staff …) exist
/// only so that a template can name them on purpose; the default never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DmField {
    PostalCode,
    /// Prefecture, city and street.
    #[serde(rename = "address1")]
    Address1,
    /// Building and room.
    #[serde(rename = "address2")]
    Address2,
    Company,
    Department,
    Name,
    JointNames,
    Honorific,
    Kana,
    /// 住所表示番号 for the customer barcode.
    AddressNumber,
    Phone,
    Staff,
    Status,
    Grade,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Column {
    pub field: DmField,
    pub header: String,
}

/// The printers' usual layout: 郵便番号, 住所1, 住所2, 会社名, 部署, 氏名, 連名, 敬称.
pub fn default_columns() -> Vec<Column> {
    [
        (DmField::PostalCode, "郵便番号"),
        (DmField::Address1, "住所1"),
        (DmField::Address2, "住所2"),
        (DmField::Company, "会社名"),
        (DmField::Department, "部署"),
        (DmField::Name, "氏名"),
        (DmField::JointNames, "連名"),
        (DmField::Honorific, "敬称"),
    ]
    .into_iter()
    .map(|(field, header)| Column {
        field,
        header: header.into(),
    })
    .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    PostalCode,
    Kana,
    Staff,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ListOptions {
    pub order: Order,
    /// Joint names per row at most (連名).
    pub max_joint_names: u32,
}

impl Default for ListOptions {
    fn default() -> Self {
        Self {
            order: Order::PostalCode,
            max_joint_names: 2,
        }
    }
}

/// One printed piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmRow {
    /// Every customer this piece reaches (the household).
    pub customer_ids: Vec<i64>,
    pub addressee: Addressee,
    pub joint_names: Vec<String>,
}

impl DmRow {
    fn of(mut person: Addressee) -> Self {
        Self {
            customer_ids: vec![person.customer_id],
            joint_names: std::mem::take(&mut person.joint_names),
            addressee: person,
        }
    }

    /// 様 for a person, 御中 for a company without a person: never both.
    fn is_company(&self) -> bool {
        is_company(&self.addressee)
    }

    pub fn value(&self, field: DmField) -> String {
        let a = &self.addressee;
        match field {
            DmField::PostalCode => a.postal_code.clone(),
            DmField::Address1 => [a.prefecture.as_str(), &a.city, &a.address1].concat(),
            DmField::Address2 => a.address2.clone(),
            DmField::Company => a.company.clone(),
            DmField::Department => a.department.clone(),
            DmField::Name if self.is_company() => String::new(),
            DmField::Name => full_name(a),
            DmField::JointNames => self.joint_names.join("　"),
            DmField::Honorific => if self.is_company() { "御中" } else { "様" }.into(),
            DmField::Kana => joined(&a.family_kana, &a.given_kana),
            DmField::AddressNumber => address_number(&format!("{} {}", a.address1, a.address2)),
            DmField::Phone => a.phone.clone(),
            DmField::Staff => a.staff.clone(),
            DmField::Status => a.status.clone(),
            DmField::Grade => a.grade.clone(),
        }
    }
}

fn full_name(a: &Addressee) -> String {
    joined(&a.family_name, &a.given_name)
}

/// Two parts with a space between, or the one that is there.
fn joined(first: &str, second: &str) -> String {
    match (first.is_empty(), second.is_empty()) {
        (false, false) => [first, " ", second].concat(),
        (true, _) => second.to_string(),
        (false, true) => first.to_string(),
    }
}

/// Folds customers at the same address into one row per household, as they
/// stream past: people must arrive in postal-code order (the ledger's
/// `dm_candidates` order), because a household never spans two postal codes
/// and only the current code's rows are held. Rows leave in the list's
/// order: at once per postal code for postal-code order, at the end for the
/// others.
pub struct Households {
    options: ListOptions,
    postal_code: String,
    /// The current postal code's rows, and each household's row among them
    /// by its address key.
    group: Vec<DmRow>,
    by_address: HashMap<String, usize>,
    /// Every row, for the orders that need the whole list first.
    later: Vec<DmRow>,
    folded: u32,
}

impl Households {
    pub fn new(options: &ListOptions) -> Self {
        Self {
            options: options.clone(),
            postal_code: String::new(),
            group: Vec::new(),
            by_address: HashMap::new(),
            later: Vec::new(),
            folded: 0,
        }
    }

    pub fn push<E>(
        &mut self,
        person: Addressee,
        out: &mut impl FnMut(DmRow) -> Result<(), E>,
    ) -> Result<(), E> {
        if person.postal_code != self.postal_code {
            self.flush(out)?;
            self.postal_code.clone_from(&person.postal_code);
        }
        if !is_household(&person) {
            self.group.push(DmRow::of(person));
            return Ok(());
        }
        let key = household_key(&person);
        match self.by_address.get(&key) {
            Some(&index) => {
                let row = &mut self.group[index];
                row.customer_ids.push(person.customer_id);
                // Same family name: the given name alone, as 連名 is printed.
                let name = if person.family_name == row.addressee.family_name
                    && !person.given_name.is_empty()
                {
                    person.given_name
                } else {
                    full_name(&person)
                };
                row.joint_names.push(name);
                row.joint_names.extend(person.joint_names);
                self.folded += 1;
            }
            None => {
                self.by_address.insert(key, self.group.len());
                self.group.push(DmRow::of(person));
            }
        }
        Ok(())
    }

    /// Sends the rows still held; returns how many customers were folded
    /// into another's row.
    pub fn finish<E>(mut self, out: &mut impl FnMut(DmRow) -> Result<(), E>) -> Result<u32, E> {
        self.flush(out)?;
        let order = self.options.order;
        self.later.sort_by_cached_key(|r| {
            let a = &r.addressee;
            match order {
                Order::PostalCode => (String::new(), String::new()),
                Order::Kana => (kana(a), a.postal_code.clone()),
                Order::Staff => (a.staff.clone(), a.postal_code.clone()),
            }
        });
        self.later.drain(..).try_for_each(&mut *out)?;
        Ok(self.folded)
    }

    fn flush<E>(&mut self, out: &mut impl FnMut(DmRow) -> Result<(), E>) -> Result<(), E> {
        self.by_address.clear();
        for row in &mut self.group {
            tidy_joint_names(row, self.options.max_joint_names as usize);
        }
        if self.options.order != Order::PostalCode {
            self.later.append(&mut self.group);
            return Ok(());
        }
        self.group.sort_by_cached_key(|r| kana(&r.addressee));
        self.group.drain(..).try_for_each(out)
    }
}

fn is_company(a: &Addressee) -> bool {
    a.honorific == "御中"
}

/// A company, or a person addressed at one, gets a piece of their own: a
/// company is not a household, and colleagues are not 連名.
fn is_household(a: &Addressee) -> bool {
    a.company.is_empty() && !is_company(a)
}

/// Same postal code and same address key: one household.
fn household_key(a: &Addressee) -> String {
    daicho_text::address_key(&[&a.prefecture, &a.city, &a.address1, &a.address2])
}

fn kana(a: &Addressee) -> String {
    [a.family_kana.as_str(), &a.given_kana].concat()
}

/// Joint names without the addressee, without repeats, without the shared
/// family name, and no more than the list allows.
fn tidy_joint_names(row: &mut DmRow, max: usize) {
    let family = &row.addressee.family_name;
    let mut seen: Vec<String> = Vec::new();
    for name in row.joint_names.drain(..) {
        let short = name
            .strip_prefix(family.as_str())
            .and_then(|rest| rest.strip_prefix(' '))
            .map_or(name.as_str(), |given| given);
        if !seen.iter().any(|s| s == short) && short != row.addressee.given_name {
            seen.push(short.to_string());
        }
    }
    seen.truncate(max);
    row.joint_names = seen;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(
        id: i64,
        family: &str,
        given: &str,
        postal: &str,
        address1: &str,
        address2: &str,
    ) -> Addressee {
        Addressee {
            customer_id: id,
            family_name: family.into(),
            given_name: given.into(),
            family_kana: String::new(),
            given_kana: String::new(),
            honorific: "様".into(),
            company: String::new(),
            department: String::new(),
            postal_code: postal.into(),
            prefecture: "東京都".into(),
            city: "世田谷区".into(),
            address1: address1.into(),
            address2: address2.into(),
            phone: String::new(),
            staff: String::new(),
            status: "商談中".into(),
            grade: "A".into(),
            joint_names: Vec::new(),
        }
    }

    /// The whole list at once, as the export builds it from the ledger.
    fn households(mut people: Vec<Addressee>, options: &ListOptions) -> (Vec<DmRow>, u32) {
        people
            .sort_by(|a, b| (&a.postal_code, a.customer_id).cmp(&(&b.postal_code, b.customer_id)));
        let mut rows = Vec::new();
        let mut folder = Households::new(options);
        let mut out = |row| -> Result<(), ()> {
            rows.push(row);
            Ok(())
        };
        for person in people {
            folder.push(person, &mut out).unwrap();
        }
        let folded = folder.finish(&mut out).unwrap();
        (rows, folded)
    }

    /// Who each piece reaches, piece by piece.
    fn pieces(rows: &[DmRow]) -> Vec<Vec<i64>> {
        rows.iter().map(|r| r.customer_ids.clone()).collect()
    }

    #[test]
    fn one_piece_per_household_with_joint_names() {
        let mut hanako = person(2, "山田", "花子", "154-0015", "桜新町１－２－３", "");
        hanako.joint_names = vec!["山田 一郎".into()];
        let people = vec![
            person(3, "佐藤", "次郎", "100-0001", "千代田1-1", ""),
            person(1, "山田", "太郎", "154-0015", "桜新町1-2-3", ""),
            hanako,
            person(4, "山田", "三郎", "154-0015", "桜新町1-2-3", "コーポ101"),
        ];
        let (rows, folded) = households(people.clone(), &ListOptions::default());
        assert_eq!(folded, 1);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0].value(DmField::PostalCode),
            "100-0001",
            "postal-code order"
        );
        let yamada = rows.iter().find(|r| r.customer_ids.contains(&1)).unwrap();
        assert_eq!(yamada.customer_ids, vec![1, 2]);
        assert_eq!(yamada.joint_names, vec!["花子", "一郎"]);
        assert_eq!(yamada.value(DmField::JointNames), "花子　一郎");
        let options = ListOptions {
            max_joint_names: 1,
            ..Default::default()
        };
        let (rows, _) = households(people, &options);
        assert_eq!(
            rows.iter()
                .find(|r| r.customer_ids.contains(&1))
                .unwrap()
                .joint_names,
            vec!["花子"]
        );
    }

    #[test]
    fn neighbours_whose_block_numbers_share_digits_get_their_own_piece() {
        let people = vec![
            person(1, "山田", "太郎", "223-0061", "日吉1-23", ""),
            person(2, "山田", "花子", "223-0061", "日吉12-3", ""),
            person(3, "鈴木", "一郎", "223-0061", "日吉1-2-3", "101"),
            person(4, "鈴木", "次郎", "223-0061", "日吉1-2-3101", ""),
            person(5, "鈴木", "三郎", "223-0061", "日吉１－２－３　１０１", ""),
        ];
        let (rows, folded) = households(people, &ListOptions::default());
        let ids = pieces(&rows);
        assert_eq!(folded, 1);
        assert_eq!(rows.len(), 4, "{ids:?}");
        assert!(ids.contains(&vec![3, 5]), "{ids:?}");
    }

    #[test]
    fn companies_and_their_people_are_never_folded_into_a_household() {
        let mut company = person(1, "山田工務店", "", "154-0015", "桜新町1-2-3", "");
        company.honorific = "御中".into();
        let colleague = |id, given| {
            let mut p = person(id, "山田", given, "154-0015", "桜新町1-2-3", "");
            p.company = "株式会社山田工務店".into();
            p
        };
        let people = vec![
            company,
            person(2, "山田", "太郎", "154-0015", "桜新町1-2-3", ""),
            colleague(3, "一郎"),
            colleague(4, "次郎"),
            person(5, "山田", "花子", "154-0015", "桜新町１－２－３", ""),
        ];
        let (rows, folded) = households(people, &ListOptions::default());
        let ids = pieces(&rows);
        assert_eq!(folded, 1);
        assert_eq!(ids.len(), 4, "{ids:?}");
        assert!(ids.contains(&vec![2, 5]), "{ids:?}");
        let company_row = rows.iter().find(|r| r.customer_ids == [1]).unwrap();
        assert!(company_row.joint_names.is_empty());
    }

    #[test]
    fn company_gets_onchu_and_no_person_honorific() {
        let mut company = person(5, "山田工務店", "", "154-0015", "桜新町1-2-3", "");
        company.honorific = "御中".into();
        company.company = "株式会社山田工務店".into();
        let (rows, _) = households(vec![company], &ListOptions::default());
        assert_eq!(rows[0].value(DmField::Honorific), "御中");
        assert_eq!(rows[0].value(DmField::Name), "");
        assert_eq!(rows[0].value(DmField::Company), "株式会社山田工務店");
    }
}
