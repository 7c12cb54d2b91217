//! A postcard (官製はがき, 100 × 148 mm), one a page: the recipient's postal
//! code in the seven printed boxes, the address and the addressee set down
//! (縦書き) or across, 連名 beside the name with every 様 on one line, the
//! office's block at the bottom left, and the customer barcode.
//!
//! The boxes (ZM p05, 郵便番号枠): 12.0 mm from the top and 8.0 mm from the
//! right edge to the inside of the frame; box and gap sizes (5.7 × 8.0,
//! gaps 1.3 / 1.9 / 1.1) as transcribed from its figure (third party, see
//! docs/print-research.md §2.1). The barcode keeps 10 mm from every edge
//! and 2 mm of blank round it, below the address on a 縦書き card and
//! directly below the names on a 横書き one (ZM p13).

use super::across::{self, Cursor};
use super::pen::{barcode_size, squeeze, Line, BARCODE_QUIET, BARCODE_SMALLEST, MIN_SQUEEZE, PT};
use super::piece::Piece;
use super::tate::Column;
use super::{barcode_size_for, Laid, Mark, PrintOptions};

pub(crate) const WIDTH: f32 = 100.0;
pub(crate) const HEIGHT: f32 = 148.0;

/// The boxes' left edges (inside the frame line), their top and size.
const BOXES: [f32; 7] = [44.3, 51.3, 58.3, 65.9, 72.7, 79.5, 86.3];
const BOX_TOP: f32 = 12.0;
const BOX_SIZE: (f32, f32) = (5.7, 8.0);
/// No barcode within this of the card's edge (ZM p13).
const EDGE: f32 = 10.0;
/// The top of the sender's block on a 横書き card.
const SENDER_TOP: f32 = HEIGHT - 30.0;
/// The lowest point of the address and names on a 縦書き card: above the
/// barcode and its blank.
const TEXT_BOTTOM: f32 = HEIGHT - EDGE - 2.88 - BARCODE_QUIET - 9.0;

pub(crate) fn lay_down(piece: &Piece, options: &PrintOptions) -> Laid {
    let mut laid = Laid::default();
    postal_code(&mut laid, piece, options.frames);
    let size = 15.0;
    let em = size / PT;
    let (x1, top) = (WIDTH - 14.0, 28.0);
    let address1 = Column::new(&piece.address1, size, options.digits);
    laid.column("住所1", address1, (x1, top), TEXT_BOTTOM - top);
    // The names keep 1.5 mm clear of the leftmost column on their right.
    let mut right = x1 - em / 2.0 - 1.5;
    if !piece.address2.is_empty() {
        right -= 1.35 * em;
        let top2 = top + 3.0 * em;
        let address2 = Column::new(&piece.address2, size, options.digits);
        laid.column(
            "住所2",
            address2,
            (x1 - 1.35 * em, top2),
            TEXT_BOTTOM - top2,
        );
    }
    let company = piece.company_line();
    if !company.is_empty() {
        right = x1 - 2.9 * em - 12.0 / PT / 2.0 - 1.5;
        let column = Column::new(&company, 12.0, options.digits);
        laid.column(
            "会社名",
            column,
            (x1 - 2.9 * em, top + 4.0),
            TEXT_BOTTOM - top - 4.0,
        );
    }
    names_down(&mut laid, piece, options, right);
    sender_down(&mut laid, options);
    let a = BARCODE_SMALLEST;
    let (length, height) = barcode_size(a);
    laid.barcode(
        piece,
        (WIDTH - EDGE - length, HEIGHT - EDGE - height),
        Some(a),
    );
    laid
}

/// The names' block lies right of the sender's block (which ends 24 mm
/// from the left) and left of `right`.
const NAMES_LEFT: f32 = 26.0;
/// The names' size, and the smallest they shrink to (more 連名 than fit at
/// that are listed as not fitting).
const NAME_SIZE: f32 = 26.0;
const NAME_SIZE_MIN: f32 = 12.0;

/// The addressee and 連名 as columns 1.2 em apart, centred between the
/// sender's block and `right`, smaller when many; given names level with
/// the addressee's, one squeeze for all, and 様 level on every column.
fn names_down(laid: &mut Laid, piece: &Piece, options: &PrintOptions, right: f32) {
    let width_ems = piece.joint_names.len() as f32 * 1.2 + 1.0;
    let fit_size = (right - NAMES_LEFT) / width_ems * PT;
    if fit_size < NAME_SIZE_MIN {
        laid.note("連名", fit_size / NAME_SIZE_MIN * MIN_SQUEEZE);
    }
    let size = fit_size.clamp(NAME_SIZE_MIN, NAME_SIZE);
    let em = size / PT;
    let x = (NAMES_LEFT + right + width_ems * em) / 2.0 - em / 2.0;
    let top = 34.0;
    let given_at = Line::new(&piece.family_part(), size, true).length();
    let column = |text: &str| Column::new(text, size, options.digits);
    let mut names = vec![(0.0, column(&piece.addressee()))];
    for joint in &piece.joint_names {
        let start = if Piece::joint_is_given_name(joint) {
            given_at
        } else {
            0.0
        };
        names.push((start, column(joint)));
    }
    let longest = names
        .iter()
        .map(|(start, c)| start + c.length())
        .fold(0.0, f32::max);
    let squeeze = squeeze(longest, TEXT_BOTTOM - top - 1.5 * em);
    laid.note("氏名", squeeze);
    let s = squeeze.max(MIN_SQUEEZE);
    let honorific_y = top + longest * s + 0.5 * em;
    for (i, (start, names_column)) in names.into_iter().enumerate() {
        let cx = x - i as f32 * 1.2 * em;
        laid.marks.push(Mark::Column {
            column: names_column,
            x: cx,
            y: top + start * s,
            squeeze: s,
        });
        laid.marks.push(Mark::Column {
            column: column(&piece.honorific),
            x: cx,
            y: honorific_y,
            squeeze: 1.0,
        });
    }
}

