//! `daicho`: the ledger from the command line, for admins and automation.
//! Every command takes `--db PATH` (or `DAICHO_DB`) and most take `--json`.

// The workspace's allocator (Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod access;
mod output;
mod privacy;
mod requests;
mod signin;
mod sync;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use daicho_ledger::contacts::{local_today, ContactInput};
use daicho_ledger::ids::display;
use daicho_ledger::merge::{FieldPick, Pick};
use daicho_ledger::{
    backup, location, Actor, CustomerFields, CustomerQuery, ErrorCode, Ledger, LedgerError, Need,
};
use daicho_roster::{ImportError, PlanOptions};

use crate::output::Failure;

#[derive(Parser)]
#[command(
    name = "daicho",
    version,
    about = "顧客台帳 Daichō のコマンドラインツール"
)]
struct Cli {
    /// 台帳ファイルのパス（既定: アプリのローカルデータフォルダ）
    #[arg(long, global = true, env = "DAICHO_DB")]
    db: Option<PathBuf>,
    /// 結果を JSON で出力する
    #[arg(long, global = true)]
    json: bool,
    /// この担当者として実行する（既定: 最初の管理者）。サインインが有効なら PIN は DAICHO_PIN から、なければ端末で入力
    #[arg(long = "as", global = true, value_name = "NAME", env = "DAICHO_AS")]
    acting_as: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 顧客数とステータス別の件数
    Stats,
    /// 顧客の一覧（検索できます）
    Customers {
        /// 氏名・フリガナ・電話・郵便番号・住所・メール・備考のどれかの一部
        #[arg(long)]
        search: Option<String>,
        /// ごみ箱の顧客を表示する
        #[arg(long)]
        trashed: bool,
    },
    /// 顧客を1件登録する
    Add(Box<AddArgs>),
    /// 顧客の項目を変更する（指定した項目だけ。アプリと同じ検査で、変更履歴に残ります）
    Update(Box<privacy::UpdateArgs>),
    /// 顧客の個人情報をすべて消去する（個人情報保護法 第35条）。元に戻せません
    Erase {
        #[arg(value_parser = crate::id_arg)]
        id: i64,
        /// 消去の理由（消去記録に残ります。個人を特定する内容は書かないでください）
        #[arg(long)]
        reason: String,
        /// 消去のあと、消去済みの台帳のバックアップをすぐに作る
        #[arg(long)]
        backup: bool,
    },
    /// 顧客について台帳が持つすべての情報を .xlsx に書き出す（開示 第33条）
    Disclose {
        #[arg(value_parser = crate::id_arg)]
        id: i64,
        #[arg(long)]
        out: PathBuf,
        /// 既存のファイルを上書きする
        #[arg(long)]
        replace: bool,
    },
    /// 台帳をバックアップする（SQLite オンラインバックアップ）
    Backup {
        #[arg(long, required_unless_present = "to_second_place")]
        out: Option<PathBuf>,
        /// 設定した2か所目（USBメモリ・NAS など）に、検査済みのコピーを作る
        #[arg(long, conflicts_with = "out")]
        to_second_place: bool,
    },
    /// バックアップの一覧（台帳の横の backups/ と2か所目の両方）
    Backups,
    /// バックアップから台帳を復元する（現在の台帳は先にバックアップされます）
    Restore { file: PathBuf },
    /// 名簿（Excel・CSV）を取り込む。同じ人は重複させずに統合します
    Import(Box<ImportArgs>),
    /// 取り込みを取り消す（作成した顧客を削除し、統合で変えた項目を元に戻す）
    ImportUndo {
        #[arg(value_parser = crate::id_arg)]
        batch: i64,
    },
    /// 取り込みの履歴
    Imports,
    /// DM リストなどを書き出す
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// 保存済みのセグメント
    Segments,
    /// 今日やること: 連絡が遅れている顧客、期日の来た次回対応、今月の点検、誕生日・記念日、未評価の新規引合い
    Today {
        /// この日付で数える（YYYY-MM-DD、既定: 今日）
        #[arg(long)]
        on: Option<String>,
    },
    /// 分析: 月別の目標と実績、段階の移り変わり、失注理由、反響元・キャンペーン別（取り込みで入ったステータスは数えません）
    Dashboard {
        /// 期間の始まり（YYYY-MM-DD、既定: 今月の1日）
        #[arg(long)]
        from: Option<String>,
        /// 期間の終わり（YYYY-MM-DD、既定: 今日）
        #[arg(long)]
        to: Option<String>,
    },
    /// 対応履歴（来場・電話・訪問 …）
    Contacts {
        #[command(subcommand)]
        action: ContactsAction,
    },
    /// 重複の候補: 氏名と電話番号、氏名と住所、またはメールアドレスが同じ顧客の組（氏名だけでは候補にしません）
    Duplicates,
    /// 2件の顧客を1件に統合する（KEEP を残し、OTHER の対応履歴・案件・ラベルなどを移して OTHER を削除）
    Merge {
        #[arg(value_parser = crate::id_arg)]
        keep: i64,
        #[arg(value_parser = crate::id_arg)]
        other: i64,
        /// 項目ごとにどちらの値を使うか（例: --take phone=other、備考を両方: --take notes=both）。既定: KEEP の値、空なら OTHER の値
        #[arg(long = "take", value_name = "項目=kept|other|both")]
        take: Vec<String>,
    },
    /// 統合を取り消す（削除した顧客と移した記録を元に戻す）
    MergeUndo {
        #[arg(value_parser = crate::id_arg)]
        id: i64,
    },
    /// 統合の履歴
    Merges,
    /// アフター依頼の一覧（未完了が先、期日順）
    Requests {
        /// 未完了のものだけ
        #[arg(long)]
        open: bool,
    },
    /// アフター依頼を受け付ける・変える・完了にする、協力業者への一覧を書き出す
    Request {
        #[command(subcommand)]
        action: requests::RequestAction,
    },
    /// 担当者と権限の一覧（--json）。追加・権限・PIN・サインインの設定
    Staff {
        #[command(subcommand)]
        action: Option<access::StaffAction>,
    },
    /// 複数台で使う: 親機を作る・始める・接続コードを出す（--db は親機の台帳）
    Hub {
        #[command(subcommand)]
        action: sync::HubAction,
    },
    /// 同じネットワークの親機を探す（--json なら [{"office", "pc", "address", "fingerprint"}]）
    Hubs {
        /// 待つ秒数
        #[arg(long, default_value_t = 3.0)]
        wait: f64,
    },
    /// 親機につなぎ、親機の台帳をこのPCの台帳（--db、新しいファイル）として受け取る
    Join {
        /// 親機の URL（daicho hub serve が表示したもの）
        #[arg(long)]
        hub: String,
        /// 親機で出した接続コード
        #[arg(long)]
        code: String,
        /// このPCの名前（既定: コンピューター名）
        #[arg(long)]
        name: Option<String>,
    },
    /// 親機と同期する（未送信の変更を送り、他のPCの変更を受け取る）。--once がなければ数秒ごとに続けます
    Sync {
        /// 1回だけ同期して終わる
        #[arg(long)]
        once: bool,
        /// 親機の URL を覚えさせる（1台目のPC、親機を移したとき）
        #[arg(long)]
        hub: Option<String>,
        /// 同期してから、この台帳が親機の台帳と同じか確かめる
        #[arg(long)]
        check: bool,
        /// 食い違っていれば、親機の写しに置き換える（アプリを閉じてから。今の台帳は横に残します）
        #[arg(long)]
        repair: bool,
    },
    /// 確認が必要な変更（複数のPCで同じ項目が同時に変えられたもの）
    Conflicts {
        /// 確認済みのものも表示する
        #[arg(long)]
        all: bool,
    },
    /// 持ち出し記録: 顧客データを含むファイルの書き出し・消去・復元（新しい順）
    Exports {
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// デモ用のサンプル顧客を追加する
    Sample {
        #[arg(long, default_value_t = 300)]
        count: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum ContactsAction {
    /// 対応を記録する（期日の来た次回対応は完了になります）
    Add {
        #[arg(value_parser = crate::id_arg)]
        customer_id: i64,
        /// 来場, 訪問, 電話, メール, DM, イベント, 点検, クレーム, その他
        #[arg(long)]
        kind: String,
        #[arg(long, default_value = "")]
        note: String,
        /// 対応日時（YYYY-MM-DD HH:MM、既定: 今）
        #[arg(long)]
        at: Option<String>,
        /// 次回の対応日（YYYY-MM-DD）
        #[arg(long)]
        next: Option<String>,
        /// 次回にすること
        #[arg(long, default_value = "")]
        next_note: String,
    },
    /// 顧客の対応履歴（新しい順）
    List {
        #[arg(value_parser = crate::id_arg)]
        customer_id: i64,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// DM リスト（除外・世帯まとめ・郵便番号順）を書き出す
    Dm(Box<DmArgs>),
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["segment", "all"])))]
struct DmArgs {
    /// セグメント名
    #[arg(long)]
    segment: Option<String>,
    /// 全顧客（除外条件は適用されます）
    #[arg(long)]
    all: bool,
    #[arg(long)]
    out: PathBuf,
    /// xlsx, csv-cp932, csv-utf8, pdf-labels（ラベル）, pdf-postcard（はがき）
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// postal, kana, staff
    #[arg(long, default_value = "postal")]
    order: String,
    /// 連名の上限
    #[arg(long, default_value_t = 2)]
    max_joint: u32,
    /// キャンペーン名（書き出し記録に残ります）
    #[arg(long, default_value = "")]
    campaign: String,
    /// 保存済みの書き出しテンプレート（列・順番・見出し）。pdf-labels ではラベル用紙の名前
    /// （既定: 事務所で保存した用紙）
    #[arg(long)]
    template: Option<String>,
    /// pdf-labels: 1枚目の何面目から使うか（1 = 左上）
    #[arg(long, default_value_t = 1)]
    start: u32,
    /// pdf-postcard: 横書きにする
    #[arg(long)]
    horizontal: bool,
    /// 試し印刷: ラベルの枠・郵便番号枠を印刷する
    #[arg(long)]
    frames: bool,
    /// CP932 にない文字の置き換えや注意事項を確認済みとして書き出す
    #[arg(long)]
    accept: bool,
    /// 既存のファイルを上書きする
    #[arg(long)]
    replace: bool,
}

#[derive(clap::Args)]
struct ImportArgs {
    file: PathBuf,
    /// 取り込むシート（複数指定可。既定: すべて）
    #[arg(long = "sheet")]
    sheets: Vec<String>,
    /// 保存済みの列の対応付けの名前
    #[arg(long)]
    mapping: Option<String>,
    /// CSV の文字コード（utf-8, shift_jis, utf-16）。既定: 自動判定
    #[arg(long)]
    encoding: Option<String>,
    /// 台帳に書き込まず、結果だけを表示する
    #[arg(long)]
    dry_run: bool,
    /// スキップした行・注意・既存と異なる値を .xlsx に書き出す
    #[arg(long)]
    report: Option<PathBuf>,
}

#[derive(clap::Args)]
struct AddArgs {
    #[arg(long)]
    family: String,
    #[arg(long, default_value = "")]
    given: String,
    #[arg(long, default_value = "")]
    family_kana: String,
    #[arg(long, default_value = "")]
    given_kana: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    mobile: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, default_value = "")]
    postal_code: String,
    /// 1行の住所。都道府県・市区町村・それ以降に分けて保存します
    #[arg(long, default_value = "")]
    address: String,
    /// 建物名・部屋番号
    #[arg(long, default_value = "")]
    building: String,
    /// ステータス名（既定: 一覧の先頭）
    #[arg(long)]
    status: Option<String>,
}

