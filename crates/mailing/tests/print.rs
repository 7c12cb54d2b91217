//! Printed DM (issue 21), read back from the page as a printer would put
//! it: each PDF is rendered by poppler's pdftoppm (not the renderer the
//! app previews with) and measured in pixels: the label frames where each
//! sheet's geometry says, the postal code inside its boxes, and the
//! customer barcode's bars decoded back to the manual's characters.

use std::path::Path;
use std::process::Command;

use daicho_ledger::contacts::local_today;
use daicho_ledger::segments::Group;
use daicho_ledger::{Actor, CustomerFields, Ledger};
use daicho_mailing::barcode::address_number;
use daicho_mailing::checks::{CheckOptions, Problem};
use daicho_mailing::customer_code::{self, Bar};
use daicho_mailing::export::{export, prepare, ExportError, ExportRequest};
use daicho_mailing::print::{render, sheets, Kind, Piece, PrintOptions, Sender};
use daicho_mailing::{default_columns, FileFormat, ListOptions};

/// A rendered page: width, height and RGB pixels.
struct Image {
    width: usize,
    height: usize,
    rgb: Vec<u8>,
    dpi: f64,
}

impl Image {
    fn px(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * 3;
        (self.rgb[i], self.rgb[i + 1], self.rgb[i + 2])
    }
    fn dark(&self, x: usize, y: usize) -> bool {
        let (r, g, b) = self.px(x, y);
        (u32::from(r) + u32::from(g) + u32::from(b)) < 200
    }
    fn red(&self, x: usize, y: usize) -> bool {
        let (r, g, b) = self.px(x, y);
        r > 150 && g < 110 && b < 110
    }
    fn mm(&self, px: usize) -> f64 {
        px as f64 * 25.4 / self.dpi
    }
    fn px_of(&self, mm: f64) -> usize {
        (mm * self.dpi / 25.4).round() as usize
    }
}

/// The first page of `pdf` rendered by pdftoppm at `dpi`.
fn rendered(pdf: &[u8], dpi: u32) -> Image {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("print.pdf");
    std::fs::write(&input, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-f", "1", "-l", "1", "-singlefile"])
        .arg(&input)
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils) renders the PDF");
    assert!(status.success());
    read_ppm(&dir.path().join("page.ppm"), f64::from(dpi))
}

fn read_ppm(path: &Path, dpi: f64) -> Image {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let (width, height) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    Image {
        width,
        height,
        rgb: bytes[at + 1..].to_vec(),
        dpi,
    }
}

fn piece(postal_code: &str, street: &str, building: &str, name: &str, joint: &[&str]) -> Piece {
    Piece {
        postal_code: postal_code.into(),
        address1: format!("東京都千代田区{street}"),
        address2: building.into(),
        name: name.into(),
        joint_names: joint.iter().map(|s| s.to_string()).collect(),
        honorific: "様".into(),
        address_number: address_number(&format!("{street} {building}")),
        ..Default::default()
    }
}

/// The manual's worked example (ZM p17): 100-0013 1-3-2-503, check digit 9.
fn manual_example() -> Piece {
    piece(
        "100-0013",
        "霞が関1丁目3番2号",
        "郵便プラザ503室",
        "郵便 太郎",
        &[],
    )
}

/// Runs of red pixels along a line: where each frame line lies (mm).
fn red_runs(image: &Image, along_x: bool, at: usize) -> Vec<f64> {
    let len = if along_x { image.width } else { image.height };
    let mut centres = Vec::new();
    let mut start = None;
    for i in 0..=len {
        let red = i < len
            && if along_x {
                image.red(i, at)
            } else {
                image.red(at, i)
            };
        match (red, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                centres.push(image.mm(s + i) / 2.0);
                start = None;
            }
            _ => {}
        }
    }
    centres
}

