//! Choosing the applications of an Azure 2019 replay from their popularity.
//!
//! Apps are ranked by invocations over the replayed days and minutes, most
//! first, ties broken by name, so the choice is deterministic.

use crate::ir::workload::AppSelection;

use super::super::error::TraceError;
use super::super::names::NameTable;
use super::scan::AppEntry;

/// Which apps take part, as one flag per app of `apps`, and a warning when
/// the selection asks for more applications than there are to choose
/// from (all are then replayed: `top(300)` of a trace of 3).
///
/// `Quantile { low, high, count }` takes the ranks `floor(low * n)` up to (not
/// including) `ceil(high * n)`; with a `count` smaller than that band, the
/// `i`-th chosen app is the one at `floor((i + 0.5) * band / count)` into the band.
pub(super) fn select(
    apps: &[AppEntry],
    ids: &NameTable,
    selection: &AppSelection,
    file: &str,
) -> Result<(Vec<bool>, Option<String>), TraceError> {
    let mut chosen = vec![false; apps.len()];
    let mut short = None;
    match selection {
        AppSelection::All => chosen.fill(true),
        AppSelection::Top(n) => {
            if *n > apps.len() as u64 {
                short = Some(format!(
                    "`apps top({n})` asks for more applications than the replayed days hold ({}): all are replayed",
                    apps.len()
                ));
            }
            for id in ranking(apps)
                .into_iter()
                .take(usize::try_from(*n).unwrap_or(usize::MAX))
            {
                chosen[id] = true;
            }
        }
        AppSelection::Quantile { low, high, count } => {
            if !(0.0..=1.0).contains(low) || !(0.0..=1.0).contains(high) || low > high {
                return Err(TraceError::bad_option(
                    format!("the popularity band {low}..{high} is not within 0..1"),
                    "give two quantiles with 0 <= low <= high <= 1, 0 being the most popular app",
                ));
            }
            let ranked = ranking(apps);
            let n = ranked.len() as f64;
            let from = ((low * n).floor() as usize).min(ranked.len());
            let to = ((high * n).ceil() as usize).clamp(from, ranked.len());
            let band = &ranked[from..to];
            match count {
                Some(count) if (*count as usize) < band.len() => {
                    let count = *count as usize;
                    for i in 0..count {
                        let at = ((i as f64 + 0.5) * band.len() as f64 / count as f64) as usize;
                        chosen[band[at.min(band.len() - 1)]] = true;
                    }
                }
                _ => {
                    if let Some(count) = count.filter(|c| *c as usize > band.len()) {
                        short = Some(format!(
                            "`apps quantile({low}..{high}, {count})` asks for more applications than its band holds ({}): all are replayed",
                            band.len()
                        ));
                    }
                    band.iter().for_each(|&id| chosen[id] = true)
                }
            }
        }
        AppSelection::Named(names) => {
            let mut unknown = Vec::new();
            for name in names {
                match ids.get(name.as_bytes()) {
                    Some(id) => chosen[id as usize] = true,
                    None => unknown.push(name.as_str()),
                }
            }
            if !unknown.is_empty() {
                // Every unknown name at once, so one run shows them all.
                return Err(TraceError::unknown_apps(&unknown, file));
            }
        }
    }
    Ok((chosen, short))
}

/// App ids, most invocations first, ties by name.
fn ranking(apps: &[AppEntry]) -> Vec<usize> {
    let mut ids: Vec<usize> = (0..apps.len()).collect();
    ids.sort_by(|&a, &b| {
        apps[b]
            .total
            .cmp(&apps[a].total)
            .then_with(|| apps[a].name.cmp(&apps[b].name))
    });
    ids
}

#[cfg(test)]
mod tests {
    use super::super::super::error::TraceErrorKind;
    use super::*;

    fn apps(totals: &[u64]) -> (Vec<AppEntry>, NameTable) {
        let mut ids = NameTable::default();
        let apps = totals
            .iter()
            .enumerate()
            .map(|(i, &total)| {
                let name = format!("a{i}");
                ids.intern(name.as_bytes());
                AppEntry {
                    name,
                    total,
                    memory: None,
                }
            })
            .collect();
        (apps, ids)
    }

    fn chosen(totals: &[u64], selection: AppSelection) -> Vec<usize> {
        let (apps, ids) = apps(totals);
        let (flags, _) = select(&apps, &ids, &selection, "f").unwrap();
        (0..flags.len()).filter(|&i| flags[i]).collect()
    }

    #[test]
    fn top_takes_the_most_popular() {
        assert_eq!(chosen(&[5, 9, 1, 9], AppSelection::Top(2)), vec![1, 3]);
        assert_eq!(chosen(&[5, 9], AppSelection::Top(10)), vec![0, 1]);
    }

    /// Asking for more applications than there are replays all of them,
    /// and says so; asking for fewer says nothing.
    #[test]
    fn a_selection_beyond_the_trace_is_told() {
        let (apps, ids) = apps(&[5, 9, 1, 9]);
        let short = |selection| select(&apps, &ids, &selection, "f").unwrap().1;
        let told = short(AppSelection::Top(10)).expect("told");
        assert!(told.contains("`apps top(10)`") && told.contains("hold (4)"), "{told}");
        assert_eq!(short(AppSelection::Top(4)), None);
        let band = |count| AppSelection::Quantile {
            low: 0.0,
            high: 0.5,
            count: Some(count),
        };
        let told = short(band(3)).expect("told");
        assert!(told.contains("its band holds (2)"), "{told}");
        assert_eq!(short(band(2)), None);
    }

    #[test]
    fn quantile_bands_spread_their_count() {
        let totals: Vec<u64> = (0..10).rev().collect(); // app i has rank i
        let band = AppSelection::Quantile {
            low: 0.2,
            high: 0.6,
            count: None,
        };
        assert_eq!(chosen(&totals, band), vec![2, 3, 4, 5]);
        let spread = AppSelection::Quantile {
            low: 0.0,
            high: 1.0,
            count: Some(2),
        };
        assert_eq!(chosen(&totals, spread), vec![2, 7]);
    }

    #[test]
    fn bad_bands_and_unknown_names_are_errors() {
        let (apps, ids) = apps(&[1, 2]);
        let band = AppSelection::Quantile {
            low: 0.8,
            high: 0.2,
            count: None,
        };
        let error = select(&apps, &ids, &band, "f").unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::BadOption { .. }));
        let named = AppSelection::Named(vec!["a1".into(), "zz".into()]);
        let error = select(&apps, &ids, &named, "f").unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::UnknownApp { .. }));
    }
}