fn parse_day(text: &str) -> Result<chrono::NaiveDate, Failure> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
            "on",
            format!("日付「{text}」が読めません。YYYY-MM-DD で指定してください。"),
        )])
        .into()
    })
}

fn contacts(path: &std::path::Path, action: &ContactsAction, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    match action {
        ContactsAction::Add {
            customer_id,
            kind,
            note,
            at,
            next,
            next_note,
        } => {
            let kinds = ledger.contact_kinds()?;
            let kind_id = kinds
                .iter()
                .find(|k| k.name == kind.trim() && !k.retired)
                .map(|k| k.id)
                .ok_or_else(|| {
                    let names: Vec<&str> = kinds
                        .iter()
                        .filter(|k| !k.retired)
                        .map(|k| k.name.as_str())
                        .collect();
                    LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
                        "kind",
                        format!(
                            "対応の種類「{kind}」はありません。使える種類: {}",
                            names.join("、")
                        ),
                    )])
                })?;
            let input = ContactInput {
                customer_id: *customer_id,
                kind_id,
                at: at
                    .clone()
                    .unwrap_or_else(|| chrono::Local::now().format("%Y-%m-%d %H:%M").to_string()),
                note: note.clone(),
                next_on: next.clone(),
                next_note: next_note.clone(),
            };
            let contact = ledger.log_contact(&ledger.current_actor()?, &input, local_today())?;
            output::contacts(std::slice::from_ref(&contact), json)
        }
        ContactsAction::List { customer_id } => {
            output::contacts(&ledger.contacts(*customer_id)?, json)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    signin::act_as(cli.acting_as.clone());
    // Staged DM files a killed export left, whatever this run is for.
    daicho_mailing::unfinished::sweep_unfinished();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // A damaged page met while reading is told naming the ledger.
            let error = match ledger_path(&cli) {
                Ok(path) => error.on_file(&path),
                Err(_) => error,
            };
            output::error(&error, cli.json);
            if let Failure::Ledger(LedgerError::NotLocal { path, .. }) = &error {
                eprintln!("{}", copy_hint(path));
            }
            exit_status(&error)
        }
    }
}