#[test]
fn every_sheets_label_frames_fall_where_its_geometry_says() {
    let options = |sheet: &sheets::Sheet| PrintOptions {
        sheet: sheet.name.clone(),
        frames: true,
        ..Default::default()
    };
    for sheet in sheets::builtin() {
        let pdf = render(
            Kind::Labels,
            &options(&sheet),
            std::iter::once(manual_example()),
        )
        .unwrap();
        let image = rendered(&pdf, 300);
        assert!(
            image.width.abs_diff(image.px_of(210.0)) <= 1,
            "{}",
            sheet.name
        );
        // A frame line of 0.2 mm is drawn inside each label's edge: its
        // centre lies 0.1 mm in. Across the middle of the first row, and
        // down the middle of the first column:
        let (_, y0) = sheet.label_origin(0);
        let row = image.px_of(y0 + sheet.label_height / 2.0);
        let (x0, _) = sheet.label_origin(0);
        let column = image.px_of(x0 + sheet.label_width / 2.0);
        let mut expected_x = Vec::new();
        for c in 0..sheet.columns {
            let left = sheet.left + f64::from(c) * sheet.pitch_x;
            expected_x.extend([left + 0.1, left + sheet.label_width - 0.1]);
        }
        let mut expected_y = Vec::new();
        for r in 0..sheet.rows {
            let top = sheet.top + f64::from(r) * sheet.pitch_y;
            expected_y.extend([top + 0.1, top + sheet.label_height - 0.1]);
        }
        for (found, expected, what) in [
            (red_runs(&image, true, row), expected_x, "across"),
            (red_runs(&image, false, column), expected_y, "down"),
        ] {
            // Touching labels share an edge: two lines read as one run.
            for e in &expected {
                let near = found.iter().map(|f| (f - e).abs()).fold(f64::MAX, f64::min);
                let touching = expected.iter().any(|o| o != e && (o - e).abs() < 0.5);
                let tolerance = if touching { 0.2 + 0.15 } else { 0.2 };
                assert!(
                    near <= tolerance,
                    "{} {what}: no frame within 0.2 mm of {e:.2} mm (found {found:.2?})",
                    sheet.name
                );
            }
        }
    }
}

#[test]
fn a_label_started_at_position_five_leaves_the_first_four_blank() {
    let sheet = sheets::builtin().remove(0);
    let options = PrintOptions {
        start_at: 5,
        ..Default::default()
    };
    let pdf = render(Kind::Labels, &options, std::iter::once(manual_example())).unwrap();
    let image = rendered(&pdf, 100);
    let inked = |slot: u32| {
        let (x, y) = sheet.label_origin(slot);
        let (x0, y0) = (image.px_of(x), image.px_of(y));
        let (w, h) = (
            image.px_of(sheet.label_width),
            image.px_of(sheet.label_height),
        );
        (x0 + 2..x0 + w - 2).any(|px| (y0 + 2..y0 + h - 2).any(|py| image.dark(px, py)))
    };
    assert_eq!(
        (0..6).map(inked).collect::<Vec<_>>(),
        [false, false, false, false, true, false]
    );
}

