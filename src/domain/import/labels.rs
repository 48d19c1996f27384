//! The Chinese names ledgers give the applicant types, document types,
//! channels and outcomes; the first name of each is the one export writes.
//! Outcomes are named as the annual report's table 三 prints them.

use crate::domain::applicant::{ApplicantType, Channel, IdDocumentType};
use crate::domain::report::{APPLICANT_TYPE_HEADERS, outcome_label};
use crate::domain::workflow::{Outcome, StoredEnum};

fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

/// The value named `text` by a label of `table`, or by its stored code.
fn find<T: StoredEnum>(table: &[(T, &[&str])], text: &str) -> Option<T> {
    let text = squeeze(text);
    table
        .iter()
        .find(|(_, names)| names.iter().any(|n| squeeze(n) == text))
        .map(|(value, _)| *value)
        .or_else(|| T::parse(&text.to_uppercase()))
}

const APPLICANT_SYNONYMS: [&[&str]; 6] = [
    &["个人", "公民"],
    &["企业", "公司"],
    &[],
    &["公益组织"],
    &["律师事务所"],
    &["其他组织", "其他法人或非法人组织"],
];

pub fn applicant_type(text: &str) -> Option<ApplicantType> {
    let text = squeeze(text);
    ApplicantType::ALL
        .iter()
        .zip(APPLICANT_TYPE_HEADERS.iter().zip(APPLICANT_SYNONYMS))
        .find(|(_, (label, synonyms))| **label == text || synonyms.contains(&text.as_str()))
        .map(|(kind, _)| *kind)
        .or_else(|| ApplicantType::parse(&text.to_uppercase()))
}

pub fn applicant_type_label(kind: ApplicantType) -> &'static str {
    ApplicantType::ALL
        .iter()
        .position(|k| *k == kind)
        .map_or("其他", |i| APPLICANT_TYPE_HEADERS[i])
}

const ID_TYPES: &[(IdDocumentType, &[&str])] = &[
    (IdDocumentType::ResidentId, &["居民身份证", "身份证"]),
    (
        IdDocumentType::UnifiedSocialCreditCode,
        &["统一社会信用代码", "营业执照"],
    ),
    (IdDocumentType::Passport, &["护照"]),
    (
        IdDocumentType::HkMacaoPermit,
        &["港澳居民来往内地通行证", "港澳通行证"],
    ),
    (
        IdDocumentType::TaiwanPermit,
        &["台湾居民来往大陆通行证", "台胞证"],
    ),
    (
        IdDocumentType::ForeignPermanentResidentId,
        &["外国人永久居留身份证"],
    ),
    (IdDocumentType::Other, &["其他"]),
];

pub fn id_type(text: &str) -> Option<IdDocumentType> {
    find(ID_TYPES, text)
}

pub fn id_type_label(kind: IdDocumentType) -> &'static str {
    label(ID_TYPES, kind)
}

const CHANNELS: &[(Channel, &[&str])] = &[
    (
        Channel::Online,
        &["网上申请", "网上", "在线", "互联网", "网站"],
    ),
    (Channel::InPerson, &["当面", "当面提交", "现场", "窗口"]),
    (Channel::Letter, &["信函", "邮寄", "来信"]),
    (Channel::Fax, &["传真"]),
    (Channel::Email, &["电子邮件", "邮件"]),
    (Channel::Oral, &["口头"]),
];

pub fn channel(text: &str) -> Option<Channel> {
    find(CHANNELS, text)
}

pub fn channel_label(channel: Channel) -> &'static str {
    label(CHANNELS, channel)
}