/// 3 when the person acting may not do it (their role, or no sign-in),
/// so a script tells a refusal from a failure; 1 otherwise.
fn exit_status(error: &Failure) -> ExitCode {
    use daicho_ledger::Coded;
    match error.code() {
        ErrorCode::NotPermitted | ErrorCode::SignInRequired | ErrorCode::WrongPin => {
            ExitCode::from(3)
        }
        _ => ExitCode::FAILURE,
    }
}

/// The commands that copy a ledger off a share to this PC and open the copy.
fn copy_hint(network: &std::path::Path) -> String {
    let Some(local) = location::local_copy_path() else {
        return String::new();
    };
    let open = if Some(&local) == daicho_ledger::default_ledger_path().as_ref() {
        "そのあとは --db を付けずに使えます（このPCの既定の場所です）。".to_string()
    } else {
        format!(
            "そのあとは --db \"{}\" を付けて使ってください。",
            local.display()
        )
    };
    format!(
        "このPCにコピーするには:\n  daicho backup --db \"{}\" --out \"{}\"\n{open}",
        network.display(),
        local.display()
    )
}

/// `--take phone=other`: which record's value a merged field takes.
fn field_pick(take: &str) -> Result<FieldPick, LedgerError> {
    let (field, pick) = take.split_once('=').unwrap_or((take, "other"));
    let pick = match pick.trim() {
        "kept" | "keep" => Pick::Kept,
        "other" => Pick::Other,
        "both" => Pick::Both,
        _ => {
            return Err(LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
                field,
                format!("--take {take}: 値は kept・other・both のどれかです。"),
            )]))
        }
    };
    Ok(FieldPick {
        field: field.trim().to_string(),
        pick,
    })
}

