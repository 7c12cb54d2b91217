//! The print's first page as a picture for the DM screen, rendered from
//! the very PDF bytes that would be written (hayro, a PDF rasterizer in
//! Rust), so the preview cannot differ from the file.

use base64::Engine;
use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{render, PixmapSettings, RenderCache, RenderSettings};

/// How many device pixels a PDF point becomes: sharp on a HiDPI screen.
const SCALE: f32 = 2.0;

/// The first page of `pdf` as a PNG, or why it could not be drawn.
pub fn first_page_png(pdf: Vec<u8>) -> Result<Vec<u8>, String> {
    let pdf = Pdf::new(pdf).map_err(|e| format!("{e:?}"))?;
    let page = pdf.pages().first().ok_or("ページがありません")?;
    let pixmap = render(
        page,
        &RenderCache::new(),
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: SCALE,
            y_scale: SCALE,
            bg_color: WHITE,
        },
    );
    pixmap.into_png().map_err(|e| e.to_string())
}

/// `first_page_png` as a data URL an <img> shows.
pub fn first_page_data_url(pdf: Vec<u8>) -> Result<String, String> {
    let png = first_page_png(pdf)?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}