/// Reads the bars in the rectangle (mm) as a sorting machine would: each
/// dark column run is a bar, classified by where it starts and ends
/// against the symbol's whole height. Returns the bars, and the bar width
/// and pitch measured (mm).
fn read_bars(image: &Image, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> (Vec<Bar>, f64, f64) {
    let (px0, py0, px1, py1) = (
        image.px_of(x0),
        image.px_of(y0),
        image.px_of(x1),
        image.px_of(y1),
    );
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new(); // left, right, top, bottom
    let mut current: Option<(usize, usize, usize)> = None;
    for x in px0..=px1 {
        let inked: Vec<usize> = (py0..py1).filter(|y| image.dark(x, *y)).collect();
        match (inked.first(), current) {
            (Some(&top), None) => current = Some((x, top, *inked.last().unwrap())),
            (Some(&top), Some((left, t, b))) => {
                current = Some((left, t.min(top), b.max(*inked.last().unwrap())))
            }
            (None, Some((left, t, b))) => {
                spans.push((left, x - 1, t, b));
                current = None;
            }
            (None, None) => {}
        }
    }
    let top = spans.iter().map(|s| s.2).min().unwrap();
    let bottom = spans.iter().map(|s| s.3).max().unwrap();
    let third = (bottom - top) as f64 / 3.0;
    let bars = spans
        .iter()
        .map(|&(_, _, t, b)| {
            let reaches_top = (t as f64) < top as f64 + third / 2.0;
            let reaches_bottom = (b as f64) > bottom as f64 - third / 2.0;
            match (reaches_top, reaches_bottom) {
                (true, true) => Bar::Long,
                (true, false) => Bar::Ascender,
                (false, true) => Bar::Descender,
                (false, false) => Bar::Timing,
            }
        })
        .collect();
    let width = spans.iter().map(|s| image.mm(s.1 - s.0 + 1)).sum::<f64>() / spans.len() as f64;
    let pitch = image.mm(spans.last().unwrap().0 - spans[0].0) / (spans.len() - 1) as f64;
    (bars, width, pitch)
}

#[test]
fn the_postcards_barcode_reads_back_as_the_manuals_example() {
    let pdf = render(
        Kind::Postcard,
        &PrintOptions::default(),
        std::iter::once(manual_example()),
    )
    .unwrap();
    let image = rendered(&pdf, 1200);
    // The bottom band of the card: 10 mm from the edges (ZM p13).
    let (bars, width, pitch) = read_bars(&image, (10.0, 128.0, 90.0, 138.0));
    let chars = customer_code::decode(&bars).expect("the bars decode");
    assert_eq!(
        customer_code::spelled(&chars),
        "10000131-3-2-503[CC4][CC4][CC4][CC4]9"
    );
    // Size a = 8 (ZM p12 allows 8 to 11.5): bar 0.48 mm, pitch 0.96 mm.
    assert!((width - 0.48).abs() < 0.05, "bar width {width:.3} mm");
    assert!((pitch - 0.96).abs() < 0.01, "pitch {pitch:.3} mm");
}

#[test]
fn a_labels_barcode_reads_back_below_the_names() {
    let pdf = render(
        Kind::Labels,
        &PrintOptions::default(),
        std::iter::once(manual_example()),
    )
    .unwrap();
    let image = rendered(&pdf, 1200);
    let sheet = sheets::builtin().remove(0);
    let (x, y) = sheet.label_origin(0);
    // Below the names (which end about 20.5 mm down the 12面 label).
    let band = (
        x + 1.0,
        y + 21.6,
        x + sheet.label_width - 1.0,
        y + sheet.label_height - 0.5,
    );
    let (bars, _, pitch) = read_bars(&image, band);
    let chars = customer_code::decode(&bars).expect("the bars decode");
    assert_eq!(
        customer_code::spelled(&chars),
        "10000131-3-2-503[CC4][CC4][CC4][CC4]9"
    );
    assert!(
        (0.95..=1.2).contains(&pitch),
        "pitch {pitch:.3} mm within a = 8 to 10"
    );
}

#[test]
fn the_postal_code_stands_inside_the_cards_seven_boxes() {
    let pdf = render(
        Kind::Postcard,
        &PrintOptions::default(),
        std::iter::once(manual_example()),
    )
    .unwrap();
    let image = rendered(&pdf, 300);
    // ZM p05: the boxes' inner edges; 12 mm from the top, 8 mm from the right.
    let boxes = [44.3, 51.3, 58.3, 65.9, 72.7, 79.5, 86.3];
    for left in boxes {
        let (x0, x1) = (image.px_of(left), image.px_of(left + 5.7));
        let (y0, y1) = (image.px_of(12.0), image.px_of(20.0));
        let inked: Vec<(usize, usize)> = (x0..x1)
            .flat_map(|x| (y0..y1).map(move |y| (x, y)))
            .filter(|(x, y)| image.dark(*x, *y))
            .collect();
        assert!(!inked.is_empty(), "a digit in the box at {left} mm");
        // Nothing touches the box's edge (JustSystems: 数字が枠にふれない).
        let margin = image.px_of(0.4);
        assert!(inked.iter().all(|(x, y)| *x > x0 + margin
            && *x < x1 - margin
            && *y > y0 + margin
            && *y < y1 - margin));
    }
    // …and nothing between the boxes' row and the card's top edge.
    let above = (0..image.width).any(|x| (0..image.px_of(11.5)).any(|y| image.dark(x, y)));
    assert!(!above);
}

#[test]
fn a_long_address_is_squeezed_and_one_too_long_is_listed() {
    let options = PrintOptions::default();
    let fits = piece("100-0013", "霞が関1丁目3番2号", "", "郵便 太郎", &[]);
    assert!(daicho_mailing::print::problems(Kind::Postcard, &options, &fits).is_empty());
    let long = piece(
        "100-0013",
        &"霞が関一丁目三番二号".repeat(5),
        "",
        "郵便 太郎",
        &[],
    );
    let problems = daicho_mailing::print::problems(Kind::Postcard, &options, &long);
    assert!(
        problems
            .iter()
            .any(|(column, _, p)| *column == "住所1" && matches!(p, Problem::DoesNotFit { .. })),
        "{problems:?}"
    );
}

#[test]
fn pieces_the_office_must_know_about_are_listed_with_the_reason() {
    let options = PrintOptions::default();
    let mut no_number = piece("100-0013", "霞が関", "", "郵便 太郎", &[]);
    no_number.address_number = String::new();
    let problems = daicho_mailing::print::problems(Kind::Labels, &options, &no_number);
    assert!(problems
        .iter()
        .any(|(_, _, p)| matches!(p, Problem::NoBarcode { .. })));
    let stray = piece("100-0013", "霞が関1-3-2", "", "⻎辺 太郎", &[]);
    let problems = daicho_mailing::print::problems(Kind::Labels, &options, &stray);
    assert!(problems.iter().any(|(_, _, p)| *p
        == Problem::NotInFont {
            character: "⻎".into()
        }));
    let company = Piece {
        company: "桜木商事".into(),
        honorific: "御中".into(),
        ..piece("100-0013", "霞が関1-3-2", "", "", &[])
    };
    let problems = daicho_mailing::print::problems(Kind::Labels, &options, &company);
    assert!(problems
        .iter()
        .any(|(_, _, p)| matches!(p, Problem::Addressing { .. })));
}

fn ledger_with(dir: &Path, people: &[(&str, &str, &str, &str)]) -> Ledger {
    let mut ledger = Ledger::open(dir.join("daicho.sqlite3")).unwrap();
    for (family, given, postal, street) in people {
        let fields = CustomerFields {
            family_name: (*family).into(),
            given_name: (*given).into(),
            postal_code: (*postal).into(),
            prefecture: "東京都".into(),
            city: "世田谷区".into(),
            address1: (*street).into(),
            ..Default::default()
        };
        ledger.create_customer(&Actor::user(None), &fields).unwrap();
    }
    ledger
}

fn print_request(format: FileFormat) -> ExportRequest {
    ExportRequest {
        label: "全顧客".into(),
        filter: Group::default(),
        columns: default_columns(),
        list: ListOptions::default(),
        checks: CheckOptions::default(),
        format,
        campaign: "年賀状".into(),
        campaign_id: None,
        print: PrintOptions {
            sender: Sender {
                name: "桜木工務店".into(),
                postal_code: "154-0001".into(),
                address: "東京都世田谷区池尻3-1-2".into(),
                phone: "03-1234-5678".into(),
            },
            ..Default::default()
        },
    }
}

#[test]
fn printing_postcards_writes_one_page_a_household_and_records_the_mailing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_with(
        dir.path(),
        &[
            ("長谷川", "龍之介", "154-0015", "桜新町1-2-3"),
            ("長谷川", "美由紀", "154-0015", "桜新町1-2-3"),
            ("髙橋", "一郎", "154-0015", "桜新町2-5-8"),
        ],
    );
    let dest = dir.path().join("年賀状.pdf");
    let request = print_request(FileFormat::PdfPostcard);
    let outcome = export(
        &mut ledger,
        &Actor::user(None),
        &request,
        local_today(),
        &dest,
        false,
        false,
    )
    .unwrap();
    assert_eq!(outcome.rows, 2, "the household is one card");
    let bytes = std::fs::read(&dest).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = Command::new("pdftotext")
        .arg(&dest)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains('髙'), "髙 stays 髙 on the card: {text}");
    let info = Command::new("pdfinfo").arg(&dest).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Pages:           2"), "{info}");
    assert!(
        info.contains("283.465 x 419.528 pts"),
        "100 × 148 mm: {info}"
    );
    let fonts = Command::new("pdffonts").arg(&dest).output().unwrap();
    assert!(String::from_utf8_lossy(&fonts.stdout).contains("BIZUDMincho"));
    assert!(
        bytes.len() < 200_000,
        "the font is subset: {} bytes",
        bytes.len()
    );
    let mailing = ledger.mailings().unwrap().remove(0);
    assert_eq!(mailing.record.format, "pdf-postcard");
    assert_eq!(mailing.record.rows, 2);
}

