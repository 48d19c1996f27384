//! Who applies and how (Art. 29): applicant types, identity documents and
//! contact details, normalised and checked at intake.

use chrono::Datelike;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::workflow::stored_enum;
use crate::error::{AppError, AppResult};

stored_enum!(
    /// The columns of the annual report's table 三.
    ApplicantType {
        NaturalPerson = "NATURAL_PERSON",
        CommercialEnterprise = "COMMERCIAL_ENTERPRISE",
        ResearchInstitution = "RESEARCH_INSTITUTION",
        SocialWelfareOrganization = "SOCIAL_WELFARE_ORGANIZATION",
        LegalServiceOrganization = "LEGAL_SERVICE_ORGANIZATION",
        OtherOrganization = "OTHER_ORGANIZATION",
    }
);

stored_enum!(
    Channel {
        Online = "ONLINE",
        InPerson = "IN_PERSON",
        Letter = "LETTER",
        Fax = "FAX",
        Email = "EMAIL",
        Oral = "ORAL",
    }
);

stored_enum!(
    IdDocumentType {
        ResidentId = "RESIDENT_ID",
        UnifiedSocialCreditCode = "UNIFIED_SOCIAL_CREDIT_CODE",
        Passport = "PASSPORT",
        HkMacaoPermit = "HK_MACAO_PERMIT",
        TaiwanPermit = "TAIWAN_PERMIT",
        ForeignPermanentResidentId = "FOREIGN_PERMANENT_RESIDENT_ID",
        Other = "OTHER",
    }
);

impl ApplicantType {
    /// A natural person proves identity with a resident ID, an organisation
    /// with its unified social credit code, unless told otherwise.
    pub fn default_id_type(self) -> IdDocumentType {
        match self {
            ApplicantType::NaturalPerson => IdDocumentType::ResidentId,
            _ => IdDocumentType::UnifiedSocialCreditCode,
        }
    }
}

const ID_FIELD: &str = "idNumber";

/// GB 11643: 17 digits, a valid birth date, and the ISO 7064 MOD 11-2 check character.
pub(crate) fn check_resident_id(number: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = number.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let birth_ok = chrono::NaiveDate::parse_from_str(&number[6..14], "%Y%m%d")
        .is_ok_and(|birth| birth.year() >= 1900);
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    birth_ok && bytes[17] == CHECK[(sum % 11) as usize]
}

/// GB 32100: 18 characters of its alphabet, the last a check character.
fn check_credit_code(code: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let values: Option<Vec<usize>> = code.chars().map(|c| ALPHABET.find(c)).collect();
    let Some(values) = values.filter(|v| v.len() == 18) else {
        return false;
    };
    let sum: usize = values[..17].iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    values[17] == (31 - sum % 31) % 31
}

/// Normalises an identity document number (spaces removed, upper case)
/// and checks it against its type.
pub fn normalize_id_number(kind: IdDocumentType, raw: &str) -> AppResult<String> {
    let number: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let alphanumeric = |min: usize, max: usize| {
        (min..=max).contains(&number.len()) && number.chars().all(|c| c.is_ascii_alphanumeric())
    };
    let (valid, message) = match kind {
        IdDocumentType::ResidentId => (check_resident_id(&number), "居民身份证号码有误，请核对"),
        IdDocumentType::UnifiedSocialCreditCode => {
            (check_credit_code(&number), "统一社会信用代码有误，请核对")
        }
        IdDocumentType::Passport => (alphanumeric(5, 17), "护照号码应为5到17位字母或数字"),
        IdDocumentType::HkMacaoPermit => (
            alphanumeric(9, 11) && number.starts_with(['H', 'M']),
            "港澳居民来往内地通行证号码应以H或M开头",
        ),
        IdDocumentType::TaiwanPermit => (
            alphanumeric(8, 10) && number.chars().all(|c| c.is_ascii_digit()),
            "台湾居民来往大陆通行证号码应为8到10位数字",
        ),
        IdDocumentType::ForeignPermanentResidentId => (
            (number.len() == 15 || number.len() == 18) && alphanumeric(15, 18),
            "外国人永久居留身份证号码应为15或18位",
        ),
        IdDocumentType::Other => (
            (1..=30).contains(&number.chars().count()) && !number.chars().any(char::is_control),
            "证件号码应为1到30个字符",
        ),
    };
    if valid {
        Ok(number)
    } else {
        Err(AppError::bad_input(ID_FIELD, message))
    }
}

/// A phone number, stripped of spaces, dashes and the +86 prefix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub number: String,
    /// A mainland mobile number (1[3-9] and 9 digits): masked as 3 + 4.
    pub mobile: bool,
}

pub fn normalize_phone(raw: &str) -> AppResult<Phone> {
    let compact: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let number = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .unwrap_or(&compact)
        .to_owned();
    let digits = number.chars().all(|c| c.is_ascii_digit());
    let bytes = number.as_bytes();
    let mobile =
        digits && bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
    if mobile || (digits && (7..=12).contains(&number.len()) && !number.starts_with('1')) {
        Ok(Phone { number, mobile })
    } else {
        Err(AppError::bad_input(
            "phone",
            "电话号码有误：手机号为11位，固定电话为7到12位数字",
        ))
    }
}

pub fn check_email(raw: &str) -> AppResult<String> {
    let email = raw.trim().to_owned();
    let shape_ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if shape_ok {
        Ok(email)
    } else {
        Err(AppError::bad_input("email", "电子邮箱格式有误"))
    }
}