fn ledger_path(cli: &Cli) -> Result<PathBuf, Failure> {
    cli.db
        .clone()
        .or_else(daicho_ledger::default_ledger_path)
        .ok_or_else(|| {
            LedgerError::Conflict("台帳の場所が決められません。--db で指定してください。".into())
                .into()
        })
}

/// Each subcommand to the function that runs it; the ones that are a single
/// read and print stay here.
fn run(cli: &Cli) -> Result<(), Failure> {
    let path = ledger_path(cli)?;
    let json = cli.json;
    match &cli.command {
        Command::Stats => output::stats(&signin::open(&path)?.stats()?, json),
        Command::Today { on } => today(&path, on.as_deref(), json),
        Command::Dashboard { from, to } => dashboard(&path, from.as_deref(), to.as_deref(), json),
        Command::Segments => output::segments(&signin::open(&path)?.segments()?, json),
        Command::Contacts { action } => contacts(&path, action, json),
        Command::Customers { search, trashed } => {
            customers(&path, search.as_deref(), *trashed, json)
        }
        Command::Add(args) => add(&path, args, json),
        Command::Update(args) => privacy::update(&path, args, json),
        Command::Erase { id, reason, backup } => privacy::erase(&path, *id, reason, *backup, json),
        Command::Disclose { id, out, replace } => {
            privacy::disclose(&path, *id, out, *replace, json)
        }
        Command::Backup { out, .. } => back_up(&path, out.as_deref(), json),
        Command::Backups => output::backups(&backup::list_all(&path)?, json),
        Command::Restore { file } => restore(&path, file, json),
        Command::Import(args) => import(&path, args, json),
        Command::ImportUndo { batch } => import_undo(&path, *batch, json),
        Command::Imports => output::batches(&signin::open(&path)?.import_batches()?, json),
        Command::Export {
            what: ExportWhat::Dm(args),
        } => export_dm(&path, args, json),
        Command::Duplicates => {
            output::duplicates(&signin::open(&path)?.duplicate_candidates()?, json)
        }
        Command::Merge { keep, other, take } => merge(&path, *keep, *other, take, json),
        Command::MergeUndo { id } => merge_undo(&path, *id, json),
        Command::Merges => output::merges(&signin::open(&path)?.merges()?, json),
        Command::Sample { count, seed } => sample(&path, *count, *seed, json),
        Command::Requests { open } => requests::list(&path, *open, json),
        Command::Request { action } => requests::run(&path, action, json),
        Command::Staff { action } => access::run(&path, action.as_ref(), json),
        Command::Exports { limit } => access::exports(&path, *limit, json),
        Command::Hub { action } => sync::hub(&path, action, json),
        Command::Hubs { wait } => sync::hubs(*wait, json),
        Command::Join { hub, code, name } => sync::join(&path, hub, code, name.as_deref(), json),
        Command::Sync {
            check: true,
            repair,
            ..
        }
        | Command::Sync {
            repair: repair @ true,
            ..
        } => sync::check(&path, *repair, json),
        Command::Sync { once, hub, .. } => sync::sync(&path, hub.as_deref(), *once, json),
        Command::Conflicts { all } => sync::conflicts(&path, *all, json),
    }
}

