//! Which registrations make one function's line in the results. A function
//! invoked with several memories (`with { memory 256MB }` and `1GB`, or a
//! trace whose rows ask for several) runs one registration per memory,
//! each named as the function; a reader of `summary.json`, the printed
//! tables, `runs.csv` or `series-functions.csv` knows one function, so its
//! registrations in one service are summed into one line (the cost alone
//! keeps a line per memory, which its `memory` tells apart).

use indexmap::IndexMap;

/// The registrations of each function of each service, in the order of
/// their first registration; `registrations` gives each registration's
/// service and function name, in registration order.
pub fn by_function<'a>(registrations: impl IntoIterator<Item = (u32, &'a str)>) -> Vec<Vec<usize>> {
    let mut functions: IndexMap<(u32, &str), Vec<usize>> = IndexMap::new();
    for (registration, key) in registrations.into_iter().enumerate() {
        functions.entry(key).or_default().push(registration);
    }
    functions.into_values().collect()
}

/// The sum of the values of `registrations`, from the first one's (the
/// sum of one registration is its value as it is, to the bit).
pub fn sum<T: Clone>(registrations: &[usize], value: impl Fn(usize) -> T, add: impl Fn(&mut T, &T)) -> Option<T> {
    let (first, rest) = registrations.split_first()?;
    let mut total = value(*first);
    for r in rest {
        add(&mut total, &value(*r));
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrations_of_one_name_in_one_service_are_one_function() {
        let registrations = [(0, "work"), (0, "other"), (0, "work"), (1, "work"), (0, "work")];
        assert_eq!(by_function(registrations), vec![vec![0, 2, 4], vec![1], vec![3]]);
        assert_eq!(sum(&[0, 2, 4], |r| r as f64, |t, v| *t += v), Some(6.0));
        // One registration's value is kept as it is, a negative zero too.
        let kept = sum(&[1], |_| -0.0f64, |t, v| *t += v).expect("one");
        assert!(kept.is_sign_negative());
        assert_eq!(sum(&[], |r| r, |t, v| *t += v), None);
    }
}