#[test]
fn a_print_with_pieces_to_check_waits_for_approval_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger_with(
        dir.path(),
        &[
            ("郵便", "太郎", "154-0015", "桜新町"),
            ("⻎辺", "花子", "154-0015", "桜新町1-2-3"),
        ],
    );
    let request = print_request(FileFormat::PdfLabels);
    let prepared = prepare(&ledger, &request, local_today()).unwrap();
    let kinds: Vec<&Problem> = prepared.problems.iter().map(|p| &p.problem).collect();
    assert!(
        kinds.iter().any(|p| matches!(p, Problem::NoBarcode { .. })),
        "{kinds:?}"
    );
    assert!(
        kinds.iter().any(|p| matches!(p, Problem::NotInFont { .. })),
        "{kinds:?}"
    );
    let dest = dir.path().join("labels.pdf");
    let refused = export(
        &mut ledger,
        &Actor::user(None),
        &request,
        local_today(),
        &dest,
        false,
        false,
    );
    assert!(matches!(refused, Err(ExportError::NeedsApproval(_))));
    assert!(!dest.exists());
    assert!(
        ledger.mailings().unwrap().is_empty(),
        "nothing recorded as mailed"
    );
    let bad_start = ExportRequest {
        print: PrintOptions {
            start_at: 13,
            ..request.print.clone()
        },
        ..request
    };
    let refused = export(
        &mut ledger,
        &Actor::user(None),
        &bad_start,
        local_today(),
        &dest,
        false,
        true,
    );
    assert!(refused
        .unwrap_err()
        .to_string()
        .contains("開始位置は 1 から 12"));
}