/// `daicho today`: the Today lists on a date, by default today.
fn today(path: &Path, on: Option<&str>, json: bool) -> Result<(), Failure> {
    let on = match on {
        Some(text) => parse_day(text)?,
        None => local_today(),
    };
    output::today(&signin::open(path)?.today(on)?, json)
}

/// `daicho dashboard`: by default from the first of this month to today.
fn dashboard(path: &Path, from: Option<&str>, to: Option<&str>, json: bool) -> Result<(), Failure> {
    let today = local_today();
    let from = from.map_or_else(|| today.format("%Y-%m-01").to_string(), String::from);
    let to = to.map_or_else(|| today.to_string(), String::from);
    output::dashboard(&signin::open(path)?.dashboard(&from, &to)?, json)
}

/// `daicho customers`: every customer the search finds, read a page at a time.
fn customers(path: &Path, search: Option<&str>, trashed: bool, json: bool) -> Result<(), Failure> {
    let ledger = signin::open(path)?;
    let query = CustomerQuery {
        text: search.unwrap_or_default().to_string(),
        trashed,
        limit: 1000,
        ..Default::default()
    };
    let (mut customers, today) = (Vec::new(), local_today());
    loop {
        let page = ledger.list_customers(
            &CustomerQuery {
                offset: customers.len() as u32,
                ..query.clone()
            },
            today,
        )?;
        for row in &page.rows {
            customers.push(ledger.customer(row.id)?);
        }
        if page.rows.is_empty() || customers.len() as u32 >= page.total {
            break;
        }
    }
    output::customers(&customers, json)
}

