//! Drawing on a page in millimetres from its top left corner, moved by the
//! printer's offset: text across or down, squeezed along its line (長体 /
//! 平体) when it is longer than its room, frames and the barcode's bars.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

use super::face::{face, Run};
use super::tate::{Column, Part};
use crate::customer_code::Bar;

/// Points per millimetre.
pub(crate) const PT: f32 = 72.0 / 25.4;

/// A line squeezed below this share of its natural length no longer reads
/// well: it is listed as not fitting (and printed at this share).
pub const MIN_SQUEEZE: f32 = 0.6;

/// Where a line's baseline sits below the top of its em box (the face's
/// ascent, 880 of 1000).
pub(crate) const BASELINE: f32 = 0.88;

/// The barcode's standard size (ZM p12: a = 10, bars at their 基準寸法) and
/// the smallest allowed (a = 8).
pub(crate) const BARCODE_STANDARD: f32 = 10.0;
pub(crate) const BARCODE_SMALLEST: f32 = 8.0;
/// Blank space the barcode needs on every side (ZM p13: 2mm以上).
pub(crate) const BARCODE_QUIET: f32 = 2.0;

/// The barcode's length and height in mm at size `a` (ZM p12): 67 bars at
/// a pitch of 1.2 × a/10, each 0.6 × a/10 wide; the long bar 3.6 × a/10.
pub(crate) fn barcode_size(a: f32) -> (f32, f32) {
    let k = a / 10.0;
    (66.0 * 1.2 * k + 0.6 * k, 3.6 * k)
}

/// How much `length` mm must be squeezed to take at most `room` mm (1 = not).
pub(crate) fn squeeze(length: f32, room: f32) -> f32 {
    if length <= room || length == 0.0 {
        1.0
    } else {
        room / length
    }
}

/// Text in one line: what it says shaped, and at what size.
pub(crate) struct Line {
    pub(crate) run: Run,
    pub(crate) size: f32,
    pub(crate) vertical: bool,
}

impl Line {
    pub(crate) fn new(text: &str, size: f32, vertical: bool) -> Self {
        Self {
            run: face().shape(text, vertical),
            size,
            vertical,
        }
    }

    /// Its natural length along the line, in mm.
    pub(crate) fn length(&self) -> f32 {
        self.run.length * self.size / PT
    }

    pub(crate) fn squeeze_for(&self, room: f32) -> f32 {
        squeeze(self.length(), room)
    }
}

pub(crate) struct Pen<'s, 'p> {
    surface: &'s mut Surface<'p>,
    offset: (f32, f32),
}

impl<'s, 'p> Pen<'s, 'p> {
    pub(crate) fn new(surface: &'s mut Surface<'p>, offset: (f32, f32)) -> Self {
        Self { surface, offset }
    }

    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        ((x + self.offset.0) * PT, (y + self.offset.1) * PT)
    }

    /// `line` with its start at (x, y): across, y is the baseline; down, x
    /// is the column's centre and y its top. Squeezed along the line to
    /// `squeeze` of its length (never below `MIN_SQUEEZE`).
    pub(crate) fn line(&mut self, line: &Line, x: f32, y: f32, squeeze: f32) {
        let s = squeeze.clamp(MIN_SQUEEZE, 1.0);
        let (px, py) = self.at(x, y);
        let squeezing = if line.vertical {
            Transform::from_row(1.0, 0.0, 0.0, s, 0.0, py - s * py)
        } else {
            Transform::from_row(s, 0.0, 0.0, 1.0, px - s * px, 0.0)
        };
        self.surface.push_transform(&squeezing);
        self.surface.set_fill(Some(black()));
        self.surface.draw_glyphs(
            Point::from_xy(px, py),
            &line.run.glyphs,
            face().pdf.clone(),
            &line.run.text,
            line.size,
            false,
        );
        self.surface.pop();
    }

    /// `column` down from (x = its centre, y = its top), squeezed down the
    /// column to `squeeze`; a cell set across is centred and narrowed to
    /// one em when wider.
    pub(crate) fn column(&mut self, column: &Column, x: f32, y: f32, squeeze: f32) {
        let s = squeeze.clamp(MIN_SQUEEZE, 1.0);
        let (_, py) = self.at(x, y);
        self.surface
            .push_transform(&Transform::from_row(1.0, 0.0, 0.0, s, 0.0, py - s * py));
        let em = column.size / PT;
        let mut top = y;
        for part in &column.parts {
            match part {
                Part::Down(line) => {
                    self.line(line, x, top, 1.0);
                    top += line.length();
                }
                Part::Across(line) => {
                    let narrow = line.squeeze_for(em);
                    let width = line.length() * narrow;
                    // The digits' baseline sits where a full-width glyph's does.
                    self.line(line, x - width / 2.0, top + em * BASELINE, narrow);
                    top += em;
                }
            }
        }
        self.surface.pop();
    }

    pub(crate) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let (px, py) = self.at(x, y);
        let Some(rect) = Rect::from_xywh(px, py, w * PT, h * PT) else {
            return;
        };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(black()));
            self.surface.draw_path(&path);
        }
    }

    /// A frame line of `width` mm drawn inside the rectangle (as Japan
    /// Post measures its boxes: from the inside of the line), in red for
    /// guides that are not to be printed on the real piece.
    pub(crate) fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        let half = width / 2.0;
        let (px, py) = self.at(x + half, y + half);
        let Some(rect) = Rect::from_xywh(px, py, (w - width) * PT, (h - width) * PT) else {
            return;
        };
        let mut path = PathBuilder::new();
        path.push_rect(rect);
        if let Some(path) = path.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: rgb::Color::new(220, 40, 40).into(),
                width: width * PT,
                ..Default::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// The customer barcode with its top left corner at (x, y), at size
    /// `a` (ZM p12): each bar 0.6·a/10 wide at a pitch of 1.2·a/10; the
    /// long bar spans the three thirds, the semi-long bars two, the timing
    /// bar the middle one.
    pub(crate) fn barcode(&mut self, x: f32, y: f32, a: f32, bars: &[Bar]) {
        let k = a / 10.0;
        let third = 1.2 * k;
        for (i, bar) in bars.iter().enumerate() {
            let (from, thirds) = match bar {
                Bar::Long => (0.0, 3.0),
                Bar::Ascender => (0.0, 2.0),
                Bar::Descender => (third, 2.0),
                Bar::Timing => (third, 1.0),
            };
            self.fill_rect(x + i as f32 * 1.2 * k, y + from, 0.6 * k, third * thirds);
        }
    }
}

fn black() -> Fill {
    Fill {
        paint: rgb::Color::new(0, 0, 0).into(),
        ..Default::default()
    }
}
