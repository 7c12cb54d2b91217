//! Setting across (横書き), shared by the label and the 横書き postcard: a
//! cursor moving down line by line, the address block, and the names with
//! 連名 under the given name and every 様 level.

use super::pen::{Line, PT};
use super::piece::Piece;
use super::{Laid, Mark};

/// Where the next line goes: its baseline sits an ascent below the last
/// line's descent plus the space asked for.
pub(crate) struct Cursor {
    pub(crate) y: f32,
}

impl Cursor {
    /// The baseline of a line of `size` pt after `before` mm of space.
    pub(crate) fn next(&mut self, size: f32, before: f32) -> f32 {
        self.y += before + size / PT * 0.88;
        let baseline = self.y;
        self.y += size / PT * 0.12;
        baseline
    }
}

/// The address in two lines (the building indented by one character) and
/// the company line, from `x` within `room` mm.
pub(crate) fn address(
    laid: &mut Laid,
    piece: &Piece,
    at: &mut Cursor,
    x: f32,
    room: f32,
    (size, company_size): (f32, f32),
) {
    laid.line(
        "住所1",
        Line::new(&piece.address1, size, false),
        (x, at.next(size, 0.8)),
        room,
    );
    if !piece.address2.is_empty() {
        let indent = size / PT;
        let line = Line::new(&piece.address2, size, false);
        laid.line(
            "住所2",
            line,
            (x + indent, at.next(size, 0.3)),
            room - indent,
        );
    }
    let company = piece.company_line();
    if !company.is_empty() {
        let line = Line::new(&company, company_size, false);
        laid.line("会社名", line, (x, at.next(company_size, 0.8)), room);
    }
}

/// The addressee from `x` with its honorific, each 連名 on the next line
/// (a given name under the addressee's given name) with the honorific
/// level with the first; all ending by `right`.
pub(crate) fn names(
    laid: &mut Laid,
    piece: &Piece,
    at: &mut Cursor,
    x: f32,
    right: f32,
    (size, before, between): (f32, f32, f32),
) {
    let honorific = || Line::new(&format!("　{}", piece.honorific), size, false);
    let name_room = right - x - honorific().length();
    let given_at = Line::new(&piece.family_part(), size, false).length();
    let name = Line::new(&piece.addressee(), size, false);
    let names_end = x + name.length().min(name_room);
    let baseline = at.next(size, before);
    laid.line("氏名", name, (x, baseline), name_room);
    laid.marks.push(Mark::Line {
        line: honorific(),
        x: names_end,
        y: baseline,
        squeeze: 1.0,
    });
    for joint in &piece.joint_names {
        let start = if Piece::joint_is_given_name(joint) {
            given_at
        } else {
            0.0
        };
        let baseline = at.next(size, between);
        let line = Line::new(joint, size, false);
        laid.line("連名", line, (x + start, baseline), names_end - x - start);
        laid.marks.push(Mark::Line {
            line: honorific(),
            x: names_end,
            y: baseline,
            squeeze: 1.0,
        });
    }
}