fn add(path: &Path, args: &AddArgs, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let fields = add_fields(&ledger, args)?;
    let customer = ledger.create_customer(&ledger.current_actor()?, &fields)?;
    output::customers(std::slice::from_ref(&customer), json)
}

/// `daicho backup`: to `out`, or (clap requires one of the two) to the
/// second place set in the app.
fn back_up(path: &Path, out: Option<&Path>, json: bool) -> Result<(), Failure> {
    let Some(out) = out else {
        let copy = signin::open(path)?.backup_to_second_place()?;
        return output::done(
            &format!("2か所目にバックアップしました: {}", copy.path),
            Path::new(&copy.path),
            json,
        );
    };
    // A ledger on a share is refused for use but may be copied off it.
    if location::classify(path).is_local() {
        signin::open(path)?.export_backup(out)?;
    } else {
        backup::copy_ledger(path, out)?;
    }
    output::done(
        &format!("バックアップを作成しました: {}", out.display()),
        out,
        json,
    )
}

/// Only a 管理者 restores; the restored ledger records it.
fn restore(path: &Path, file: &Path, json: bool) -> Result<(), Failure> {
    signin::open(path)?.require(Need::Backup)?;
    backup::restore(path, file)?;
    signin::open(path)?.record_restore(file)?;
    output::done(
        &format!("{} から台帳を復元しました。", file.display()),
        path,
        json,
    )
}

/// `daicho import`: the roster planned, an optional report of it, then
/// either what would happen (`--dry-run`) or the import itself.
fn import(path: &Path, args: &ImportArgs, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let options = PlanOptions {
        sheets: args.sheets.clone(),
        encoding: args.encoding.clone(),
        ..PlanOptions::default()
    };
    let (plan, _) =
        daicho_roster::plan_file(&args.file, &ledger, options, args.mapping.as_deref())?;
    if let Some(dest) = &args.report {
        let preview = daicho_roster::session::preview(&ledger, &plan, None)?;
        daicho_roster::report::write_report(&preview, dest, false).map_err(ImportError::from)?;
    }
    let (created, merged, batch) = if args.dry_run {
        let preview = daicho_roster::session::preview(&ledger, &plan, None)?;
        (preview.new_customers, preview.merged_with_ledger, None)
    } else {
        let actor = ledger.current_actor()?;
        let never = std::sync::atomic::AtomicBool::new(false);
        let outcome =
            daicho_roster::session::commit(&mut ledger, &actor, &plan, &never, &mut |_| {})?;
        (outcome.created, outcome.merged, Some(outcome.batch))
    };
    output::import(&plan, created, merged + plan.merged_in_file, batch, json)
}

