//! The one typeface every printed piece is set in, bundled so that what
//! prints is what the preview showed on any PC: BIZ UD明朝 (Morisawa, SIL
//! Open Font License 1.1, `assets/fonts/OFL.txt`). It is TrueType with
//! vertical metrics and the `vert` alternates, so ー 「」（） turn for
//! 縦書き; each PDF carries only the glyphs it uses (krilla subsets it).
//! Shaping is harfrust's (HarfBuzz's rules, vertical included).

use std::sync::OnceLock;

use harfrust::{Buffer, Direction, ShapeOptions, ShaperFont};
use krilla::text::{GlyphId, KrillaGlyph};

static DATA: &[u8] = include_bytes!("../../../../assets/fonts/BIZUDMincho-Regular.ttf");

/// The face as both crates hold it, read once per process.
pub(crate) struct Face {
    shaping: harfrust::Font,
    pub(crate) pdf: krilla::text::Font,
    units_per_em: f32,
}

pub(crate) fn face() -> &'static Face {
    static FACE: OnceLock<Face> = OnceLock::new();
    FACE.get_or_init(|| {
        let pdf = krilla::text::Font::new(DATA.into(), 0).expect("the bundled font reads");
        Face {
            shaping: harfrust::Font::new(DATA, 0).expect("the bundled font reads"),
            units_per_em: pdf.units_per_em(),
            pdf,
        }
    })
}

/// A shaped line: its glyphs (in ems) and its length along the line in ems.
pub(crate) struct Run {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) length: f32,
}

impl Face {
    /// `text` shaped across (left to right) or down (縦書き, with the
    /// font's vertical alternates and metrics).
    pub(crate) fn shape(&self, text: &str, vertical: bool) -> Run {
        let font = ShaperFont::new(&self.shaping);
        let mut buffer = Buffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(if vertical {
            Direction::TopToBottom
        } else {
            Direction::LeftToRight
        });
        // Only an unset direction fails, and it is set above.
        let _ = harfrust::shape(&font, &mut buffer, ShapeOptions::new());
        let em = self.units_per_em;
        let mut length = 0.0;
        let infos = buffer.glyph_infos();
        let glyphs = infos
            .iter()
            .zip(buffer.glyph_positions())
            .enumerate()
            .map(|(i, (info, pos))| {
                length += if vertical {
                    -pos.y_advance as f32
                } else {
                    pos.x_advance as f32
                } / em;
                let start = info.cluster as usize;
                let end = infos
                    .get(i + 1)
                    .map_or(text.len(), |next| next.cluster as usize)
                    .max(start + text[start..].chars().next().map_or(0, char::len_utf8));
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / em,
                    pos.x_offset as f32 / em,
                    pos.y_offset as f32 / em,
                    pos.y_advance as f32 / em,
                    start..end.min(text.len()),
                    None,
                )
            })
            .collect();
        Run {
            text: text.to_string(),
            glyphs,
            length,
        }
    }

    /// The characters of `text` the face has no glyph for (each once):
    /// they would print as an empty box.
    pub(crate) fn missing(&self, text: &str) -> Vec<char> {
        let font = ShaperFont::new(&self.shaping);
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            let drawn = !c.is_whitespace() && !c.is_control() && !selects_a_form(c);
            if drawn && font.nominal_glyph(u32::from(c)).is_none() && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

/// Variation selectors and zero-width joiners pick a form of the character
/// before them (葛󠄀) and have no glyph of their own.
fn selects_a_form(c: char) -> bool {
    matches!(u32::from(c), 0xFE00..=0xFE0F | 0xE0100..=0xE01EF | 0x200B..=0x200D | 0x2060 | 0xFEFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_office_writes_are_in_the_face_and_a_stray_radical_is_not() {
        let face = face();
        assert!(face.missing("髙橋 﨑 𠮟 濵田 東京都世田谷区").is_empty());
        assert_eq!(face.missing("⻎辺 ⻎辺"), vec!['⻎']);
        assert!(
            face.missing("葛\u{E0100}飾区").is_empty(),
            "a variant's selector"
        );
    }

    #[test]
    fn vertical_setting_turns_the_long_vowel_mark() {
        let face = face();
        let across = face.shape("ー", false);
        let down = face.shape("ー", true);
        assert_ne!(across.glyphs[0].glyph_id, down.glyphs[0].glyph_id);
        assert!(
            (down.length - 1.0).abs() < 0.01,
            "one em down: {}",
            down.length
        );
    }
}
