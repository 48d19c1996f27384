//! The reply notice (政府信息公开申请答复告知书): the letter that ends every
//! application, in the words of Art. 36 of the Regulations for its outcome,
//! with its legal basis (docs/DESIGN.md's table) and the remedies of Art. 51.
//!
//! Pure: the text is a function of the facts. It holds the applicant's name,
//! so nothing here logs, and callers log only ids.

use chrono::{Datelike, NaiveDate};

use super::organization::{Organization, OrganizationKind};
use super::workflow::Outcome;

const REGULATIONS: &str = "《中华人民共和国政府信息公开条例》";

/// What Art. 36 says for an outcome: the decision and the articles it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub wording: &'static str,
    /// The articles of the Regulations cited, e.g. "第三十六条第（三）项、第十四条";
    /// None where the basis is practice or as recorded (OTHER).
    pub basis: Option<&'static str>,
}

/// The decision's wording and basis for an outcome; `consulted` says a
/// third party was asked (Art. 32), which a third-party refusal then cites.
pub fn decision(outcome: Outcome, consulted: bool) -> Decision {
    use Outcome::*;
    let (wording, basis) = match outcome {
        Disclosed => (
            "您申请的政府信息属于可以公开的政府信息，本机关予以公开，现向您提供该政府信息（或者告知您获取该政府信息的方式、途径和时间）。",
            Some("第三十六条第（二）项"),
        ),
        PartiallyDisclosed => (
            "您申请的信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理。本机关向您提供可以公开的政府信息内容，并对不予公开的内容说明理由。",
            Some("第三十七条"),
        ),
        WithheldStateSecret => (
            "您申请的政府信息属于依法确定为国家秘密的政府信息，本机关决定不予公开。",
            Some("第三十六条第（三）项、第十四条"),
        ),
        WithheldProhibitedByLaw => (
            "您申请的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。",
            Some("第三十六条第（三）项、第十四条"),
        ),
        WithheldSecurityStability => (
            "您申请的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。",
            Some("第三十六条第（三）项、第十四条"),
        ),
        WithheldThirdPartyRights => (
            "您申请的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。",
            Some(if consulted {
                "第三十六条第（三）项、第十五条、第三十二条"
            } else {
                "第三十六条第（三）项、第十五条"
            }),
        ),
        WithheldInternalAffairs => (
            "您申请的信息属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等），本机关决定不予公开。",
            Some("第三十六条第（三）项、第十六条第一款"),
        ),
        WithheldProcessInformation => (
            "您申请的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。",
            Some("第三十六条第（三）项、第十六条第二款"),
        ),
        WithheldEnforcementCaseFile => (
            "您申请的信息属于行政执法案卷信息，本机关决定不予公开。",
            Some("第三十六条第（三）项、第十六条第二款"),
        ),
        WithheldAdministrativeInquiry => (
            "您申请的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定，请您依照有关法律、行政法规的规定办理。",
            Some("第三十六条第（七）项"),
        ),
        UnavailableNotHeld => (
            "经检索，本机关没有您申请公开的政府信息，该政府信息不存在；所申请信息不属于本机关负责公开的，能够确定负责公开该政府信息的行政机关时，其名称和联系方式见下文。",
            Some("第三十六条第（四）项、第（五）项"),
        ),
        UnavailableNeedsCreation => (
            "您申请的信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
            Some("第三十八条"),
        ),
        UnavailableStillUnclear => (
            "本机关已告知您作出补正，补正后您的申请内容仍不明确，本机关无法提供。",
            Some("第三十条"),
        ),
        NotProcessedPetitionOrComplaint => (
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。",
            Some("第三十九条第一款"),
        ),
        NotProcessedRepeated => (
            "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理。",
            Some("第三十六条第（六）项"),
        ),
        NotProcessedPublication => (
            "您申请获取的是政府公报、报刊、书籍等公开出版物，本机关告知您获取的途径。",
            Some("第三十九条第二款"),
        ),
        NotProcessedExcessive => (
            "您申请公开政府信息的数量、频次明显超过合理范围，且说明的理由不合理，本机关不予处理。",
            Some("第三十五条"),
        ),
        NotProcessedConfirmation => (
            "您要求本机关确认或者重新出具您已获取的信息，该请求不属于获取政府信息的申请，本机关不作为政府信息公开申请处理。",
            None,
        ),
        OtherCorrectionNotMade => (
            "本机关已告知您作出补正，您无正当理由逾期不补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
            Some("第三十条"),
        ),
        OtherFeeNotPaid => (
            "您逾期未按收费通知要求缴纳信息处理费，本机关不再处理该政府信息公开申请。",
            Some("第四十二条"),
        ),
        Other => ("本机关对您的申请处理如下。", None),
    };
    Decision { wording, basis }
}

