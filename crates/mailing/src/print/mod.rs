//! Printing a DM list in the office: address labels on A4 sheets and
//! postcards (官製はがき, 縦書き or 横書き) as one PDF, each piece with Japan
//! Post's customer barcode where its address number can be made.
//!
//! A layout only places marks (lines, columns, bars) and says what did not
//! fit; the same placing serves the checks before printing and the drawing,
//! so what is listed is exactly what would print. The PDF is written by
//! krilla (fonts subset, no PDF syntax here) and the preview is its first
//! page rendered by hayro.

mod across;
mod face;
mod label;
mod pen;
mod piece;
mod postcard;
pub mod preview;
pub mod sheets;
mod tate;

use std::path::Path;

use krilla::page::PageSettings;
use krilla::Document;
use serde::{Deserialize, Serialize};

use pen::MIN_SQUEEZE;
pub use piece::{columns, Piece};
pub use sheets::Sheet;
pub use tate::Digits;

use crate::checks::Problem;
use crate::customer_code::Bar;
use pen::{Line, Pen, PT};
use tate::Column;

/// What the office chose for a print, beside the list itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct PrintOptions {
    /// The label sheet's name (`sheets::builtin`), or `custom`.
    pub sheet: String,
    /// The office's own sheet, used when `sheet` is `custom`.
    pub custom: Sheet,
    /// The first label to use on the first sheet (1 = top left), so that a
    /// half-used sheet goes through the printer again.
    pub start_at: u32,
    /// Postcards set across instead of down (横書き).
    pub horizontal: bool,
    pub digits: Digits,
    /// The sender's block on postcards (the office).
    pub sender: Sender,
    /// The printer these offsets are for, and how far it puts everything
    /// off (mm, + is right and down): the page is drawn the other way.
    pub printer: String,
    pub offset_x: f64,
    pub offset_y: f64,
    /// Draws the labels' edges and the postcard's boxes: the test page.
    pub frames: bool,
}