fn import_undo(path: &Path, batch: i64, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let undone = ledger.undo_import(&ledger.current_actor()?, batch)?;
    let message = format!(
        "取り込み {}（{}）を取り消しました。\
         作成した {} 件を削除し、統合した {} 件を元に戻しました。",
        display(undone.id),
        undone.file_name,
        undone.created,
        undone.merged
    );
    output::done(&message, path, json)
}

fn export_dm(path: &Path, args: &DmArgs, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let request = dm_request(&ledger, args)?;
    let actor = ledger.current_actor()?;
    let outcome = daicho_mailing::export::export(
        &mut ledger,
        &actor,
        &request,
        local_today(),
        &args.out,
        args.replace,
        args.accept,
    )?;
    output::dm(&outcome, json)
}

fn merge(path: &Path, keep: i64, other: i64, take: &[String], json: bool) -> Result<(), Failure> {
    let picks = take
        .iter()
        .map(String::as_str)
        .map(field_pick)
        .collect::<Result<Vec<_>, _>>()?;
    let mut ledger = signin::open(path)?;
    let record = ledger.merge_customers(&ledger.current_actor()?, keep, other, &picks)?;
    output::merges(std::slice::from_ref(&record), json)
}

fn merge_undo(path: &Path, id: i64, json: bool) -> Result<(), Failure> {
    let mut ledger = signin::open(path)?;
    let record = ledger.undo_merge(&ledger.current_actor()?, id)?;
    output::merges(std::slice::from_ref(&record), json)
}

fn sample(path: &Path, count: u32, seed: u64, json: bool) -> Result<(), Failure> {
    let added = signin::open(path)?.add_sample_data(&Actor::system(), count, seed)?;
    output::done(
        &format!("サンプル顧客を {added} 件追加しました。"),
        path,
        json,
    )
}

fn dm_request(
    ledger: &Ledger,
    args: &DmArgs,
) -> Result<daicho_mailing::export::ExportRequest, Failure> {
    use daicho_mailing::{FileFormat, ListOptions, Order};
    let invalid = |field: &str, message: String| {
        Failure::from(LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
            field, message,
        )]))
    };
    let (label, filter) = match &args.segment {
        Some(name) => {
            let missing = || {
                let message = format!(
                    "セグメント「{name}」はありません。\
                     `daicho segments` で一覧を確かめてください。"
                );
                invalid("segment", message)
            };
            let segment = ledger.segment_named(name)?.ok_or_else(missing)?;
            let filter = match segment.kind {
                daicho_ledger::segments::SegmentKind::Dynamic => segment.filter.clone(),
                daicho_ledger::segments::SegmentKind::Static => daicho_ledger::segments::Group {
                    all: true,
                    parts: vec![daicho_ledger::segments::Part::Condition {
                        condition: daicho_ledger::segments::Condition::InList {
                            segment_id: segment.id,
                        },
                    }],
                },
            };
            (segment.name, filter)
        }
        None => ("全顧客".to_string(), Default::default()),
    };
    let format = FileFormat::parse(&args.format).ok_or_else(|| {
        invalid(
            "format",
            format!(
                "形式「{}」は使えません。\
                 xlsx、csv-cp932、csv-utf8、pdf-labels、pdf-postcard のどれかです。",
                args.format
            ),
        )
    })?;
    let order = match args.order.as_str() {
        "postal" => Order::PostalCode,
        "kana" => Order::Kana,
        "staff" => Order::Staff,
        other => {
            return Err(invalid(
                "order",
                format!("並び順「{other}」は使えません。postal、kana、staff のどれかです。"),
            ))
        }
    };
    let printed = format.print_kind().is_some();
    let columns = match printed {
        true => daicho_mailing::default_columns(),
        false => dm_columns(ledger, args.template.as_deref())?,
    };
    Ok(daicho_mailing::export::ExportRequest {
        print: print_options(ledger, args, printed)?,
        label,
        filter,
        columns,
        list: ListOptions {
            order,
            max_joint_names: args.max_joint,
        },
        // The office's saved checks, as the app's export panel uses them.
        checks: daicho_mailing::templates::check_options(ledger)?,
        format,
        campaign: args.campaign.clone(),
        campaign_id: None,
    })
}

