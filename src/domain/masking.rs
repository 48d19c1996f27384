//! Personal data as OVERSIGHT sees it (docs/DESIGN.md, "Masked personal data").
//! Counted in characters, not bytes: names and addresses are Chinese. A value
//! too short for its rule shows no more than the rule allows.

use super::applicant::IdDocumentType;

fn keep(value: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail {
        // Too short to show both ends: show only the head, if anything.
        let shown = head.min(chars.len().saturating_sub(1));
        return chars[..shown].iter().collect::<String>() + &"*".repeat(chars.len() - shown);
    }
    let middle = chars.len() - head - tail;
    chars[..head].iter().collect::<String>()
        + &"*".repeat(middle)
        + &chars[chars.len() - tail..].iter().collect::<String>()
}

/// 张三丰 → 张**: the first character, every other one a `*`.
pub fn name(value: &str) -> String {
    let mut chars = value.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_string() + &"*".repeat(chars.count())
    })
}

/// Resident IDs keep the first 6 and last 4; other documents the first and the last 2.
pub fn id_number(kind: IdDocumentType, value: &str) -> String {
    match kind {
        IdDocumentType::ResidentId => keep(value, 6, 4),
        _ => keep(value, 1, 2),
    }
}

/// Mobiles keep 3 + 4 (138****5678); other numbers only the last 4.
pub fn phone(value: &str, mobile: bool) -> String {
    if mobile {
        keep(value, 3, 4)
    } else {
        keep(value, 0, 4)
    }
}

/// z***@example.cn: the first character of the local part, then the domain.
pub fn email(value: &str) -> String {
    match value.split_once('@') {
        Some((local, domain)) => {
            format!(
                "{}***@{domain}",
                local.chars().next().map(String::from).unwrap_or_default()
            )
        }
        None => "***".to_owned(),
    }
}

/// The first 6 characters, then `****`.
pub fn address(value: &str) -> String {
    value.chars().take(6).collect::<String>() + "****"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_formats() {
        let cases = [
            (name("张三丰"), "张**"),
            (name("欧阳娜娜"), "欧***"),
            (name("李"), "李"),
            (name("Zhang Wei"), "Z********"),
            (
                id_number(IdDocumentType::ResidentId, "440113199003071234"),
                "440113********1234",
            ),
            (
                id_number(IdDocumentType::Passport, "E12345678"),
                "E******78",
            ),
            (
                id_number(
                    IdDocumentType::UnifiedSocialCreditCode,
                    "91350100M000100Y43",
                ),
                "9***************43",
            ),
            (id_number(IdDocumentType::Other, "AB1"), "A**"),
            (phone("13812345678", true), "138****5678"),
            (phone("02084781234", false), "*******1234"),
            (phone("1234", false), "****"),
            (email("zhang@example.cn"), "z***@example.cn"),
            (email("张三@例子.中国"), "张***@例子.中国"),
            (
                address("广州市番禺区南村镇兴业大道123号"),
                "广州市番禺区****",
            ),
            (address("南村镇"), "南村镇****"),
        ];
        for (masked, expected) in cases {
            assert_eq!(masked, expected);
        }
    }

    #[test]
    fn short_values_never_show_more_than_the_rule() {
        assert_eq!(
            id_number(IdDocumentType::ResidentId, "4401131234"),
            "440113****"
        );
        assert_eq!(id_number(IdDocumentType::Passport, "E12"), "E**");
        assert_eq!(phone("138", true), "13*");
    }
}
