//! Rules about the code itself, checked on its source.

use std::path::{Path, PathBuf};

use regex::Regex;

/// The lines of `source` that decide by role: a comparison with a role, or
/// a match arm on one, except the arms that convert one role type into
/// another (the pattern of the before-stop hook's check 4c).
fn role_decisions(source: &str) -> Vec<(usize, &str)> {
    let decides = Regex::new(r"(==|!=)\s*Role::|Role::\w+\s*(=>|\|)").unwrap();
    let converts = Regex::new(r"Role::\w+\s*=>\s*(\w+::)*(\w*Role|Self)::\w+\s*,?$").unwrap();
    source
        .lines()
        .enumerate()
        .filter(|(_, line)| decides.is_match(line) && !converts.is_match(line))
        .map(|(index, line)| (index + 1, line))
        .collect()
}

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn the_pattern_finds_role_decisions_and_spares_conversions() {
    let source = "if actor.role == Role::Oversight {\n\
                  Role::Admin | Role::Oversight => subtree(),\n\
                  Role::Clerk => DomainRole::Clerk,\n\
                  RoleArg::Admin => Role::Admin,\n";
    let lines: Vec<usize> = role_decisions(source).iter().map(|(n, _)| *n).collect();
    assert_eq!(lines, [1, 2]);
}

/// Who may do what is decided in src/domain/policy.rs alone; everything
/// else asks it (`authorize`, `reach`).
#[test]
fn no_role_decision_outside_the_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let policy = root.join("src/domain/policy.rs");
    let mut found = Vec::new();
    for file in files.iter().filter(|file| **file != policy) {
        let source = std::fs::read_to_string(file).unwrap();
        for (line, text) in role_decisions(&source) {
            let path = file.strip_prefix(root).unwrap().display();
            found.push(format!("{path}:{line}: {}", text.trim()));
        }
    }
    assert!(
        found.is_empty(),
        "decisions by role outside src/domain/policy.rs (ask the policy instead):\n{}",
        found.join("\n")
    );
}
