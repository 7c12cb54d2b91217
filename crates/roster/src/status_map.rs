//! Free-text status values (見込, ＯＢ（新築）, 対象外 …) mapped to the ledger's
//! statuses: exact names first, then a synonyms table, then containment. The
//! result is a value table the user can correct before importing.

use std::sync::OnceLock;

use daicho_ledger::Status;

use crate::columns::header_key;

/// Wordings offices use, by the builder preset's status they mean.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "見学会からの新規引合い",
        &[
            "見学会",
            "完成見学会",
            "見学会引合い",
            "見学会来場",
            "オープンハウス",
            "構造見学会",
            "イベント",
        ],
    ),
    (
        "WEBからの新規引合い",
        &[
            "HP問合せ",
            "HP",
            "WEB",
            "ネット",
            "ホームページ",
            "資料請求",
            "WEB問合せ",
            "ネット問合せ",
            "ネット問い合わせ",
            "メール問合せ",
        ],
    ),
    (
        "リアルな新規引合い",
        &[
            "来店",
            "来場",
            "電話",
            "飛込",
            "飛込み",
            "飛び込み",
            "電話問合せ",
            "新規",
            "紹介",
            "紹介客",
            "知人紹介",
        ],
    ),
    (
        "商談中",
        &[
            "商談",
            "見込",
            "見込客",
            "見込み",
            "検討中",
            "打合せ中",
            "プラン中",
        ],
    ),
    (
        "管理客",
        &[
            "管理",
            "将来",
            "将来客",
            "そのうち客",
            "そのうち",
            "いずれ",
            "休眠",
            // An owner visited for an inspection the office still nurtures.
            "点検",
            "定期点検",
            // A lost deal is nurtured: the office may win the next one.
            "失注",
            "育成",
            "フォロー",
            "長期",
        ],
    ),
    (
        "契約",
        &["契約済", "成約", "着工", "着工中", "工事中", "契約済み"],
    ),
    (
        "新築OB客",
        &["OB新築", "新築OB", "OB", "新築", "新築オーナー"],
    ),
    (
        "リフォームOB客",
        &[
            "リフォームOB",
            "OBリフォーム",
            "リフォーム",
            "リフォーム済",
            "リフォOB",
        ],
    ),
    ("その他OB", &["その他OB", "OBその他"]),
    (
        "停止",
        &[
            "対象外",
            "連絡不要",
            "取引停止",
            "クレーム",
            "中止",
            "停止中",
            "不要",
            "NG",
        ],
    ),
];

/// The words that mark a status cell as "no DM" as well (名簿ソフトの
/// 「管理客（DM不要）」).
const DM_MARKERS: &[&str] = &[
    "DM不要",
    "DM不可",
    "DM停止",
    "DMなし",
    "発送停止",
    "送付しない",
    "喪中",
];

/// Splits "管理客（DM不要）" into the status text and the DM opt-out flag.
pub fn strip_dm_marker(value: &str) -> (String, bool) {
    let folded = daicho_text::fold_width(value);
    for marker in DM_MARKERS {
        if let Some(pos) = folded.find(marker) {
            let mut rest = folded.clone();
            rest.replace_range(pos..pos + marker.len(), "");
            let rest = rest
                .replace("()", "")
                .replace("（）", "")
                .trim()
                .to_string();
            return (rest, true);
        }
    }
    (folded.trim().to_string(), false)
}

/// The synonyms table with every wording folded once.
fn folded_synonyms() -> &'static [(&'static str, Vec<String>)] {
    static TABLE: OnceLock<Vec<(&'static str, Vec<String>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        SYNONYMS
            .iter()
            .map(|(name, words)| (*name, words.iter().map(|w| header_key(w)).collect()))
            .collect()
    })
}

/// A status value without what offices add around the status itself: a
/// note in brackets (資料請求(HP)), the honorific of OB様, the year or era of
/// an event (2019年見学会, H30見学会, 令和4年完成見学会) and a grade (見込B).
fn without_decorations(value: &str) -> String {
    let folded = daicho_text::fold_width(value.trim());
    // 資料請求(HP), 見学会(R4): the note in brackets says where or when.
    let unnoted = crate::columns::without_notes(&folded);
    let folded = if unnoted.trim().is_empty() {
        folded
    } else {
        unnoted
    };
    let (name, _) = daicho_text::name::strip_honorific(&folded);
    let era = ["明治", "大正", "昭和", "平成", "令和"]
        .iter()
        .find_map(|e| name.strip_prefix(e))
        .or_else(|| name.strip_prefix(['M', 'T', 'S', 'H', 'R', 'm', 't', 's', 'h', 'r']))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let after_era = era.unwrap_or(name);
    let digits = after_era.len()
        - after_era
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let dated = (era.is_some() && digits > 0) || digits == 4;
    let rest = after_era[digits..]
        .strip_prefix("年度")
        .or_else(|| after_era[digits..].strip_prefix('年'))
        .unwrap_or(&after_era[digits..]);
    let undated = if dated && !rest.trim().is_empty() {
        rest.trim()
    } else {
        name
    };
    // 見込A, 見込B: the office's grade after the status word.
    let graded = undated
        .strip_suffix(['A', 'B', 'C', 'D', 'a', 'b', 'c', 'd'])
        .filter(|rest| rest.chars().last().is_some_and(|c| !c.is_ascii()));
    graded.unwrap_or(undated).to_string()
}