/// The organ that hears an administrative review of the notice (行政复议法
/// 2023, Art. 24): the district government for a district department, the
/// organisation's parent otherwise; a district government's own notices go
/// to the government above, which this deployment does not hold.
pub fn review_organ(
    organization: &Organization,
    parent: Option<&Organization>,
    district: Option<&Organization>,
) -> String {
    match (organization.kind, parent, district) {
        (OrganizationKind::Department, _, Some(district)) => district.name.clone(),
        (_, Some(parent), _) => parent.name.clone(),
        _ => "上一级人民政府".to_owned(),
    }
}

/// Everything the notice says.
#[derive(Clone, Debug)]
pub struct NoticeFacts<'a> {
    /// The organisation's name, as it signs.
    pub organ: &'a str,
    pub review_organ: &'a str,
    pub tracking_no: &'a str,
    pub applicant_name: &'a str,
    pub received_on: NaiveDate,
    /// What was asked.
    pub request: &'a str,
    pub outcome: Outcome,
    /// A third party was consulted (Art. 32).
    pub consulted: bool,
    /// The clerk's reply: the decision's particulars.
    pub reply: Option<&'a str>,
    /// The closing day (or, for a preview, today).
    pub closed_on: NaiveDate,
}

/// A day as a letter writes it: 2026年3月5日.
pub fn chinese_date(day: NaiveDate) -> String {
    format!("{}年{}月{}日", day.year(), day.month(), day.day())
}

pub const TITLE: &str = "政府信息公开申请答复告知书";

/// The remedies paragraph (Art. 51; 行政复议法 Art. 20; 行政诉讼法 Art. 46).
pub fn remedies(review_organ: &str) -> String {
    format!(
        "如您认为本机关在政府信息公开工作中侵犯您的合法权益，可以依照{REGULATIONS}第五十一条，\
         向上一级行政机关或者政府信息公开工作主管部门投诉、举报；\
         也可以自知道该行政行为之日起60日内向{review_organ}申请行政复议（《中华人民共和国行政复议法》第二十条），\
         或者自知道或者应当知道作出行政行为之日起6个月内向有管辖权的人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条）。"
    )
}

/// The request as quoted inside a sentence that ends with its own full
/// stop: the applicant's own closing full stop is dropped, so that the
/// letter does not read "……情况。”。".
fn quoted_request(request: &str) -> &str {
    request
        .trim()
        .trim_end_matches(['。', '.', '．', '；', ';'])
        .trim_end()
}