/// The office's block at the bottom left: its address, name and phone
/// down, its postal code across below them.
fn sender_down(laid: &mut Laid, options: &PrintOptions) {
    let sender = &options.sender;
    let (top, bottom) = (78.0, TEXT_BOTTOM + 6.0);
    let columns = [
        (22.0, 9.0, &sender.address),
        (15.5, 12.0, &sender.name),
        (9.5, 8.0, &sender.phone),
    ];
    for (x, size, text) in columns {
        if !text.is_empty() {
            laid.column(
                "差出人",
                Column::new(text, size, options.digits),
                (x, top),
                bottom - top,
            );
        }
    }
    if !sender.postal_code.is_empty() {
        let line = Line::new(&format!("〒{}", sender.postal_code), 10.0, false);
        laid.line("差出人", line, (6.0, HEIGHT - 7.0), 18.0);
    }
}

pub(crate) fn lay_across(piece: &Piece, options: &PrintOptions) -> Laid {
    let mut laid = Laid::default();
    postal_code(&mut laid, piece, options.frames);
    let x = 14.0;
    let mut at = Cursor { y: 29.2 };
    across::address(&mut laid, piece, &mut at, x, WIDTH - x - EDGE, (13.0, 11.0));
    let names_top = at.y;
    across::names(
        &mut laid,
        piece,
        &mut at,
        x + 6.0,
        WIDTH - EDGE,
        (22.0, 8.0, 2.0),
    );
    // The sender's block starts below this.
    let bottom = SENDER_TOP - BARCODE_QUIET;
    laid.overflow("連名", names_top, at.y, bottom);
    let a = barcode_size_for(WIDTH - 2.0 * EDGE + 2.0 * BARCODE_QUIET)
        .filter(|a| at.y + BARCODE_QUIET + 1.0 + barcode_size(*a).1 <= bottom);
    let length = a.map_or(0.0, |a| barcode_size(a).0);
    laid.barcode(
        piece,
        ((WIDTH - length) / 2.0, at.y + BARCODE_QUIET + 1.0),
        a,
    );
    sender_across(&mut laid, options);
    laid
}

/// The office's block at the bottom left, across.
fn sender_across(laid: &mut Laid, options: &PrintOptions) {
    let sender = &options.sender;
    let lines = [
        (
            8.0,
            format!("〒{}", sender.postal_code),
            !sender.postal_code.is_empty(),
        ),
        (8.0, sender.address.clone(), !sender.address.is_empty()),
        (10.0, sender.name.clone(), !sender.name.is_empty()),
        (8.0, sender.phone.clone(), !sender.phone.is_empty()),
    ];
    let mut y = SENDER_TOP;
    for (size, text, shown) in lines {
        if shown {
            y += size / PT * 1.3;
            laid.line("差出人", Line::new(&text, size, false), (EDGE, y), 55.0);
        }
    }
}

/// The recipient's postal code, a digit centred in each box; the boxes
/// themselves only on the test page (the card has them printed).
fn postal_code(laid: &mut Laid, piece: &Piece, frames: bool) {
    let size = 14.0;
    let em = size / PT;
    let digits: Vec<char> = piece.postal_digits().chars().collect();
    let (w, h) = BOX_SIZE;
    for (i, left) in BOXES.iter().enumerate() {
        if frames {
            // 0.5 mm lines for the first three, 0.3 mm for the rest (ZM p05).
            let width = if i < 3 { 0.5 } else { 0.3 };
            laid.marks.push(Mark::Frame {
                x: left - width,
                y: BOX_TOP - width,
                w: w + 2.0 * width,
                h: h + 2.0 * width,
                width,
            });
        }
        if let Some(digit) = digits.get(i).filter(|_| digits.len() == 7) {
            let line = Line::new(&digit.to_string(), size, false);
            let x = left + (w - line.length()) / 2.0;
            let baseline = BOX_TOP + (h - em) / 2.0 + 0.88 * em;
            laid.marks.push(Mark::Line {
                line,
                x,
                y: baseline,
                squeeze: 1.0,
            });
        }
    }
}