/// Trims a free-text field, bounds its length in characters and refuses
/// control characters (line breaks allowed where `multiline`). None when empty.
pub fn check_text(
    field: &str,
    raw: Option<&str>,
    max_chars: usize,
    multiline: bool,
) -> AppResult<Option<String>> {
    let Some(text) = raw.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let bad_char = text
        .chars()
        .any(|c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')));
    if bad_char {
        return Err(AppError::bad_input(field, "不能含有控制字符"));
    }
    if text.chars().count() > max_chars {
        return Err(AppError::bad_input(
            field,
            format!("不能超过{max_chars}个字"),
        ));
    }
    Ok(Some(text.to_owned()))
}

/// A keyed hash of the normalised document number: the same applicant can be
/// recognised (fees start at the 11th application in a month) without the
/// number itself being compared or indexed.
pub fn applicant_key(key: &[u8], kind: IdDocumentType, normalized_number: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(kind.as_str().as_bytes());
    mac.update(b":");
    mac.update(normalized_number.as_bytes());
    hex(&mac.finalize().into_bytes())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IdDocumentType as T;

    #[test]
    fn identity_documents() {
        // (type, input, normalised or None when refused)
        let cases = [
            (
                T::ResidentId,
                "11010519491231002X",
                Some("11010519491231002X"),
            ),
            (
                T::ResidentId,
                "11010519491231002x",
                Some("11010519491231002X"),
            ),
            (
                T::ResidentId,
                " 440113 19900307 1235 ",
                Some("440113199003071235"),
            ),
            (T::ResidentId, "440113199003071234", None),
            (T::ResidentId, "11010519491231002", None),
            (T::ResidentId, "110105194912310021", None), // wrong check character
            (T::ResidentId, "110105194913310026", None), // month 13
            (T::ResidentId, "11010519491231003X", None),
            (
                T::UnifiedSocialCreditCode,
                "91350100M000100Y43",
                Some("91350100M000100Y43"),
            ),
            (T::UnifiedSocialCreditCode, "91350100M000100Y44", None),
            (T::UnifiedSocialCreditCode, "91350100M000100I43", None), // I is not in the alphabet
            (T::Passport, "E12345678", Some("E12345678")),
            (T::Passport, "E1", None),
            (T::HkMacaoPermit, "H12345678", Some("H12345678")),
            (T::HkMacaoPermit, "X12345678", None),
            (T::TaiwanPermit, "12345678", Some("12345678")),
            (T::TaiwanPermit, "1234567A", None),
            (
                T::ForeignPermanentResidentId,
                "USA123456789012",
                Some("USA123456789012"),
            ),
            (T::ForeignPermanentResidentId, "USA1234", None),
            (T::Other, "军官证 12345", Some("军官证12345")),
        ];
        for (kind, input, expected) in cases {
            let got = normalize_id_number(kind, input);
            assert_eq!(got.as_deref().ok(), expected, "{kind:?} {input}");
            if let Err(AppError::BadUserInput { field, .. }) = got {
                assert_eq!(field, "idNumber");
            }
        }
    }

    #[test]
    fn phones() {
        // (input, normalised, mobile) or refused
        let cases = [
            ("13812345678", Some(("13812345678", true))),
            ("+86 138-1234-5678", Some(("13812345678", true))),
            ("0086 13812345678", Some(("13812345678", true))),
            ("020-84781234", Some(("02084781234", false))),
            ("84781234", Some(("84781234", false))),
            ("12812345678", None),
            ("1381234567", None),
            ("138123456789", None),
            ("phone", None),
        ];
        for (input, expected) in cases {
            let got = normalize_phone(input).ok();
            assert_eq!(
                got,
                expected.map(|(n, m)| Phone {
                    number: n.into(),
                    mobile: m
                }),
                "{input}"
            );
        }
    }

    #[test]
    fn emails_and_texts() {
        for (email, ok) in [
            ("zhang@example.cn", true),
            (" zhang@example.cn ", true),
            ("zhang@example", false),
            ("@example.cn", false),
            ("zh ang@example.cn", false),
            ("a@b@example.cn", false),
        ] {
            assert_eq!(check_email(email).is_ok(), ok, "{email}");
        }
        assert_eq!(
            check_text("address", Some("  广州市番禺区  "), 10, false)
                .unwrap()
                .as_deref(),
            Some("广州市番禺区")
        );
        assert_eq!(check_text("address", Some("   "), 10, false).unwrap(), None);
        assert!(check_text("address", Some("广州市番禺区南村镇兴业大道"), 10, false).is_err());
        assert!(check_text("applicantName", Some("张\u{0}三"), 10, false).is_err());
        assert!(check_text("description", Some("第一行\n第二行"), 100, true).is_ok());
        assert!(check_text("applicantName", Some("第一行\n第二行"), 100, false).is_err());
    }

    #[test]
    fn applicant_keys_are_keyed_and_stable() {
        let one = applicant_key(b"key", T::ResidentId, "11010519491231002X");
        assert_eq!(
            one,
            applicant_key(b"key", T::ResidentId, "11010519491231002X")
        );
        assert_ne!(
            one,
            applicant_key(b"other key", T::ResidentId, "11010519491231002X")
        );
        assert!(!one.contains("1101051949"));
        assert_eq!(one.len(), 64);
    }
}