/// What a layout lists for a piece, as (column, problem kind) pairs.
fn listed(kind: Kind, options: &PrintOptions, piece: &Piece) -> Vec<(&'static str, String)> {
    daicho_mailing::print::problems(kind, options, piece)
        .into_iter()
        .map(|(column, _, p)| {
            (
                column,
                format!("{p:?}")
                    .split([' ', '{'])
                    .next()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

fn crowded(joints: usize, joint: &str) -> Piece {
    let names: Vec<String> = (0..joints).map(|i| format!("{joint}{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Piece {
        company: "株式会社ABC商事".into(),
        ..piece(
            "100-0013",
            "霞が関1丁目3番2号",
            "郵便プラザ503室",
            "山田 太郎",
            &names,
        )
    }
}

#[test]
fn names_that_would_run_onto_the_next_label_or_the_senders_block_are_listed() {
    let options = PrintOptions::default();
    // A 12面 label holds the address, the company and three lines of names.
    assert!(listed(Kind::Labels, &options, &crowded(2, "花子")).is_empty());
    let five = listed(Kind::Labels, &options, &crowded(5, "花子"));
    assert!(five.contains(&("連名", "DoesNotFit".into())), "{five:?}");
    let across = PrintOptions {
        horizontal: true,
        ..Default::default()
    };
    let eight = listed(Kind::Postcard, &across, &crowded(8, "花子"));
    assert!(eight.contains(&("連名", "DoesNotFit".into())), "{eight:?}");
    assert!(
        eight.contains(&("住所表示番号", "NoBarcode".into())),
        "{eight:?}"
    );
}

#[test]
fn a_long_joint_name_down_the_card_is_squeezed_with_the_others_and_listed() {
    let options = PrintOptions::default();
    let long = piece(
        "100-0013",
        "霞が関1-3-2",
        "",
        "山田 太郎",
        &[&"花".repeat(30)],
    );
    let found = listed(Kind::Postcard, &options, &long);
    assert!(found.contains(&("氏名", "DoesNotFit".into())), "{found:?}");
}

#[test]
fn many_joint_names_down_the_card_stay_clear_of_the_company_and_the_sender() {
    let options = PrintOptions {
        sender: Sender {
            name: "桜木工務店".into(),
            address: "東京都世田谷区池尻3-1-2".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let piece = crowded(6, "花");
    assert!(listed(Kind::Postcard, &options, &piece).is_empty());
    let pdf = render(Kind::Postcard, &options, std::iter::once(piece)).unwrap();
    let image = rendered(&pdf, 150);
    // Between the sender's block (ends 24 mm in) and the names (start at
    // 26 mm), and between the names and the company column, a clear gap
    // from top to bottom of the names' area.
    let clear =
        |mm: f64| (image.px_of(34.0)..image.px_of(120.0)).all(|y| !image.dark(image.px_of(mm), y));
    assert!(clear(25.0), "the names keep off the sender's block");
}

#[test]
fn a_company_alone_is_printed_with_its_department() {
    let company = Piece {
        company: "株式会社ABC".into(),
        department: "総務部".into(),
        honorific: "御中".into(),
        ..piece("100-0013", "霞が関1-3-2", "", "", &[])
    };
    assert_eq!(company.addressee(), "株式会社ABC　総務部");
    let options = PrintOptions::default();
    let found = daicho_mailing::print::problems(Kind::Labels, &options, &company);
    assert!(!found
        .iter()
        .any(|(_, _, p)| matches!(p, Problem::NotInFont { .. })));
}
