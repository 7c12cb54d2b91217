//! The address-number part (住所表示番号) of Japan Post's customer barcode,
//! extracted by its published rule: the numbers of the block, lot and room,
//! kanji numerals before 丁目/番/号 (or after a number's 番地の) read as
//! digits, joined by hyphens; single letters next to them kept; runs of two
//! or more letters (building names) and floor marks dropped.

#[derive(Debug, PartialEq)]
enum Token {
    Number(String),
    Letter(char),
}

/// The address number of the street part and building part of an address
/// (everything after the city). Empty when there is no number.
pub fn address_number(street_and_building: &str) -> String {
    let text = daicho_text::address::arabic_blocks(&daicho_text::fold_width(street_and_building))
        .to_uppercase();
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            tokens.push(Token::Number(chars[start..i].iter().collect()));
            // A floor mark after a number (10F, 3階) is not part of the address.
            if i < chars.len()
                && (chars[i] == 'F' || chars[i] == '階')
                && !chars.get(i + 1).is_some_and(char::is_ascii_alphabetic)
            {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            if i - start == 1 {
                tokens.push(Token::Letter(c));
            }
            continue;
        }
        i += 1;
    }
    let mut out = String::new();
    let mut previous_number = false;
    for token in tokens {
        match token {
            Token::Number(n) => {
                if previous_number {
                    out.push('-');
                }
                out.push_str(&n);
                previous_number = true;
            }
            Token::Letter(l) => {
                out.push(l);
                previous_number = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Japan Post's own worked examples.
    #[test]
    fn the_rules_worked_examples() {
        assert_eq!(address_number("緑町3丁目30-8 郵便ビル403号"), "3-30-8-403");
        assert_eq!(address_number("台東5-6-3 ABCビル10F"), "5-6-3-10");
        assert_eq!(address_number("青野町綾部6-7 LプラザB106"), "6-7LB106");
    }

    #[test]
    fn kanji_numerals_before_block_words() {
        assert_eq!(address_number("緑町三丁目三十番八号"), "3-30-8");
        assert_eq!(address_number("三軒茶屋1-2-3"), "1-2-3");
        assert_eq!(address_number("大字山田百二十三番地の四"), "123-4");
        assert_eq!(address_number("一の宮町5-3"), "5-3");
        assert_eq!(address_number("本町2番 三井ビル"), "2");
        assert_eq!(
            address_number("桜新町１－２－３ コーポ桜１０１"),
            "1-2-3-101"
        );
    }

    #[test]
    fn nothing_to_extract() {
        assert_eq!(address_number("大字山田"), "");
    }
}