/// The status a value means, or `None` when it cannot be told.
pub fn map_status<'a>(value: &str, statuses: &'a [Status]) -> Option<&'a Status> {
    let key = header_key(&without_decorations(value));
    if key.is_empty() {
        return None;
    }
    let active = || statuses.iter().filter(|s| !s.retired);
    if let Some(s) = active().find(|s| header_key(&s.name) == key) {
        return Some(s);
    }
    for (name, words) in folded_synonyms() {
        if words.contains(&key) {
            if let Some(s) = active().find(|s| s.name == *name) {
                return Some(s);
            }
        }
    }
    // 新築ＯＢ → 新築OB客: the value inside a status name or the reverse; the
    // closest in length wins.
    active()
        .filter(|s| {
            let name = header_key(&s.name);
            key.chars().count() >= 2 && (name.contains(&key) || key.contains(&name))
        })
        .min_by_key(|s| {
            header_key(&s.name)
                .chars()
                .count()
                .abs_diff(key.chars().count())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use daicho_ledger::Stage;

    fn statuses() -> Vec<Status> {
        [
            "見学会からの新規引合い",
            "WEBからの新規引合い",
            "リアルな新規引合い",
            "商談中",
            "管理客",
            "契約",
            "新築OB客",
            "リフォームOB客",
            "その他OB",
            "停止",
        ]
        .iter()
        .enumerate()
        .map(|(i, n)| Status {
            id: i as i64 + 1,
            name: n.to_string(),
            stage: Stage::Inquiry,
            dm_allowed: true,
            color: String::new(),
            position: i as i64,
            retired: false,
        })
        .collect()
    }

    #[test]
    fn wordings_map_to_statuses() {
        let list = statuses();
        for (value, expected) in [
            ("ＨＰ問合せ", "WEBからの新規引合い"),
            ("ＯＢ（新築）", "新築OB客"),
            ("対象外", "停止"),
            ("ﾘﾌｫｰﾑOB", "リフォームOB客"),
            ("新築ＯＢ", "新築OB客"),
            ("契約済", "契約"),
            ("完成見学会", "見学会からの新規引合い"),
            ("商談", "商談中"),
            ("管理", "管理客"),
            ("連絡不要", "停止"),
            ("リフォームＯＢ", "リフォームOB客"),
            ("そのうち客", "管理客"),
            ("web問合せ", "WEBからの新規引合い"),
            ("ＯＢ様", "新築OB客"),
            ("ﾘﾌｫｰﾑOB様", "リフォームOB客"),
            ("休眠", "管理客"),
            ("失注", "管理客"),
            ("着工中", "契約"),
            ("ネット問合せ", "WEBからの新規引合い"),
            ("2019年見学会", "見学会からの新規引合い"),
            ("H30見学会", "見学会からの新規引合い"),
            ("令和4年完成見学会", "見学会からの新規引合い"),
            ("R5見学会", "見学会からの新規引合い"),
            ("見込B", "商談中"),
            ("資料請求(HP)", "WEBからの新規引合い"),
            ("見学会(R4)", "見学会からの新規引合い"),
            ("2023見学会", "見学会からの新規引合い"),
            ("点検", "管理客"),
            ("紹介", "リアルな新規引合い"),
            ("来場", "リアルな新規引合い"),
        ] {
            assert_eq!(
                map_status(value, &list).map(|s| s.name.as_str()),
                Some(expected),
                "{value}"
            );
        }
        assert_eq!(map_status("よくわからない", &list), None);
    }

    #[test]
    fn dm_markers_inside_status_text() {
        assert_eq!(
            strip_dm_marker("管理客（DM不要）"),
            ("管理客".to_string(), true)
        );
        assert_eq!(strip_dm_marker("契約"), ("契約".to_string(), false));
        assert_eq!(strip_dm_marker("発送停止"), (String::new(), true));
    }
}
