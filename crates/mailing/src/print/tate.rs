//! 縦書き: an address set down a column. Digits become kanji numerals one by
//! one (12 → 一二, as addresses are written by hand and by label software),
//! or, by the office's choice, a run of up to three digits stands upright
//! side by side in one cell (縦中横); hyphens become the vertical ー, and
//! Latin letters and spaces take their full-width forms so they stand
//! upright too.

use serde::{Deserialize, Serialize};

use super::pen::{Line, PT};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    /// 一二三 (the usual on postcards).
    #[default]
    Kanji,
    /// 縦中横: up to three digits across in one cell, longer runs as kanji.
    Upright,
}

/// The longest digit run set across in one cell.
const UPRIGHT_RUN: usize = 3;

/// A column's pieces: runs set down, and runs set across in one cell.
pub(crate) enum Part {
    Down(Line),
    Across(Line),
}

pub(crate) struct Column {
    pub(crate) parts: Vec<Part>,
    pub(crate) size: f32,
}

impl Column {
    pub(crate) fn new(text: &str, size: f32, digits: Digits) -> Self {
        let mut parts = Vec::new();
        let mut down = String::new();
        let chars: Vec<char> = daicho_text::fold_width(text).chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if run > 0 && digits == Digits::Upright && run <= UPRIGHT_RUN {
                if !down.is_empty() {
                    parts.push(Part::Down(Line::new(
                        &std::mem::take(&mut down),
                        size,
                        true,
                    )));
                }
                let across: String = chars[i..i + run].iter().collect();
                parts.push(Part::Across(Line::new(&across, size, false)));
                i += run;
                continue;
            }
            // A longer run reads as kanji digits, each in its own cell.
            let take = run.max(1);
            down.extend(chars[i..i + take].iter().map(|c| upright(*c)));
            i += take;
        }
        if !down.is_empty() {
            parts.push(Part::Down(Line::new(&down, size, true)));
        }
        Self { parts, size }
    }

    /// Its natural length down the column, in mm.
    pub(crate) fn length(&self) -> f32 {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Down(line) => line.length(),
                Part::Across(_) => self.size / PT,
            })
            .sum()
    }

    pub(crate) fn squeeze_for(&self, room: f32) -> f32 {
        super::pen::squeeze(self.length(), room)
    }
}

/// One character as it stands in a column.
fn upright(c: char) -> char {
    const KANJI: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match c {
        '0'..='9' => KANJI[c as usize - '0' as usize],
        '-' | '‐' | '−' | '―' => 'ー',
        ' ' => '　',
        '!'..='~' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down_text(column: &Column) -> String {
        column
            .parts
            .iter()
            .map(|p| match p {
                Part::Down(line) => line.run.text.clone(),
                Part::Across(line) => format!("[{}]", line.run.text),
            })
            .collect()
    }

    #[test]
    fn digits_become_kanji_one_by_one_and_hyphens_stand() {
        let column = Column::new("桜新町1-2-3 コーポ桜101", 14.0, Digits::Kanji);
        assert_eq!(down_text(&column), "桜新町一ー二ー三　コーポ桜一〇一");
    }

    #[test]
    fn upright_digits_share_one_cell_up_to_three() {
        let column = Column::new("2-15 1203号", 14.0, Digits::Upright);
        assert_eq!(down_text(&column), "[2]ー[15]　一二〇三号");
        let cells = 1.0 + 1.0 + 1.0 + 1.0 + 5.0;
        assert!((column.length() - cells * 14.0 / PT).abs() < 0.3);
    }
}
