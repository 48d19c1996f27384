//! Intake (Art. 29): what a submission must hold, and when a retried
//! submission is the same one. The public form needs an identity document
//! and a contact; staff register what arrived on paper as it is, even
//! incomplete (the missing content is what a correction notice asks for).

use chrono::NaiveDate;

use super::applicant::{
    ApplicantType, Channel, IdDocumentType, check_email, check_text, normalize_id_number,
    normalize_phone,
};
use super::application::{Applicant, Application};
use super::canonical::Canonical;
use super::problems::Problems;
use crate::error::{AppError, AppResult};

const MAX_NAME_CHARS: usize = 100;
pub const MAX_CLIENT_REQUEST_ID_BYTES: usize = 100;
const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 5000;

/// An application as submitted, before any check.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub client_request_id: String,
    pub organization_id: i64,
    pub applicant_type: Option<ApplicantType>,
    pub applicant_name: String,
    pub id_type: Option<IdDocumentType>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub description: String,
    pub channel: Option<Channel>,
    pub received_on: Option<NaiveDate>,
}

/// The checked, normalised content of a submission: what the application
/// row records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intake {
    pub applicant: Applicant,
    pub description: String,
    pub channel: Channel,
    pub received_on: NaiveDate,
}

/// Fingerprints of this version start so; one of another version (or of
/// none: the `Debug` form stored before versions) is checked by content.
const FINGERPRINT_VERSION: &str = "v1:";

impl Submission {
    /// The channel it arrived by: the public form's is ONLINE, and staff
    /// register in person unless told otherwise.
    pub fn channel(&self, anonymous: bool) -> AppResult<Channel> {
        let channel = self.channel.unwrap_or(if anonymous {
            Channel::Online
        } else {
            Channel::InPerson
        });
        if anonymous && channel != Channel::Online {
            return Err(AppError::bad_input(
                "channel",
                "网上申请的渠道只能是 ONLINE",
            ));
        }
        Ok(channel)
    }

    /// Checks the submission of an anonymous caller (the public form) or of
    /// staff, received `today` unless staff say otherwise. Every invalid
    /// field is reported at once (`Problems`).
    pub fn check(&self, anonymous: bool, today: NaiveDate) -> AppResult<Intake> {
        let mut problems = Problems::default();
        let request_id = self.client_request_id.trim();
        if request_id.is_empty() || request_id.len() > MAX_CLIENT_REQUEST_ID_BYTES {
            problems.add("clientRequestId", "clientRequestId 应为1到100个字符");
        }
        let channel = problems.take(self.channel(anonymous));
        let received_on = match self.received_on {
            Some(_) if anonymous => {
                problems.add("receivedOn", "网上申请的收到日期由系统记录");
                today
            }
            Some(day) if day > today => {
                problems.add("receivedOn", "收到日期不能晚于今天");
                today
            }
            Some(day) => day,
            None => today,
        };
        let kind = self.applicant_type.unwrap_or(ApplicantType::NaturalPerson);
        let name = problems
            .take(check_text(
                "applicantName",
                Some(&self.applicant_name),
                MAX_NAME_CHARS,
                false,
            ))
            .map(|name| {
                name.ok_or_else(|| AppError::bad_input("applicantName", "请填写申请人姓名或名称"))
            })
            .and_then(|name| problems.take(name));
        let description = problems
            .take(check_text(
                "description",
                Some(&self.description),
                MAX_DESCRIPTION_CHARS,
                true,
            ))
            .map(|text| {
                text.ok_or_else(|| AppError::bad_input("description", "请描述所需政府信息"))
            })
            .and_then(|text| problems.take(text));
        let id_number = self
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let id_type = self.id_type.unwrap_or(kind.default_id_type());
        let (id_type, id_number) = match id_number {
            Some(raw) => (
                Some(id_type),
                problems.take(normalize_id_number(id_type, raw)),
            ),
            None if anonymous => {
                problems.add("idNumber", "请提供身份证件号码");
                (None, None)
            }
            None => (self.id_type, None),
        };
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|raw| {
                problems
                    .take(normalize_phone(raw))
                    .map(|phone| phone.number)
            });
        let email = self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|raw| problems.take(check_email(raw)));
        let address = problems
            .take(check_text(
                "address",
                self.address.as_deref(),
                MAX_ADDRESS_CHARS,
                false,
            ))
            .flatten();
        // A contact that was given but is invalid is reported as such, not
        // as a missing contact.
        if anonymous && phone.is_none() && email.is_none() && address.is_none() {
            problems.add(
                "phone",
                "请至少提供一种联系方式（电话、电子邮箱或通信地址）",
            );
        }
        problems.finish()?;
        // Every check passed: each value is there.
        let (Some(channel), Some(name), Some(description)) = (channel, name, description) else {
            return Err(AppError::internal("a checked submission lost a value"));
        };
        Ok(Intake {
            applicant: Applicant {
                kind,
                name,
                id_type,
                id_number,
                phone: phone.flatten(),
                email: email.flatten(),
                address,
            },
            description,
            channel,
            received_on,
        })
    }
}