impl Default for PrintOptions {
    fn default() -> Self {
        Self {
            sheet: sheets::builtin()[0].name.clone(),
            custom: sheets::custom_default(),
            start_at: 1,
            horizontal: false,
            digits: Digits::default(),
            sender: Sender::default(),
            printer: String::new(),
            offset_x: 0.0,
            offset_y: 0.0,
            frames: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct Sender {
    pub name: String,
    pub postal_code: String,
    pub address: String,
    pub phone: String,
}

/// Which kind of piece: a label on a sheet, or a postcard a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Labels,
    Postcard,
}

/// Something about a piece the office should know before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misfit {
    /// `part` is squeezed below `MIN_SQUEEZE` (printed there, overflowing).
    DoesNotFit { part: &'static str, percent: u32 },
    /// No customer barcode on this piece, and why.
    NoBarcode { reason: &'static str },
}

/// One thing placed on the page.
pub(crate) enum Mark {
    Line {
        line: Line,
        x: f32,
        y: f32,
        squeeze: f32,
    },
    Column {
        column: Column,
        x: f32,
        y: f32,
        squeeze: f32,
    },
    Barcode {
        x: f32,
        y: f32,
        a: f32,
        bars: Vec<Bar>,
    },
    Frame {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
    },
}

/// A piece placed: its marks and what did not fit.
#[derive(Default)]
pub(crate) struct Laid {
    pub(crate) marks: Vec<Mark>,
    pub(crate) misfits: Vec<Misfit>,
}

impl Laid {
    /// A line across whose start is at (x, baseline y), squeezed into
    /// `room` mm; told as `part` when it cannot be.
    pub(crate) fn line(&mut self, part: &'static str, line: Line, (x, y): (f32, f32), room: f32) {
        let squeeze = line.squeeze_for(room);
        self.note(part, squeeze);
        self.marks.push(Mark::Line {
            line,
            x,
            y,
            squeeze,
        });
    }

    /// A column down from (centre x, top y), squeezed into `room` mm.
    pub(crate) fn column(
        &mut self,
        part: &'static str,
        column: Column,
        (x, y): (f32, f32),
        room: f32,
    ) {
        let squeeze = column.squeeze_for(room);
        self.note(part, squeeze);
        self.marks.push(Mark::Column {
            column,
            x,
            y,
            squeeze,
        });
    }

    /// Lines set from `top` that reached `reached` in a space ending at
    /// `bottom`: told as `part` not fitting when they went past it.
    pub(crate) fn overflow(&mut self, part: &'static str, top: f32, reached: f32, bottom: f32) {
        if reached > bottom {
            self.note(
                part,
                pen::squeeze(reached - top, (bottom - top).max(0.0)).min(MIN_SQUEEZE - 0.01),
            );
        }
    }

    pub(crate) fn note(&mut self, part: &'static str, squeeze: f32) {
        if squeeze < MIN_SQUEEZE {
            self.misfits.push(Misfit::DoesNotFit {
                part,
                percent: (squeeze * 100.0).floor() as u32,
            });
        }
    }

    /// The piece's barcode with its top left at (x, y) at size `a`, or why
    /// it has none.
    pub(crate) fn barcode(&mut self, piece: &Piece, (x, y): (f32, f32), a: Option<f32>) {
        let Some(a) = a else {
            self.misfits.push(Misfit::NoBarcode {
                reason: "宛名の場所が狭く、バーコードの余白が取れません",
            });
            return;
        };
        match barcode_of(piece) {
            Ok(bars) => self.marks.push(Mark::Barcode { x, y, a, bars }),
            Err(reason) => self.misfits.push(Misfit::NoBarcode { reason }),
        }
    }

    fn draw(&self, pen: &mut Pen) {
        for mark in &self.marks {
            match mark {
                Mark::Line {
                    line,
                    x,
                    y,
                    squeeze,
                } => pen.line(line, *x, *y, *squeeze),
                Mark::Column {
                    column,
                    x,
                    y,
                    squeeze,
                } => pen.column(column, *x, *y, *squeeze),
                Mark::Barcode { x, y, a, bars } => pen.barcode(*x, *y, *a, bars),
                Mark::Frame { x, y, w, h, width } => pen.frame(*x, *y, *w, *h, *width),
            }
        }
    }
}

/// The piece's bars, or why it has none (ZM p17: a postal code of seven
/// digits and an address number are both needed).
fn barcode_of(piece: &Piece) -> Result<Vec<Bar>, &'static str> {
    let digits = piece
        .postal_code
        .chars()
        .filter(char::is_ascii_digit)
        .count();
    if digits != 7 {
        return Err("郵便番号が7桁ではありません");
    }
    crate::customer_code::characters(&piece.postal_code, &piece.address_number)
        .map(|chars| crate::customer_code::bars(&chars))
        .ok_or("住所に番地がなく、住所表示番号が作れません")
}

/// The largest barcode size (ZM p12: a from 8 to 11.5, 10 standard) whose
/// symbol and quiet zones fit in `width` mm; `None` below the smallest.
pub(crate) fn barcode_size_for(width: f32) -> Option<f32> {
    let room = width - 2.0 * pen::BARCODE_QUIET;
    let standard = pen::barcode_size(pen::BARCODE_STANDARD).0;
    let a = (pen::BARCODE_STANDARD * room / standard).min(pen::BARCODE_STANDARD);
    (a >= pen::BARCODE_SMALLEST).then_some(a)
}

/// A piece placed as `kind` says, at position `slot` of its page.
pub(crate) fn lay(
    kind: Kind,
    piece: &Piece,
    options: &PrintOptions,
    sheet: &Sheet,
    slot: u32,
) -> Laid {
    match kind {
        Kind::Labels => label::lay(piece, sheet, slot),
        Kind::Postcard if options.horizontal => postcard::lay_across(piece, options),
        Kind::Postcard => postcard::lay_down(piece, options),
    }
}

/// What the office should know about a piece before printing it.
pub fn misfits(kind: Kind, piece: &Piece, options: &PrintOptions) -> Vec<Misfit> {
    let sheet = sheet_of(options);
    lay(kind, piece, options, &sheet, 0).misfits
}

/// What the office should know about a piece before it prints, as the
/// export lists it: (column, value, problem).
pub fn problems(
    kind: Kind,
    options: &PrintOptions,
    piece: &Piece,
) -> Vec<(&'static str, String, Problem)> {
    let mut out = Vec::new();
    let mut addressing = |column: &'static str, value: &str, reason: &str| {
        out.push((
            column,
            value.to_string(),
            Problem::Addressing {
                reason: reason.into(),
            },
        ));
    };
    if piece.postal_code.is_empty() {
        addressing("郵便番号", "", "郵便番号がありません");
    }
    if piece.address1.is_empty() {
        addressing("住所1", "", "住所がありません");
    }
    if piece.name.is_empty() {
        addressing(
            "会社名",
            &piece.company,
            "宛名が会社名だけです（御中で印刷します）",
        );
    }
    let texts = [
        ("住所1", &piece.address1),
        ("住所2", &piece.address2),
        ("会社名", &piece.company_line()),
        ("氏名", &piece.addressee()),
        ("連名", &piece.joint_names.join("　")),
    ];
    for (column, text) in texts {
        for c in face::face().missing(text) {
            out.push((
                column,
                text.to_string(),
                Problem::NotInFont {
                    character: c.to_string(),
                },
            ));
        }
    }
    for misfit in misfits(kind, piece, options) {
        out.push(match misfit {
            Misfit::DoesNotFit { part, percent } => {
                (part, String::new(), Problem::DoesNotFit { percent })
            }
            Misfit::NoBarcode { reason } => (
                "住所表示番号",
                piece.address_number.clone(),
                Problem::NoBarcode {
                    reason: reason.into(),
                },
            ),
        });
    }
    out
}

/// The sheet the options name (the first built-in one if the name is gone).
pub fn sheet_of(options: &PrintOptions) -> Sheet {
    sheets::find(&options.sheet, &options.custom).unwrap_or_else(|| sheets::builtin().remove(0))
}

/// Why these options cannot print, in the office's words.
pub fn refusal(kind: Kind, options: &PrintOptions) -> Option<String> {
    let sheet = sheet_of(options);
    if kind == Kind::Labels {
        if let Some(problem) = sheet.problems().into_iter().next() {
            return Some(problem);
        }
        if options.start_at == 0 || options.start_at > sheet.labels_per_sheet() {
            return Some(format!(
                "開始位置は 1 から {} までで選んでください。",
                sheet.labels_per_sheet()
            ));
        }
    }
    let off = |v: f64| !v.is_finite() || v.abs() > 20.0;
    (off(options.offset_x) || off(options.offset_y))
        .then(|| "プリンターの位置調整は ±20mm までです。".to_string())
}

/// The whole print as PDF bytes: the pieces in order, labels filling each
/// sheet from `start_at` on the first, one postcard a page.
pub fn render(
    kind: Kind,
    options: &PrintOptions,
    pieces: impl Iterator<Item = Piece>,
) -> Result<Vec<u8>, String> {
    let sheet = sheet_of(options);
    let (page_w, page_h, per_page, first) = match kind {
        Kind::Labels => (
            sheet.page_width as f32,
            sheet.page_height as f32,
            sheet.labels_per_sheet(),
            options.start_at.saturating_sub(1),
        ),
        Kind::Postcard => (postcard::WIDTH, postcard::HEIGHT, 1, 0),
    };
    let offset = (-options.offset_x as f32, -options.offset_y as f32);
    let settings =
        PageSettings::from_wh(page_w * PT, page_h * PT).ok_or("用紙の大きさが正しくありません")?;
    let mut document = Document::new();
    let mut pieces = pieces.peekable();
    let mut slot = first;
    while pieces.peek().is_some() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        let mut pen = Pen::new(&mut surface, offset);
        while slot < per_page {
            let Some(piece) = pieces.next() else { break };
            lay(kind, &piece, options, &sheet, slot).draw(&mut pen);
            slot += 1;
        }
        if options.frames && kind == Kind::Labels {
            label::frames(&sheet, &mut pen);
        }
        slot = 0;
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("PDF を作れませんでした（{e:?}）"))
}

