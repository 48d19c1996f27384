use sea_orm::entity::prelude::*;

/// A public catalogue filter known to match more than the count cap.
#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalogue_over_cap")]
pub struct Model {
    /// SHA-256 (hex) of the filter's canonical form.
    #[sea_orm(primary_key, auto_increment = false)]
    pub filter_key: String,
    pub recorded_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
