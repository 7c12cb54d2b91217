//! One printed piece as the layouts read it: the DM row's fields that a
//! label or postcard carries, in the print's own fixed column order.

use crate::list::{Column, DmField};

/// The columns a print reads, whatever columns the request names: the
/// printers' usual ones, then the address number for the barcode, in the
/// order `Piece::of` reads them.
pub fn columns() -> Vec<Column> {
    let mut columns = crate::list::default_columns();
    columns.push(Column {
        field: DmField::AddressNumber,
        header: "住所表示番号".into(),
    });
    columns
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Piece {
    pub postal_code: String,
    pub address1: String,
    pub address2: String,
    pub company: String,
    pub department: String,
    pub name: String,
    pub joint_names: Vec<String>,
    pub honorific: String,
    pub address_number: String,
}

impl Piece {
    /// The piece from its cells in `columns()`' order.
    pub fn of(cells: &[String]) -> Self {
        // A tab or line break inside a field would print as a box.
        let cell = |i: usize| {
            cells.get(i).map_or_else(String::new, |c| {
                c.chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect()
            })
        };
        Self {
            postal_code: cell(0),
            address1: cell(1),
            address2: cell(2),
            company: cell(3),
            department: cell(4),
            name: cell(5),
            joint_names: cell(6)
                .split('　')
                .filter(|n| !n.is_empty())
                .map(str::to_string)
                .collect(),
            honorific: cell(7),
            address_number: cell(8),
        }
    }

    /// The line the addressee is named on: the person, or the company
    /// when the piece goes to a company alone (御中).
    pub fn addressee(&self) -> String {
        if self.name.is_empty() {
            self.company_and_department()
        } else {
            self.name.replace(' ', "　")
        }
    }

    /// The postal code's digits, however it was written (〒, full width).
    pub fn postal_digits(&self) -> String {
        daicho_text::fold_width(&self.postal_code)
            .chars()
            .filter(char::is_ascii_digit)
            .collect()
    }

    /// The family name part of the addressee with the space after it, so
    /// that 連名 given names line up under the addressee's given name.
    pub fn family_part(&self) -> String {
        match self.name.split_once(' ') {
            Some((family, _)) => format!("{family}　"),
            None => String::new(),
        }
    }

    /// The company line above a person's name (with the department).
    pub fn company_line(&self) -> String {
        if self.name.is_empty() {
            return String::new();
        }
        self.company_and_department()
    }

    fn company_and_department(&self) -> String {
        [self.company.as_str(), &self.department]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("　")
    }

    /// A joint name as printed: a given name alone lines up under the
    /// addressee's given name, a full name starts at the top.
    pub fn joint_is_given_name(name: &str) -> bool {
        !name.contains(' ')
    }
}
