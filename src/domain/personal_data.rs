//! The personal-data check before publication (docs/DESIGN.md,
//! "Documents"): resident ID numbers with a valid check character (GB
//! 11643, the intake's own check), and lists of people — three or more
//! distinct mobile numbers in one text. One contact mobile, office
//! numbers, e-mail addresses and unified social credit codes are normal in
//! a notice and not flagged: false alarms would teach approvers to click
//! through.

use super::applicant::{IdDocumentType, check_resident_id};
use super::masking;

/// Mobiles from this many distinct numbers in one text are a roster.
pub const ROSTER_MOBILES: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    ResidentId,
    MobileList,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ResidentId => "RESIDENT_ID",
            FindingKind::MobileList => "MOBILE_LIST",
        }
    }
}

/// What the check found in one text, with a masked sample.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub sample: String,
}

/// The runs of ASCII digits (and a trailing X for IDs) in `text`, each whole.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || (c == 'X' || c == 'x') && run.len() == 17 {
            run.push(c.to_ascii_uppercase());
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

fn is_mobile(run: &str) -> bool {
    run.len() == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9')
}

/// The findings of one text: each valid resident ID (once), and one
/// roster finding when it holds three or more distinct mobiles.
pub fn scan(text: &str) -> Vec<Finding> {
    let runs = digit_runs(text);
    let mut findings = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    let mut mobiles: Vec<&str> = Vec::new();
    for run in &runs {
        if check_resident_id(run) && !ids.contains(&run.as_str()) {
            ids.push(run);
            findings.push(Finding {
                kind: FindingKind::ResidentId,
                sample: masking::id_number(IdDocumentType::ResidentId, run),
            });
        } else if is_mobile(run) && !mobiles.contains(&run.as_str()) {
            mobiles.push(run);
        }
    }
    if mobiles.len() >= ROSTER_MOBILES {
        findings.push(Finding {
            kind: FindingKind::MobileList,
            sample: format!(
                "{} 等{}个手机号码",
                masking::phone(mobiles[0], true),
                mobiles.len()
            ),
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use FindingKind::*;

    #[test]
    fn what_is_flagged_and_what_is_not() {
        let kinds = |text: &str| scan(text).iter().map(|f| f.kind).collect::<Vec<_>>();
        #[rustfmt::skip]
        let cases: [(&str, Vec<FindingKind>); 9] = [
            ("申请人张三，身份证号11010519491231002X。", vec![ResidentId]),
            ("身份证号 110105194912310021（校验位错）", vec![]),
            ("联系人：李四，电话13812345678，邮箱 office@nancun.gov.cn", vec![]),
            ("办公电话020-84712345，传真 020-84712346", vec![]),
            ("统一社会信用代码 11440113007482960P", vec![]),
            ("13812345678 13912345678", vec![]),
            ("名单：13812345678、13912345678、15012345678", vec![MobileList]),
            ("13812345678、13812345678、13812345678", vec![]),
            ("订单号 113812345678901", vec![]),
        ];
        for (text, want) in cases {
            assert_eq!(kinds(text), want, "{text}");
        }
        let found = scan("11010519491231002X 与 11010519491231002X");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].sample, "110105********002X");
        let roster = scan("13812345678，13912345678，15012345678");
        assert_eq!(roster[0].sample, "138****5678 等3个手机号码");
    }
}