/// Writes the print to `path` (the staged file of the export).
pub fn write_pdf(
    path: &Path,
    kind: Kind,
    options: &PrintOptions,
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), String> {
    let bytes = render(kind, options, rows.map(|cells| Piece::of(&cells)))?;
    std::fs::write(path, bytes).map_err(crate::write::io_detail)
}

/// This PC's printers: how far each prints off, and the last one used.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Printers {
    last: String,
    offsets: std::collections::BTreeMap<String, (f64, f64)>,
}

/// The office's saved print choices with this PC's last printer and its
/// offsets; the defaults where nothing is saved. The start position and
/// the test page are per print and start afresh.
pub fn saved(ledger: &daicho_ledger::Ledger) -> Result<PrintOptions, daicho_ledger::LedgerError> {
    let (office, printers) = ledger.print_settings()?;
    let mut options: PrintOptions = office
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let printers: Printers = printers
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let (x, y) = printers
        .offsets
        .get(&printers.last)
        .copied()
        .unwrap_or_default();
    options.printer = printers.last;
    (options.offset_x, options.offset_y) = (x, y);
    (options.start_at, options.frames) = (1, false);
    Ok(options)
}

/// Keeps the office's choices for every PC and the printer's offsets for
/// this one.
pub fn save(
    ledger: &mut daicho_ledger::Ledger,
    options: &PrintOptions,
) -> Result<(), daicho_ledger::LedgerError> {
    if let Some(problem) = refusal(Kind::Labels, options) {
        return Err(daicho_ledger::LedgerError::Invalid(vec![
            daicho_ledger::FieldError::new("print", &problem),
        ]));
    }
    let (_, saved_printers) = ledger.print_settings()?;
    let mut printers: Printers = saved_printers
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    printers.offsets.insert(
        options.printer.clone(),
        (options.offset_x, options.offset_y),
    );
    printers.last.clone_from(&options.printer);
    let office = PrintOptions {
        printer: String::new(),
        offset_x: 0.0,
        offset_y: 0.0,
        start_at: 1,
        frames: false,
        ..options.clone()
    };
    let office = serde_json::to_string(&office).expect("options serialize");
    let printers = serde_json::to_string(&printers).expect("printers serialize");
    ledger.save_print_settings(&office, &printers)
}