fn label<T: StoredEnum + PartialEq>(table: &[(T, &[&'static str])], value: T) -> &'static str {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or("", |(_, names)| names[0])
}

/// An outcome by the label of its table 三 row: in full
/// ("（三）不予公开 1.属于国家秘密"), without the numbering ("属于国家秘密",
/// "不予公开 属于国家秘密"), or as its code.
pub fn outcome(text: &str) -> Option<Outcome> {
    let text = squeeze(text);
    let forms = |outcome: Outcome| {
        let full = squeeze(outcome_label(outcome));
        // "(三)不予公开1.属于国家秘密" → "不予公开1.属于国家秘密"
        let unnumbered = full
            .split_once(')')
            .map_or(full.clone(), |(_, r)| r.to_owned());
        let item = unnumbered.split_once('.').map(|(_, item)| item.to_owned());
        let group_and_item = item.as_ref().map(|item| {
            let group: String = unnumbered
                .chars()
                .take_while(|c| !c.is_ascii_digit())
                .collect();
            format!("{group}{item}")
        });
        // "(二)部分公开(区分处理的…)": the short name before the explanation.
        let short = unnumbered
            .split_once('(')
            .map(|(short, _)| short.to_owned());
        [Some(full), Some(unnumbered), item, group_and_item, short]
    };
    Outcome::ALL
        .iter()
        .find(|o| forms(**o).iter().flatten().any(|form| *form == text))
        .copied()
        .or_else(|| Outcome::parse(&text.to_uppercase()))
}

/// The label export writes: the row's name without its numbering.
pub fn outcome_label_short(outcome: Outcome) -> String {
    let label = outcome_label(outcome);
    let unnumbered = label.split_once('）').map_or(label, |(_, rest)| rest);
    unnumbered
        .split_once('（')
        .map_or(unnumbered, |(short, _)| short)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names() {
        // (text, expected)
        let cases = [
            ("予以公开", Some(Outcome::Disclosed)),
            ("（一）予以公开", Some(Outcome::Disclosed)),
            ("部分公开", Some(Outcome::PartiallyDisclosed)),
            ("属于国家秘密", Some(Outcome::WithheldStateSecret)),
            (
                "不予公开 1.属于国家秘密",
                Some(Outcome::WithheldStateSecret),
            ),
            ("不予公开属于国家秘密", Some(Outcome::WithheldStateSecret)),
            (
                "本机关不掌握相关政府信息",
                Some(Outcome::UnavailableNotHeld),
            ),
            ("重复申请", Some(Outcome::NotProcessedRepeated)),
            ("其他", Some(Outcome::Other)),
            ("DISCLOSED", Some(Outcome::Disclosed)),
            ("unavailable_not_held", Some(Outcome::UnavailableNotHeld)),
            ("已答复", None),
        ];
        for (text, expected) in cases {
            assert_eq!(outcome(text), expected, "{text}");
        }
        // What export writes reads back as the same outcome, for every row.
        for o in Outcome::ALL {
            assert_eq!(outcome(&outcome_label_short(*o)), Some(*o), "{o:?}");
        }
    }

    #[test]
    fn applicant_channel_and_document_names() {
        assert_eq!(applicant_type("自然人"), Some(ApplicantType::NaturalPerson));
        assert_eq!(
            applicant_type("企业"),
            Some(ApplicantType::CommercialEnterprise)
        );
        assert_eq!(
            applicant_type("法律服务机构"),
            Some(ApplicantType::LegalServiceOrganization)
        );
        assert_eq!(applicant_type("外星人"), None);
        assert_eq!(channel("当面"), Some(Channel::InPerson));
        assert_eq!(channel("网上申请"), Some(Channel::Online));
        assert_eq!(channel("EMAIL"), Some(Channel::Email));
        assert_eq!(id_type("身份证"), Some(IdDocumentType::ResidentId));
        assert_eq!(
            id_type("营业执照"),
            Some(IdDocumentType::UnifiedSocialCreditCode)
        );
        for kind in ApplicantType::ALL {
            assert_eq!(applicant_type(applicant_type_label(*kind)), Some(*kind));
        }
        for c in Channel::ALL {
            assert_eq!(channel(channel_label(*c)), Some(*c));
        }
        for t in IdDocumentType::ALL {
            assert_eq!(id_type(id_type_label(*t)), Some(*t));
        }
    }
}
