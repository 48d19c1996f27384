//! Canonical strings: the explicit text a stored key is hashed from (an
//! idempotency fingerprint, a memo key). It starts with a version and
//! names every field, so a new field is a conscious change of version, and
//! a key never depends on how Rust happens to print a value.

use sha2::{Digest, Sha256};

use super::applicant::hex;

/// `version` then `;name=value` per field, values escaped so that no two
/// different inputs write the same text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonical(String);

fn escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | ';' | '=' | ',' | '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

impl Canonical {
    pub fn new(version: &'static str) -> Self {
        Canonical(version.to_owned())
    }

    pub fn field(mut self, name: &'static str, value: &str) -> Self {
        self.0.push_str(&format!(";{name}={}", escape(value)));
        self
    }

    /// An absent value writes the name alone (unlike an empty one).
    pub fn optional(self, name: &'static str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.field(name, value),
            None => {
                let mut absent = self;
                absent.0.push_str(&format!(";{name}"));
                absent
            }
        }
    }

    pub fn list<'a>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let items: Vec<String> = values.into_iter().map(escape).collect();
        self.0.push_str(&format!(";{name}=[{}]", items.join(",")));
        self
    }

    /// An absent list writes the name alone (unlike an empty one).
    pub fn optional_list(self, name: &'static str, values: Option<&[String]>) -> Self {
        match values {
            Some(values) => self.list(name, values.iter().map(String::as_str)),
            None => self.optional(name, None),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The SHA-256 of the text, in hex.
    pub fn digest(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_and_escaped() {
        let text = Canonical::new("v1")
            .field("name", "a;b=c")
            .optional("absent", None)
            .optional("empty", Some(""))
            .list("terms", ["x,y", "[z]", "\\"])
            .optional_list("none", None)
            .optional_list("nothing", Some(&[]));
        assert_eq!(
            text.as_str(),
            r"v1;name=a\;b\=c;absent;empty=;terms=[x\,y,\[z\],\\];none;nothing=[]"
        );
        // Values that would read alike unescaped stay apart.
        let split = |a: &str, b: &str| Canonical::new("v1").field("a", a).field("b", b);
        assert_ne!(split("x;b=y", "").as_str(), split("x", "y;b=").as_str());
        let listed = |items: &[&str]| Canonical::new("v1").list("t", items.iter().copied());
        assert_ne!(listed(&["a,b"]).digest(), listed(&["a", "b"]).digest());
        assert_eq!(text.digest().len(), 64);
    }
}
