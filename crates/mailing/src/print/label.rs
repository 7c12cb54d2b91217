//! An address label, set across: 〒 and postal code, the address in two
//! lines, the company, the addressee with 様 or 御中 and 連名 under the given
//! name, and the customer barcode on its own directly below the names (ZM
//! p13: 横書きの場合は、あて先氏名の直下).

use super::across::{self, Cursor};
use super::pen::{barcode_size, Line, Pen, BARCODE_QUIET};
use super::piece::Piece;
use super::sheets::Sheet;
use super::{barcode_size_for, Laid};

/// The label the sizes below are set for (the 12面 sheet's); smaller and
/// larger labels scale their type with their height, within these bounds.
const DESIGN_HEIGHT: f32 = 42.3;
const SCALE: (f32, f32) = (0.75, 1.15);
/// Blank space inside the label's edge.
const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;

pub(crate) fn lay(piece: &Piece, sheet: &Sheet, slot: u32) -> Laid {
    let (ox, oy) = sheet.label_origin(slot);
    let (ox, oy) = (ox as f32, oy as f32);
    let (w, h) = (sheet.label_width as f32, sheet.label_height as f32);
    let f = (h / DESIGN_HEIGHT).clamp(SCALE.0, SCALE.1);
    let (x, room) = (ox + PAD_X, w - 2.0 * PAD_X);
    let mut laid = Laid::default();
    let mut at = Cursor { y: oy + PAD_Y };
    let postal = Line::new(&format!("〒{}", piece.postal_code), 9.0 * f, false);
    laid.line("郵便番号", postal, (x, at.next(9.0 * f, 0.0)), room);
    across::address(&mut laid, piece, &mut at, x, room, (10.5 * f, 10.0 * f));
    let names_top = at.y;
    across::names(&mut laid, piece, &mut at, x, x + room, (13.0 * f, 1.2, 0.4));
    // Text past the label's edge would print on the next label.
    let bottom = oy + h - 1.0;
    laid.overflow("連名", names_top, at.y, bottom);
    let a = barcode_size_for(w).filter(|a| at.y + BARCODE_QUIET + barcode_size(*a).1 <= bottom);
    let bar_x = ox + (w - a.map_or(0.0, |a| barcode_size(a).0)) / 2.0;
    laid.barcode(piece, (bar_x, at.y + BARCODE_QUIET), a);
    laid
}

/// Every label's edge on the page (the test page), whether used or not.
pub(crate) fn frames(sheet: &Sheet, pen: &mut Pen) {
    for slot in 0..sheet.labels_per_sheet() {
        let (x, y) = sheet.label_origin(slot);
        pen.frame(
            x as f32,
            y as f32,
            sheet.label_width as f32,
            sheet.label_height as f32,
            0.2,
        );
    }
}
