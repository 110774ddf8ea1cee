//! Every example program checks cleanly, without a warning but the one a
//! WRENCH example means; its IR is snapshotted, so a change in what a
//! script means shows up in review.

use crate::support;

#[test]
fn examples_check_and_lower() {
    insta::glob!("../examples", "**/*.sls", |path| {
        if path.starts_with(support::root().join(support::CUSTOM_POLICY)) {
            // Its policies are registered by its program (tests/custom_policy.rs).
            return;
        }
        let checked = support::check_file(path);
        // Its two services share a node on purpose: WRENCH's services each
        // count the node as their own, and the example reproduces its dates.
        let meant = path.ends_with("wrench/image_download_simulation.sls");
        let codes: Vec<&str> = checked.warnings.0.iter().map(|w| w.code.as_str()).collect();
        let expected: &[&str] = if meant { &["sls::shared_compute_hosts"] } else { &[] };
        assert_eq!(
            codes,
            expected,
            "{}:\n{}",
            support::relative(path).display(),
            checked.warnings.render(&checked.sources, false, 80)
        );
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