/// The office's saved print choices, with the sheet, start and layout the
/// command names.
fn print_options(
    ledger: &Ledger,
    args: &DmArgs,
    printed: bool,
) -> Result<daicho_mailing::print::PrintOptions, Failure> {
    let mut options = daicho_mailing::print::saved(ledger)?;
    if let Some(name) = args.template.as_ref().filter(|_| printed) {
        let known = daicho_mailing::print::sheets::builtin();
        if name != daicho_mailing::print::sheets::CUSTOM && !known.iter().any(|s| &s.name == name) {
            let names: Vec<String> = known.into_iter().map(|s| s.name).collect();
            let message = format!(
                "ラベル用紙「{name}」はありません。{}、custom のどれかです。",
                names.join("、")
            );
            return Err(LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
                "template", message,
            )])
            .into());
        }
        options.sheet.clone_from(name);
    }
    options.start_at = args.start;
    options.horizontal |= args.horizontal;
    options.frames = args.frames;
    Ok(options)
}

/// The columns of the saved template `name` (as the app saves them), or
/// the printers' usual columns.
fn dm_columns(
    ledger: &Ledger,
    template: Option<&str>,
) -> Result<Vec<daicho_mailing::Column>, Failure> {
    let Some(name) = template else {
        return Ok(daicho_mailing::default_columns());
    };
    let saved = daicho_mailing::templates::template_named(ledger, name)?;
    let names = || {
        let all = daicho_mailing::templates::templates(ledger)?;
        Ok::<_, LedgerError>(
            all.into_iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
                .join("、"),
        )
    };
    match saved {
        Some(template) => Ok(template.columns),
        None => Err(LedgerError::Invalid(vec![daicho_ledger::FieldError::new(
            "template",
            format!(
                "書き出しテンプレート「{name}」はありません。保存済み: {}",
                names()?
            ),
        )])
        .into()),
    }
}

/// An id as `daicho` prints it (`123`, or `3-17` for a row another PC of
/// the office made) or as `--json` gives it.
fn id_arg(text: &str) -> Result<i64, String> {
    daicho_ledger::ids::parse_display(text)
        .ok_or_else(|| format!("「{text}」は ID ではありません（例: 123、3-17）。"))
}

/// The id of the status called `name`, or the names there are.
fn status_named(ledger: &Ledger, name: &str) -> Result<i64, Failure> {
    let statuses = ledger.statuses()?;
    let found = statuses.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = statuses
            .iter()
            .filter(|s| !s.retired)
            .map(|s| s.name.as_str())
            .collect();
        LedgerError::Conflict(format!(
            "ステータス「{name}」はありません。使えるのは: {}",
            names.join("、")
        ))
    })?;
    Ok(found.id)
}

fn add_fields(ledger: &Ledger, args: &AddArgs) -> Result<CustomerFields, Failure> {
    // The same reading as an import's: prefecture from the postal code when
    // the address leaves it out, block numbers as 1-2-3, a building moved.
    let (address, _) = daicho_text::read_address(&args.address, &args.building, &args.postal_code);
    let status_id = match &args.status {
        None => None,
        Some(name) => Some(status_named(ledger, name)?),
    };
    Ok(CustomerFields {
        family_name: args.family.clone(),
        given_name: args.given.clone(),
        family_kana: args.family_kana.clone(),
        given_kana: args.given_kana.clone(),
        phone: args.phone.clone(),
        mobile: args.mobile.clone(),
        email: args.email.clone(),
        postal_code: args.postal_code.clone(),
        prefecture: address.prefecture,
        city: address.city,
        address1: address.street,
        address2: address.building,
        status_id,
        ..Default::default()
    })
}
