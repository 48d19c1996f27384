//! Export in the templates' own columns (issue 16, §3): what is stored,
//! written as the row an import reads back into the same records — the
//! applications' procedure as its step columns, so that re-import replays
//! the same events through the engine.

use super::ImportKind;
use super::applications::step_column;
use super::cells::{Cell, excel_serial_of};
use super::headers::*;
use super::labels;
use crate::domain::application::{Application, Event};
use crate::domain::disclosure::{Category, Disclosure};
use crate::domain::workflow::EventKind;

/// A row being filled in by header, then laid out in the template's order.
struct Row {
    kind: ImportKind,
    cells: Vec<Cell>,
}

impl Row {
    fn new(kind: ImportKind) -> Self {
        Row {
            kind,
            cells: vec![Cell::Empty; kind.columns().len()],
        }
    }

    fn set(&mut self, header: &str, cell: Cell) {
        let at = self
            .kind
            .columns()
            .iter()
            .position(|spec| spec.header == header)
            .expect("a column of the template");
        self.cells[at] = cell;
    }

    fn text(&mut self, header: &str, value: Option<&str>) {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            self.set(header, Cell::Text(value.to_owned()));
        }
    }

    fn date(&mut self, header: &str, day: chrono::NaiveDate) {
        self.set(header, Cell::Date(excel_serial_of(day)));
    }
}

/// A published disclosure as a row of the catalogue template.
pub fn disclosure_row(
    disclosure: &Disclosure,
    organization_code: &str,
    category: &Category,
) -> Vec<Cell> {
    let mut row = Row::new(ImportKind::Disclosures);
    let content = &disclosure.content;
    row.text(TITLE, Some(&content.title));
    row.text(ORGANIZATION_CODE, Some(organization_code));
    row.text(CATEGORY, Some(&category.name));
    row.date(FORMED_ON, content.formed_on);
    if let Some(day) = disclosure.published_on {
        row.date(PUBLISHED_ON, day);
    }
    row.text(DOC_NUMBER, content.doc_number.as_deref());
    row.text(INDEX_NO, disclosure.index_no.as_deref());
    row.text(BODY, Some(&content.body));
    row.cells
}

