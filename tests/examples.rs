//! Every example program checks cleanly; its IR is snapshotted, so a change
//! in what a script means shows up in review.

use crate::support;

#[test]
fn examples_check_and_lower() {
    insta::glob!("../examples", "**/*.sls", |path| {
        if path.starts_with(support::root().join(support::CUSTOM_POLICY)) {
            // Its policies are registered by its program (tests/custom_policy.rs).
            return;
        }
        let checked = support::check_file(path);
        match checked.program {
            Ok(program) => insta::assert_yaml_snapshot!(program),
            Err(diagnostics) => panic!(
                "{} does not check:\n{}",
                support::relative(path).display(),
                diagnostics.render(&checked.sources, false, 80)
            ),
        }
    });
}
