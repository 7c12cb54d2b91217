//! Record completeness (情報の充実度), after seed 004: about 30% once a first
//! call is logged, about 70% after a few meetings, 100% for a fully known
//! owner. Each item below adds its weight when present; they sum to 100
//! (`rules::completeness` is their sum in SQL).

/// (what, weight, SQL condition over `customers c`)
pub const WEIGHTS: [(&str, u32, &str); 17] = [
    ("氏名", 10, "c.family_name <> ''"),
    ("フリガナ", 5, "c.family_kana <> ''"),
    ("電話または携帯", 10, "(c.phone <> '' OR c.mobile <> '')"),
    ("反響元", 5, "c.source <> ''"),
    (
        "対応履歴が1件以上",
        5,
        "EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = c.id)",
    ),
    (
        "郵便番号と住所",
        10,
        "(c.postal_code <> '' AND c.address1 <> '')",
    ),
    ("メール", 5, "c.email <> ''"),
    ("担当者", 5, "c.staff_id IS NOT NULL"),
    ("見込み度", 5, "c.grade IS NOT NULL"),
    ("建築時期", 5, "c.build_timing IS NOT NULL"),
    ("予算", 5, "c.budget_man_yen IS NOT NULL"),
    ("土地", 5, "c.land IS NOT NULL"),
    ("生年月日", 5, "c.birthday IS NOT NULL"),
    ("性別", 5, "c.gender IS NOT NULL"),
    (
        "家族",
        5,
        "EXISTS (SELECT 1 FROM household_members m WHERE m.customer_id = c.id)",
    ),
    (
        "対応履歴が3件以上",
        5,
        "(SELECT count(*) FROM contacts k WHERE k.customer_id = c.id) >= 3",
    ),
    (
        "案件",
        5,
        "EXISTS (SELECT 1 FROM projects p WHERE p.customer_id = c.id)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_sum_to_one_hundred() {
        assert_eq!(WEIGHTS.iter().map(|(_, w, _)| w).sum::<u32>(), 100);
    }

    /// Seed 004's first call: name, kana, phone, source and one contact.
    #[test]
    fn a_first_call_is_about_thirty_percent() {
        let first_call: u32 = WEIGHTS[..5].iter().map(|(_, w, _)| w).sum();
        assert_eq!(first_call, 35);
    }
}