/// An application as a row of the ledger template, and the steps of its
/// history the template has no column for (a second correction, a
/// deadline set by the organ), which the row leaves out.
pub fn application_row(application: &Application, events: &[Event]) -> (Vec<Cell>, Vec<String>) {
    let mut row = Row::new(ImportKind::Applications);
    let applicant = &application.applicant;
    let number = application
        .external_no
        .as_deref()
        .unwrap_or(&application.tracking_no);
    row.text(EXTERNAL_NO, Some(number));
    row.text(
        APPLICANT_TYPE,
        Some(labels::applicant_type_label(applicant.kind)),
    );
    row.text(APPLICANT_NAME, Some(&applicant.name));
    row.text(ID_TYPE, applicant.id_type.map(labels::id_type_label));
    row.text(ID_NUMBER, applicant.id_number.as_deref());
    row.text(PHONE, applicant.phone.as_deref());
    row.text(EMAIL, applicant.email.as_deref());
    row.text(ADDRESS, applicant.address.as_deref());
    row.text(CHANNEL, Some(labels::channel_label(application.channel)));
    row.date(RECEIVED_ON, application.received_on);
    row.text(DESCRIPTION, Some(&application.description));
    let mut left_out = Vec::new();
    let mut written: Vec<EventKind> = Vec::new();
    for event in events {
        match event.kind {
            // What the clock did by itself, and files: no step of the procedure.
            EventKind::Received | EventKind::DeadlineRecalculated | EventKind::AttachmentAdded => {}
            kind => match step_column(kind) {
                Some(column) if !written.contains(&kind) => {
                    written.push(kind);
                    row.date(column, event.on);
                    if kind == EventKind::Extended {
                        row.text(EXTENSION_REASON, event.note.as_deref());
                    }
                }
                _ => left_out.push(format!(
                    "{number}：{} {} 的环节无法写入模板",
                    event.on,
                    kind.as_str()
                )),
            },
        }
    }
    if let Some(fee) = application.fee_yuan {
        row.set(FEE_YUAN, Cell::Number(f64::from(fee)));
    }
    if let Some(outcome) = application
        .outcome
        .filter(|_| application.closed_on.is_some())
    {
        row.text(OUTCOME, Some(&labels::outcome_label_short(outcome)));
    }
    row.text(REPLY, application.reply.as_deref());
    (row.cells, left_out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::applicant::{ApplicantType, Channel, IdDocumentType};
    use crate::domain::application::Applicant;
    use crate::domain::calendar::tests::{announced, day};
    use crate::domain::import::applications::{ApplicationContext, check};
    use crate::domain::workflow::{Outcome, Status};

    fn event(kind: EventKind, on: &str, note: Option<&str>) -> Event {
        Event {
            id: 0,
            application_id: 1,
            kind,
            on: day(on),
            recorded_at: chrono::DateTime::UNIX_EPOCH,
            actor_id: None,
            note: note.map(str::to_owned),
            override_due_on: None,
        }
    }

    fn application() -> Application {
        Application {
            id: 1,
            organization_id: 5,
            tracking_no: "QSZ-2025-00007".into(),
            external_no: None,
            channel: Channel::Letter,
            applicant: Applicant {
                kind: ApplicantType::NaturalPerson,
                name: "李四".into(),
                id_type: Some(IdDocumentType::ResidentId),
                id_number: Some("11010519491231002X".into()),
                phone: Some("13812345678".into()),
                email: None,
                address: Some("青石镇一路1号".into()),
            },
            applicant_key: None,
            description: "请公开青石镇2024年采购合同".into(),
            status: Status::Closed,
            outcome: Some(Outcome::PartiallyDisclosed),
            received_on: day("2025-01-24"),
            due_on: day("2025-03-27"),
            due_on_provisional: false,
            clock_running: false,
            extended: true,
            deadline_overridden: false,
            closed_on: Some(day("2025-03-20")),
            closed_on_time: Some(true),
            reply: Some("部分公开".into()),
            fee_yuan: Some(80),
            request_fingerprint: None,
            version: 7,
        }
    }

    /// The row export writes checks back (as import checks it) into the
    /// same intake and the same steps; what has no column is named.
    #[test]
    fn an_application_goes_out_as_the_row_import_reads() {
        let events = [
            event(EventKind::Received, "2025-01-24", None),
            event(EventKind::FeeRequested, "2025-01-27", None),
            event(EventKind::FeePaid, "2025-02-05", None),
            event(EventKind::AttachmentAdded, "2025-02-05", None),
            event(EventKind::Extended, "2025-02-20", Some("需调取档案")),
            event(EventKind::Closed, "2025-03-20", None),
        ];
        let application = application();
        let (cells, left_out) = application_row(&application, &events);
        assert!(left_out.is_empty(), "{left_out:?}");
        let calendar = announced();
        let context = ApplicationContext {
            organization_id: 5,
            calendar: &calendar,
            today: day("2026-01-05"),
        };
        let map = ColumnMap::template(ImportKind::Applications.columns());
        let (row, problems) = check(&map, &cells, 2, &context);
        assert!(problems.is_empty(), "{problems:?}");
        let row = row.expect("the row checks");
        assert_eq!(row.external_no, "QSZ-2025-00007", "the tracking number");
        assert_eq!(row.intake.applicant, application.applicant);
        assert_eq!(row.intake.channel, Channel::Letter);
        assert_eq!(row.intake.description, application.description);
        assert_eq!(
            (row.fee_yuan, row.reply.as_deref()),
            (Some(80), Some("部分公开"))
        );
        let steps: Vec<(EventKind, chrono::NaiveDate, Option<&str>)> = row
            .events
            .iter()
            .map(|e| (e.event.kind, e.event.on, e.note.as_deref()))
            .collect();
        let expected: Vec<_> = events
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Received | EventKind::AttachmentAdded))
            .map(|e| (e.kind, e.on, e.note.as_deref()))
            .collect();
        assert_eq!(steps, expected);
        assert_eq!(row.deadline.outcome, Some(Outcome::PartiallyDisclosed));
        assert_eq!(row.deadline.closed_on_time(), Some(true));

        // A second correction and a deadline set by the organ have no column.
        let mut events = events.to_vec();
        events.insert(1, event(EventKind::CorrectionRequested, "2025-01-25", None));
        events.insert(2, event(EventKind::CorrectionReceived, "2025-01-26", None));
        events.insert(3, event(EventKind::CorrectionRequested, "2025-01-26", None));
        events.push(event(EventKind::DeadlineOverridden, "2025-03-01", None));
        let (_, left_out) = application_row(&application, &events);
        assert_eq!(left_out.len(), 2, "{left_out:?}");
        assert!(left_out[0].starts_with("QSZ-2025-00007：2025-01-26 CORRECTION_REQUESTED"));
    }

    #[test]
    fn a_disclosure_goes_out_with_its_index_number_and_category_name() {
        use crate::domain::disclosure::{DisclosureContent, DisclosureStatus};
        let disclosure = Disclosure {
            id: 3,
            organization_id: 5,
            category_id: 9,
            content: DisclosureContent {
                title: "青石镇2025年部门预算".into(),
                doc_number: None,
                body: "全文".into(),
                formed_on: day("2025-03-04"),
            },
            status: DisclosureStatus::Published,
            index_no: Some("QSZ/2025-00008".into()),
            published_at: None,
            published_on: Some(day("2025-03-10")),
            withdrawn_at: None,
            withdrawal_reason: None,
            listed_at: chrono::DateTime::UNIX_EPOCH,
            version: 1,
        };
        let category = Category {
            id: 9,
            code: "BMYS".into(),
            name: "部门预算".into(),
            parent_id: None,
        };
        let cells = disclosure_row(&disclosure, "QSZ", &category);
        let texts: Vec<Option<String>> = cells.iter().map(Cell::text).collect();
        let dates: Vec<Option<chrono::NaiveDate>> =
            cells.iter().map(|c| c.date().ok().flatten()).collect();
        assert_eq!(texts[0].as_deref(), Some("青石镇2025年部门预算"));
        assert_eq!(texts[1].as_deref(), Some("QSZ"));
        assert_eq!(texts[2].as_deref(), Some("部门预算"));
        assert_eq!(dates[3], Some(day("2025-03-04")));
        assert_eq!(dates[4], Some(day("2025-03-10")));
        assert_eq!(texts[5], None);
        assert_eq!(texts[6].as_deref(), Some("QSZ/2025-00008"));
        assert_eq!(texts[7].as_deref(), Some("全文"));
    }
}