impl Intake {
    /// What an application recorded of the submission that created it.
    fn recorded(application: &Application) -> Intake {
        Intake {
            applicant: application.applicant.clone(),
            description: application.description.clone(),
            channel: application.channel,
            received_on: application.received_on,
        }
    }

    /// The text the fingerprint hashes: every field by name. A new field
    /// means a new version (and `is_replay_of` keeps older ones working).
    fn canonical(&self) -> Canonical {
        let applicant = &self.applicant;
        let received_on = self.received_on.to_string();
        Canonical::new("intake v1")
            .field("applicantType", applicant.kind.as_str())
            .field("applicantName", &applicant.name)
            .optional("idType", applicant.id_type.map(|t| t.as_str()))
            .optional("idNumber", applicant.id_number.as_deref())
            .optional("phone", applicant.phone.as_deref())
            .optional("email", applicant.email.as_deref())
            .optional("address", applicant.address.as_deref())
            .field("description", &self.description)
            .field("channel", self.channel.as_str())
            .field("receivedOn", &received_on)
    }

    /// Stored with the application: a replay with the same key must carry
    /// the same content.
    pub fn fingerprint(&self) -> String {
        format!("{FINGERPRINT_VERSION}{}", self.canonical().digest())
    }

    /// Whether `first`, recorded under the same client request id, came
    /// from this same content. A fingerprint of another version is not
    /// compared: the content `first` recorded is.
    ///
    /// `dated_by_server`: the submission named no day of receipt, so its
    /// day is the server's "today" — not part of what the client sent. A
    /// retry after midnight carries the same content and is the same
    /// submission, so the first's day stands in for it.
    pub fn is_replay_of(&self, first: &Application, dated_by_server: bool) -> bool {
        let mut sent = self.clone();
        if dated_by_server {
            sent.received_on = first.received_on;
        }
        match first.request_fingerprint.as_deref() {
            Some(stored) if stored.starts_with(FINGERPRINT_VERSION) => stored == sent.fingerprint(),
            _ => Intake::recorded(first) == sent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn online() -> Submission {
        Submission {
            client_request_id: "k1".into(),
            organization_id: 1,
            applicant_type: Some(ApplicantType::NaturalPerson),
            applicant_name: "张三".into(),
            id_number: Some("11010519491231002X".into()),
            phone: Some("13812345678".into()),
            description: "请公开2025年南村镇财政预算".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_public_form_needs_identity_and_a_contact() {
        let today = day("2026-11-26");
        let refused = |s: Submission, anonymous: bool| match s.check(anonymous, today) {
            Err(AppError::BadUserInput { field, .. }) => Some(field),
            Ok(_) => None,
            Err(other) => panic!("{other:?}"),
        };
        assert_eq!(refused(online(), true), None);
        assert_eq!(
            refused(
                Submission {
                    id_number: None,
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("idNumber")
        );
        assert_eq!(
            refused(
                Submission {
                    id_number: None,
                    ..online()
                },
                false
            ),
            None,
            "staff register paper as it is"
        );
        assert_eq!(
            refused(
                Submission {
                    phone: None,
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("phone")
        );
        assert_eq!(
            refused(
                Submission {
                    phone: None,
                    email: Some("z@example.cn".into()),
                    ..online()
                },
                true
            ),
            None
        );
        assert_eq!(
            refused(
                Submission {
                    channel: Some(Channel::Letter),
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("channel")
        );
        assert_eq!(
            refused(
                Submission {
                    received_on: Some(day("2026-11-20")),
                    ..online()
                },
                true
            )
            .as_deref(),
            Some("receivedOn")
        );
        assert_eq!(
            refused(
                Submission {
                    received_on: Some(day("2026-11-27")),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("receivedOn")
        );
        assert_eq!(
            refused(
                Submission {
                    description: " ".into(),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("description")
        );
        assert_eq!(
            refused(
                Submission {
                    description: "长".repeat(5001),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("description")
        );
        assert_eq!(
            refused(
                Submission {
                    id_number: Some("11010519491231002".into()),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("idNumber")
        );
        assert_eq!(
            refused(
                Submission {
                    phone: Some("12345".into()),
                    ..online()
                },
                false
            )
            .as_deref(),
            Some("phone")
        );
    }

    #[test]
    fn the_same_content_has_the_same_fingerprint() {
        let today = day("2026-11-26");
        let first = online().check(true, today).unwrap();
        let spaced = Submission {
            phone: Some("+86 138-1234-5678".into()),
            ..online()
        }
        .check(true, today)
        .unwrap();
        assert_eq!(
            first.fingerprint(),
            spaced.fingerprint(),
            "normalised before hashing"
        );
        let other = Submission {
            description: "另一个问题".into(),
            ..online()
        }
        .check(true, today)
        .unwrap();
        assert_ne!(first.fingerprint(), other.fingerprint());
    }

    /// The exact text the fingerprint hashes: changing it changes every
    /// stored fingerprint, so it is pinned here (and versioned).
    #[test]
    fn the_fingerprint_text_is_pinned() {
        let intake = online().check(true, day("2026-11-26")).unwrap();
        assert_eq!(
            intake.canonical().as_str(),
            "intake v1;applicantType=NATURAL_PERSON;applicantName=张三;idType=RESIDENT_ID;\
             idNumber=11010519491231002X;phone=13812345678;email;address;\
             description=请公开2025年南村镇财政预算;channel=ONLINE;receivedOn=2026-11-26"
        );
        assert!(intake.fingerprint().starts_with("v1:"));
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let today = day("2026-11-26");
        let fields = |s: Submission, anonymous: bool| match s.check(anonymous, today) {
            Ok(_) => Vec::new(),
            Err(err) => crate::domain::problems::fields_of(&err)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>(),
        };
        let cases = [
            (online(), true, vec![]),
            (
                Submission {
                    id_number: Some("110105194912310021".into()),
                    phone: Some("12345".into()),
                    description: "  ".into(),
                    ..online()
                },
                true,
                vec!["description", "idNumber", "phone"],
            ),
            (
                Submission {
                    client_request_id: " ".into(),
                    applicant_name: "".into(),
                    email: Some("not an e-mail".into()),
                    received_on: Some(day("2026-11-27")),
                    ..online()
                },
                false,
                vec!["clientRequestId", "receivedOn", "applicantName", "email"],
            ),
            (
                Submission {
                    id_number: None,
                    phone: None,
                    channel: Some(Channel::Letter),
                    ..online()
                },
                true,
                vec!["channel", "idNumber", "phone"],
            ),
        ];
        for (submission, anonymous, expected) in cases {
            assert_eq!(fields(submission, anonymous), expected);
        }
    }

    /// A fingerprint stored before versions (the `Debug` form) is checked by
    /// the content the application recorded.
    #[test]
    fn a_replay_is_recognised_across_fingerprint_versions() {
        let today = day("2026-11-26");
        let intake = online().check(true, today).unwrap();
        let recorded = |fingerprint: &str| Application {
            id: 1,
            organization_id: 1,
            tracking_no: "PYNC-2026-00001".into(),
            external_no: None,
            channel: intake.channel,
            applicant: intake.applicant.clone(),
            applicant_key: None,
            description: intake.description.clone(),
            status: crate::domain::workflow::Status::Received,
            outcome: None,
            received_on: intake.received_on,
            due_on: intake.received_on,
            due_on_provisional: false,
            clock_running: true,
            extended: false,
            deadline_overridden: false,
            closed_on: None,
            closed_on_time: None,
            reply: None,
            fee_yuan: None,
            request_fingerprint: Some(fingerprint.to_owned()),
            version: 1,
        };
        let legacy = "3f1c".repeat(16);
        assert!(intake.is_replay_of(&recorded(&intake.fingerprint()), true));
        assert!(intake.is_replay_of(&recorded(&legacy), true));
        let other = Submission {
            description: "另一个问题".into(),
            ..online()
        }
        .check(true, today)
        .unwrap();
        assert!(!other.is_replay_of(&recorded(&intake.fingerprint()), true));
        assert!(!other.is_replay_of(&recorded(&legacy), true));
        assert!(!intake.is_replay_of(&recorded(&format!("v1:{legacy}")), true));

        // A retry after midnight: the server dated it, the content is the same.
        let tomorrow = online().check(true, day("2026-11-27")).unwrap();
        for fingerprint in [intake.fingerprint(), legacy.clone()] {
            assert!(tomorrow.is_replay_of(&recorded(&fingerprint), true));
            // A day the client named is part of its content.
            assert!(!tomorrow.is_replay_of(&recorded(&fingerprint), false));
        }
    }
}