/// The notice as paragraphs (the DOCX renders one paragraph each; the text
/// joins them with blank lines). The first is the organ, the second the title.
pub fn paragraphs(facts: &NoticeFacts<'_>) -> Vec<String> {
    let decision = decision(facts.outcome, facts.consulted);
    let mut out = vec![
        facts.organ.to_owned(),
        TITLE.to_owned(),
        format!("编号：{}", facts.tracking_no),
        format!("{}：", facts.applicant_name),
        format!(
            "本机关于{}收到您提出的政府信息公开申请（编号：{}），您申请获取：“{}”。经审查，现答复如下：",
            chinese_date(facts.received_on),
            facts.tracking_no,
            quoted_request(facts.request)
        ),
        decision.wording.to_owned(),
    ];
    if let Some(reply) = facts.reply.map(str::trim).filter(|r| !r.is_empty()) {
        out.push(format!("具体情况：{reply}"));
    }
    if let Some(basis) = decision.basis {
        out.push(format!("依据：{REGULATIONS}{basis}。"));
    }
    out.push(remedies(facts.review_organ));
    out.push(facts.organ.to_owned());
    out.push(chinese_date(facts.closed_on));
    out
}

/// The notice's text (`Application.replyNoticeText`).
pub fn text(facts: &NoticeFacts<'_>) -> String {
    paragraphs(facts).join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::organization::OrgPlace;
    use Outcome::*;

    fn org(id: i64, name: &str, kind: OrganizationKind, parent: Option<i64>) -> Organization {
        Organization {
            id,
            code: format!("O{id}"),
            name: name.into(),
            kind,
            parent_id: parent,
            place: OrgPlace {
                id,
                lineage: parent.into_iter().chain([id]).collect(),
            },
            contact: Default::default(),
        }
    }

    fn facts(outcome: Outcome, consulted: bool) -> NoticeFacts<'static> {
        NoticeFacts {
            organ: "番禺区南村镇人民政府",
            review_organ: "广州市番禺区人民政府",
            tracking_no: "PYNC-2026-00012",
            applicant_name: "张三",
            received_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            request: "2025年村道修缮工程的预算",
            outcome,
            consulted,
            reply: Some("详见附件。"),
            closed_on: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
        }
    }

    /// Every outcome: the articles cited after 依据 (None: no basis line),
    /// DESIGN.md's table.
    #[test]
    fn each_outcome_cites_its_article() {
        #[rustfmt::skip]
        let table: [(Outcome, bool, Option<&str>); 22] = [
            (Disclosed,                       false, Some("第三十六条第（二）项")),
            (PartiallyDisclosed,              false, Some("第三十七条")),
            (WithheldStateSecret,             false, Some("第三十六条第（三）项、第十四条")),
            (WithheldProhibitedByLaw,         false, Some("第三十六条第（三）项、第十四条")),
            (WithheldSecurityStability,       false, Some("第三十六条第（三）项、第十四条")),
            (WithheldThirdPartyRights,        false, Some("第三十六条第（三）项、第十五条")),
            (WithheldThirdPartyRights,        true,  Some("第三十六条第（三）项、第十五条、第三十二条")),
            (WithheldInternalAffairs,         false, Some("第三十六条第（三）项、第十六条第一款")),
            (WithheldProcessInformation,      false, Some("第三十六条第（三）项、第十六条第二款")),
            (WithheldEnforcementCaseFile,     false, Some("第三十六条第（三）项、第十六条第二款")),
            (WithheldAdministrativeInquiry,   false, Some("第三十六条第（七）项")),
            (UnavailableNotHeld,              false, Some("第三十六条第（四）项、第（五）项")),
            (UnavailableNeedsCreation,        false, Some("第三十八条")),
            (UnavailableStillUnclear,         false, Some("第三十条")),
            (NotProcessedPetitionOrComplaint, false, Some("第三十九条第一款")),
            (NotProcessedRepeated,            false, Some("第三十六条第（六）项")),
            (NotProcessedPublication,         false, Some("第三十九条第二款")),
            (NotProcessedExcessive,           false, Some("第三十五条")),
            (NotProcessedConfirmation,        false, None),
            (OtherCorrectionNotMade,          false, Some("第三十条")),
            (OtherFeeNotPaid,                 false, Some("第四十二条")),
            (Other,                           false, None),
        ];
        let mut seen = std::collections::HashSet::new();
        for (outcome, consulted, basis) in table {
            seen.insert(outcome);
            let text = text(&facts(outcome, consulted));
            let cited = text
                .lines()
                .find_map(|l| l.strip_prefix("依据：《中华人民共和国政府信息公开条例》"))
                .map(|l| l.trim_end_matches('。'));
            assert_eq!(cited, basis, "{outcome:?}");
            assert!(text.contains(decision(outcome, consulted).wording));
            // The remedy paragraph, always, naming the review organ.
            let remedy = remedies("广州市番禺区人民政府");
            assert!(text.contains(&remedy), "{outcome:?}");
            for part in [
                "第五十一条",
                "60日内向广州市番禺区人民政府申请行政复议",
                "《中华人民共和国行政复议法》第二十条",
                "6个月内向有管辖权的人民法院提起行政诉讼",
                "《中华人民共和国行政诉讼法》第四十六条",
            ] {
                assert!(remedy.contains(part), "{part}");
            }
        }
        assert_eq!(seen.len(), Outcome::ALL.len(), "every outcome has a row");
    }

    #[test]
    fn the_letter_names_the_facts_in_order() {
        let text = text(&facts(Disclosed, false));
        let order = [
            "番禺区南村镇人民政府",
            TITLE,
            "编号：PYNC-2026-00012",
            "张三：",
            "本机关于2026年3月2日收到",
            "“2025年村道修缮工程的预算”",
            "予以公开",
            "具体情况：详见附件。",
            "依据：",
            "申请行政复议",
            "2026年3月20日",
        ];
        let mut from = 0;
        for part in order {
            let at = text[from..]
                .find(part)
                .unwrap_or_else(|| panic!("{part} after byte {from} in {text}"));
            from += at + part.len();
        }
        assert!(text.ends_with("番禺区南村镇人民政府\n\n2026年3月20日"));
        // No particulars line without a reply.
        let mut silent = facts(Other, false);
        silent.reply = Some("  ");
        assert!(!super::text(&silent).contains("具体情况"));
    }

    #[test]
    fn a_request_ending_in_a_full_stop_is_quoted_without_it() {
        for (request, quoted) in [
            ("2025年村道修缮工程的预算", "“2025年村道修缮工程的预算”。"),
            ("2025年村道修缮工程的预算。", "“2025年村道修缮工程的预算”。"),
            (" 预算情况。 ", "“预算情况”。"),
            ("预算情况.", "“预算情况”。"),
            ("预算情况；", "“预算情况”。"),
        ] {
            let mut asked = facts(Disclosed, false);
            asked.request = request;
            assert!(text(&asked).contains(quoted), "{request:?}");
        }
    }

    #[test]
    fn the_review_organ() {
        use OrganizationKind::*;
        let district = org(1, "广州市番禺区人民政府", District, None);
        let town = org(5, "番禺区南村镇人民政府", Town, Some(1));
        let bureau = org(7, "番禺区司法局", Department, Some(1));
        let sub = org(9, "番禺区司法局南村司法所", Department, Some(7));
        // (organisation, parent, district, review organ)
        let table = [
            (
                &town,
                Some(&district),
                Some(&district),
                "广州市番禺区人民政府",
            ),
            (
                &bureau,
                Some(&district),
                Some(&district),
                "广州市番禺区人民政府",
            ),
            (&sub, Some(&bureau), Some(&district), "广州市番禺区人民政府"),
            (&district, None, Some(&district), "上一级人民政府"),
        ];
        for (organization, parent, district, want) in table {
            assert_eq!(
                review_organ(organization, parent, district),
                want,
                "{}",
                organization.name
            );
        }
        // A street under a town answers to the town.
        let street = org(11, "某街道办事处", Street, Some(5));
        assert_eq!(
            review_organ(&street, Some(&town), Some(&district)),
            "番禺区南村镇人民政府"
        );
    }
}
