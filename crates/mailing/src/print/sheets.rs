//! A4 label sheets: the office picks one by name, or measures its own.
//!
//! The geometry is gLabels' Hisago table (`templates/hisago-templates.xml`,
//! the one open table tagged with a maker's product pages), read on
//! 2026-12-02. The A-one and KOKUYO numbers beside each are the sheets that
//! label-software tables give the same layout; no maker's 寸法図 could be
//! read here to confirm them, so the screen asks for a test page
//! (`frames`) and a printer offset before the first real run.

use serde::{Deserialize, Serialize};

/// A sheet of labels, in millimetres from the paper's top left corner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Sheet {
    pub name: String,
    /// The products sold with this layout, as the source names them.
    pub products: String,
    pub page_width: f64,
    pub page_height: f64,
    pub columns: u32,
    pub rows: u32,
    pub label_width: f64,
    pub label_height: f64,
    /// The first label's left and top edge.
    pub left: f64,
    pub top: f64,
    /// From one label's edge to the next one's (label size plus the gap).
    pub pitch_x: f64,
    pub pitch_y: f64,
    /// Where the figures come from.
    pub source: String,
}

/// The name of the sheet the office measures itself.
pub const CUSTOM: &str = "custom";

const GLABELS: &str = "gLabels hisago-templates.xml（ヒサゴの製品ページ付きの公開表）";

#[allow(clippy::too_many_arguments)]
fn a4(
    name: &str,
    products: &str,
    (columns, rows): (u32, u32),
    (label_width, label_height): (f64, f64),
    (left, top): (f64, f64),
    (pitch_x, pitch_y): (f64, f64),
) -> Sheet {
    Sheet {
        name: name.into(),
        products: products.into(),
        page_width: 210.0,
        page_height: 297.0,
        columns,
        rows,
        label_width,
        label_height,
        left,
        top,
        pitch_x,
        pitch_y,
        source: GLABELS.into(),
    }
}

/// The sheets offered by name, the office's usual first: A4 12面.
pub fn builtin() -> Vec<Sheet> {
    vec![
        a4(
            "A4 12面 86.4×42.3",
            "ヒサゴ ELM008・エーワン 72212 相当（エーワンは未確認）",
            (2, 6),
            (86.4, 42.3),
            (18.6, 21.2),
            (86.4, 42.3),
        ),
        a4(
            "A4 12面 84×42 角丸",
            "ヒサゴ ELM018 相当",
            (2, 6),
            (84.0, 42.0),
            (19.0, 22.5),
            (88.0, 42.0),
        ),
        a4(
            "A4 18面 70×42.3",
            "ヒサゴ ELM009・エーワン 28185 相当（エーワンは未確認）",
            (3, 6),
            (70.0, 42.3),
            (0.0, 21.2),
            (70.0, 42.3),
        ),
        a4(
            "A4 21面 70×42.4",
            "ヒサゴ CJK3029S 相当",
            (3, 7),
            (70.0, 42.4),
            (0.0, 0.0),
            (70.0, 42.4),
        ),
        a4(
            "A4 21面 70×38.1",
            "ヒサゴ OP3007 相当",
            (3, 7),
            (70.0, 38.1),
            (0.0, 14.8),
            (70.0, 38.1),
        ),
        a4(
            "A4 24面 66×33.9",
            "ヒサゴ ELM012・エーワン 72224 相当（エーワンは未確認）",
            (3, 8),
            (66.0, 33.9),
            (6.0, 12.9),
            (66.0, 33.9),
        ),
        a4(
            "A4 24面 70×33.9",
            "ヒサゴ OP3003 相当",
            (3, 8),
            (70.0, 33.9),
            (0.0, 12.7),
            (70.0, 33.9),
        ),
    ]
}

impl Sheet {
    pub fn labels_per_sheet(&self) -> u32 {
        self.columns.saturating_mul(self.rows)
    }

    /// The top left corner of label `index` (0-based, row by row).
    pub fn label_origin(&self, index: u32) -> (f64, f64) {
        let (row, column) = (index / self.columns, index % self.columns);
        (
            self.left + f64::from(column) * self.pitch_x,
            self.top + f64::from(row) * self.pitch_y,
        )
    }

    /// What is wrong with a sheet the office measured, in its words; empty
    /// when every label lies on the paper and none overlaps the next.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let sizes = [
            self.page_width,
            self.page_height,
            self.label_width,
            self.label_height,
        ];
        if sizes.iter().any(|v| !v.is_finite() || *v <= 0.0) {
            out.push("用紙とラベルの大きさは 0 より大きい数で入れてください。".into());
            return out;
        }
        if self.columns == 0 || self.rows == 0 || self.labels_per_sheet() > 100 {
            out.push("列と行は 1 以上、ラベルは 1 枚に 100 面までです。".into());
            return out;
        }
        if self.columns > 1 && self.pitch_x < self.label_width {
            out.push("横の間隔（送り）がラベルの幅より短く、隣のラベルに重なります。".into());
        }
        if self.rows > 1 && self.pitch_y < self.label_height {
            out.push("縦の間隔（送り）がラベルの高さより短く、下のラベルに重なります。".into());
        }
        let (right, bottom) = self.label_origin(self.labels_per_sheet() - 1);
        let off_paper = self.left < 0.0
            || self.top < 0.0
            || right + self.label_width > self.page_width + 0.05
            || bottom + self.label_height > self.page_height + 0.05;
        if off_paper {
            out.push("ラベルが用紙の外にはみ出します。余白と間隔を確かめてください。".into());
        }
        out
    }
}

/// The sheet named `name`: a built-in one, or `custom` (the office's own
/// measurements) when that is the name.
pub fn find(name: &str, custom: &Sheet) -> Option<Sheet> {
    if name == CUSTOM {
        return Some(custom.clone());
    }
    builtin().into_iter().find(|s| s.name == name)
}

/// A custom sheet's starting point: the 12面 sheet's figures to edit.
pub fn custom_default() -> Sheet {
    Sheet {
        name: CUSTOM.into(),
        products: String::new(),
        source: "事務所で測った寸法".into(),
        ..builtin().remove(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_sheet_lies_on_its_paper() {
        for sheet in builtin() {
            assert_eq!(sheet.problems(), Vec::<String>::new(), "{}", sheet.name);
        }
    }

    #[test]
    fn an_overlapping_or_oversized_custom_sheet_is_told() {
        let mut sheet = custom_default();
        sheet.pitch_x = 80.0;
        assert_eq!(sheet.problems().len(), 1);
        sheet.pitch_x = 86.4;
        sheet.left = 40.0;
        assert_eq!(sheet.problems().len(), 1);
        sheet.label_width = 0.0;
        assert_eq!(sheet.problems().len(), 1);
    }
}
