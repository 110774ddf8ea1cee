//! Reading values: following parameter names, converting quantities to SI
//! with their dimension checked, counts, ranges, words from a fixed set,
//! strings and random distributions. Every wrong value is a diagnostic.

use crate::code::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::Distribution;
use crate::language::choices::Choices;
use crate::syntax::ast::{Expr, ExprKind, Quantity};
use crate::syntax::source::Span;

use super::context::Ctx;
use crate::language::units::{Dim, MAX_AMOUNT, MIN_RATE, SPELLINGS, UNITS, lookup, per_time};

/// How deep parameters may refer to parameters before it is called a cycle.
const MAX_PARAM_DEPTH: usize = 16;

/// The largest whole number a script may write (counts, bursts, users,
/// indices): exactly representable, and far beyond any run's capacity.
pub(crate) const MAX_COUNT: u64 = 1_000_000_000_000_000;

/// Words a value may be: what a bare name means when it is not a parameter.
pub(crate) fn describe_expr(expr: &Expr) -> &'static str {
    match &expr.kind {
        ExprKind::Quantity(_) => "a number",
        ExprKind::Str(_) => "a string",
        ExprKind::Name(_) => "a name",
        ExprKind::Path(_) => "a dotted name",
        ExprKind::Call { .. } => "a call",
        ExprKind::List(_) => "a list",
        ExprKind::Range(..) => "a range",
        ExprKind::Indexed { .. } => "an indexed name",
        ExprKind::Binary { .. } | ExprKind::Negative(_) => "a calculation",
    }
}

impl<'a> Ctx<'a> {
    /// Follows parameter names to the value they stand for. A name that is
    /// not a parameter is returned as is (it may be a word like `fcfs`).
    pub fn resolve<'e>(&mut self, expr: &'e Expr) -> Option<&'e Expr>
    where
        'a: 'e,
    {
        let mut current = expr;
        for _ in 0..MAX_PARAM_DEPTH {
            match &current.kind {
                ExprKind::Name(name) => match self.params.get(&name.name) {
                    Some(param) => current = &param.value,
                    None => return Some(current),
                },
                _ => return Some(current),
            }
        }
        self.error(
            Diagnostic::new(
                Code::ParamCycle,
                "parameters refer to each other in a cycle",
                expr.span,
                "this value never resolves",
            )
            .with_help("give one of the parameters a literal value"),
        );
        None
    }

    /// A diagnostic about a value, labelled where the value is written and,
    /// when it came through a parameter, where it is used.
    pub(super) fn value_error(&mut self, code: Code, message: String, value: &Expr, use_site: &Expr, help: String) {
        let mut diagnostic = Diagnostic::new(code, message, value.span, "wrong value");
        if value.span != use_site.span {
            diagnostic = diagnostic.with_label(use_site.span, "used here");
        }
        self.error(diagnostic.with_help(help));
    }

    /// A quantity of dimension `dim`, in SI units.
    pub fn quantity(&mut self, expr: &Expr, dim: Dim) -> Option<f64> {
        self.quantity_ratio(expr, dim)
            .map(|(numerator, denominator)| numerator / denominator)
    }

    /// A quantity of dimension `dim` as the ratio giving it in SI units, the
    /// number times its unit's factor over its unit's divisor (`45.7ms` is
    /// 45.7 / 1000): numbers scaled by it round as if written with the unit.
    pub(super) fn quantity_ratio(&mut self, expr: &Expr, dim: Dim) -> Option<(f64, f64)> {
        let value = self.resolve(expr)?;
        if matches!(value.kind, ExprKind::Binary { .. } | ExprKind::Negative(_)) {
            return self.arithmetic(value, expr, dim).map(|v| (v, 1.0));
        }
        let ExprKind::Quantity(q) = &value.kind else {
            if self.counted_only() {
                return None;
            }
            let found = match &value.kind {
                ExprKind::Name(n) => format!("the name `{}`", n.name),
                _ => describe_expr(value).to_string(),
            };
            let help = match &value.kind {
                ExprKind::Name(n) => match did_you_mean(&n.name, self.params.keys().map(String::as_str)) {
                    Some(p) => format!("did you mean the parameter `{p}`?"),
                    None => format!("write {} such as `{}`", dim.describe(), dim.example("10")),
                },
                _ => format!("write {} such as `{}`", dim.describe(), dim.example("10")),
            };
            self.value_error(
                Code::TypeMismatch,
                format!("expected {dim}, found {found}"),
                value,
                expr,
                help,
            );
            return None;
        };
        self.convert(q, value, expr, dim)
    }

    fn convert(&mut self, q: &Quantity, value: &Expr, use_site: &Expr, dim: Dim) -> Option<(f64, f64)> {
        if q.percent {
            if dim == Dim::Number {
                return Some((q.value, 100.0));
            }
            self.value_error(
                Code::UnitMismatch,
                format!("expected {dim}, found a percentage"),
                value,
                use_site,
                format!("write {} such as `{}`", dim.describe(), dim.example(&q.digits)),
            );
            return None;
        }
        // The value in SI: value x mul / div, with the per-unit's time dividing.
        let (found_dim, mul, div, bits) = match (&q.unit, &q.per) {
            (None, None) => {
                if dim != Dim::Number && q.value != 0.0 {
                    let help = format!(
                        "add a unit: `{}`; {} takes {}",
                        dim.example(&q.digits),
                        dim.describe(),
                        dim.units()
                    );
                    self.value_error(
                        Code::MissingUnit,
                        format!("a bare number where {dim} is needed"),
                        value,
                        use_site,
                        help,
                    );
                    return None;
                }
                (dim, 1.0, 1.0, false)
            }
            (unit, per) => {
                // What the unit before a `/time` must be for the whole to be `dim`.
                let wanted = match per {
                    None => dim,
                    Some(_) => Dim::ALL
                        .iter()
                        .copied()
                        .find(|&d| per_time(d) == Some(dim))
                        .unwrap_or(dim),
                };
                let (mut found_dim, mut mul, mut div, bits) = match unit {
                    None => (Dim::Number, 1.0, 1.0, false),
                    Some(unit) => {
                        let info = self.unit(&unit.name, unit.span, wanted)?;
                        (info.dim, info.mul, info.div, info.bits)
                    }
                };
                if let Some(per) = per {
                    let time = self.unit(&per.name, per.span, Dim::Time)?;
                    match (time.dim, per_time(found_dim)) {
                        (Dim::Time, Some(rate)) => {
                            found_dim = rate;
                            mul *= time.div;
                            div *= time.mul;
                        }
                        _ => {
                            self.error(
                                Diagnostic::new(
                                    Code::UnitMismatch,
                                    format!("`/{}` does not make a rate here", per.name),
                                    per.span,
                                    "not a time unit after a size, count or flops",
                                )
                                .with_help("a rate is a size, count or flops per time unit: `10MB/s`, `50/s`, `1Gf/s`"),
                            );
                            return None;
                        }
                    }
                }
                (found_dim, mul, div, bits)
            }
        };
        if found_dim != dim {
            let written = self_text(q);
            let help = match (dim, found_dim) {
                (Dim::FlopRate, Dim::Flops) => {
                    format!("a speed is flops per second: write `{written}/s`")
                }
                (Dim::ByteRate, Dim::Size) => {
                    format!("a data rate is bytes per second: write `{written}ps` or `{written}/s`")
                }
                (Dim::Frequency, Dim::Number) => {
                    format!("a rate of events is a count per time: write `{}/s`", q.digits)
                }
                _ => format!("{} is written with {}", dim.describe(), dim.units()),
            };
            self.value_error(
                Code::UnitMismatch,
                format!("expected {dim}, found {found_dim} `{written}`"),
                value,
                use_site,
                help,
            );
            return None;
        }
        if bits && dim == Dim::Size {
            let unit = q.unit.as_ref().map_or("", |u| u.name.as_str());
            let byte_unit = unit.replace('b', "B");
            self.value_error(
                Code::BitsForBytes,
                format!("`{unit}` counts bits, but sizes are written in bytes"),
                value,
                use_site,
                format!("did you mean `{}{byte_unit}`? (1 byte = 8 bits)", q.digits),
            );
            return None;
        }
        self.within_bounds(q.value * mul, div, q, value, use_site, dim)
    }

    /// The ratio `numerator / denominator` if its value lies within what
    /// any amount of `dim` may be ([`MAX_AMOUNT`], and [`MIN_RATE`] for a
    /// rate above zero); else a diagnostic naming the bound crossed. Plain
    /// numbers are counts and fractions, bounded where they are read.
    fn within_bounds(
        &mut self,
        numerator: f64,
        denominator: f64,
        q: &Quantity,
        value: &Expr,
        use_site: &Expr,
        dim: Dim,
    ) -> Option<(f64, f64)> {
        let v = (numerator / denominator).abs();
        let unit = unit_suffix(dim);
        let crossed = if dim == Dim::Number {
            return Some((numerator, denominator));
        } else if v.is_nan() || v > MAX_AMOUNT {
            format!("at most 1e18{unit}")
        } else if dim.is_rate() && v > 0.0 && v < MIN_RATE {
            format!("zero or at least 1e-6{unit}")
        } else {
            return Some((numerator, denominator));
        };
        self.value_error(
            Code::OutOfRange,
            format!("this value must be {crossed}, not `{}`", self_text(q)),
            value,
            use_site,
            format!(
                "{} may be {crossed}: a value beyond is a slip of the unit or of the exponent",
                dim.describe()
            ),
        );
        None
    }

    /// The unit written `name`, where a unit of `wanted` belongs; an
    /// unknown one is a diagnostic suggesting the nearest unit of `wanted`
    /// (`1m` in a time: `min` or `ms`, not the byte `B` that every unit
    /// would give).
    fn unit(&mut self, name: &str, span: Span, wanted: Dim) -> Option<crate::language::units::UnitInfo> {
        if let Some(info) = lookup(name) {
            return Some(info);
        }
        let of_wanted = |unit: &str| lookup(unit).is_some_and(|info| info.dim == wanted);
        let spelled = SPELLINGS.iter().find(|(other, unit)| *other == name && of_wanted(unit));
        let nearest = did_you_mean(name, UNITS.iter().map(|(n, _)| *n).filter(|n| of_wanted(n)));
        let help = match (wanted, spelled.map(|(_, unit)| *unit).or(nearest)) {
            (Dim::Time, _) if name.eq_ignore_ascii_case("m") => {
                "write `min` for minutes or `ms` for milliseconds".to_string()
            }
            (_, Some(best)) => format!("did you mean `{best}`?"),
            (Dim::Number, None) => {
                "a count or a plain number takes no unit: write the number alone, as in `5/s`".to_string()
            }
            (_, None) => format!("{} is written with {}", wanted.describe(), wanted.units()),
        };
        self.error(
            Diagnostic::new(Code::UnknownUnit, format!("unknown unit `{name}`"), span, "not a unit").with_help(help),
        );
        None
    }

    /// A quantity that must be > 0.
    pub fn positive(&mut self, expr: &Expr, dim: Dim) -> Option<f64> {
        let v = self.quantity(expr, dim)?;
        if v > 0.0 {
            return Some(v);
        }
        let written = self.written(expr);
        self.out_of_range(
            expr,
            format!("must be greater than zero, not `{written}`"),
            "write a value above zero",
        );
        None
    }

    /// A quantity that must be >= 0.
    pub fn non_negative(&mut self, expr: &Expr, dim: Dim) -> Option<f64> {
        let v = self.quantity(expr, dim)?;
        if v >= 0.0 {
            return Some(v);
        }
        let written = self.written(expr);
        self.out_of_range(expr, format!("cannot be negative (`{written}`)"), "write zero or more");
        None
    }

    /// The value an expression stands for, as the user wrote it.
    pub fn written(&mut self, expr: &Expr) -> String {
        super::expr_text(self.resolve(expr).unwrap_or(expr))
    }

    /// A value of the right kind outside what it may be; `help` says what is allowed.
    pub fn out_of_range(&mut self, expr: &Expr, why: String, help: &str) {
        let value = self.resolve(expr).unwrap_or(expr);
        self.value_error(
            Code::OutOfRange,
            format!("this value {why}"),
            value,
            expr,
            help.to_string(),
        );
    }

    /// A whole number >= `min` (and at most [`MAX_COUNT`]).
    pub fn count(&mut self, expr: &Expr, min: u64) -> Option<u64> {
        self.count_in(expr, min, MAX_COUNT)
    }

    /// A whole number in `min..=max`; out of it, a diagnostic naming the
    /// bound crossed.
    pub fn count_in(&mut self, expr: &Expr, min: u64, max: u64) -> Option<u64> {
        let v = self.quantity(expr, Dim::Number)?;
        if v.fract() != 0.0 {
            let value = self.resolve(expr).unwrap_or(expr);
            self.value_error(
                Code::NotAnInteger,
                format!("expected a whole number, found {}", render(v)),
                value,
                expr,
                format!("write a whole number such as `{}`", v.round()),
            );
            return None;
        }
        if v < min as f64 {
            let written = self.written(expr);
            self.out_of_range(
                expr,
                format!("must be at least {min}, not `{written}`"),
                &format!("write a whole number of at least {min}"),
            );
            return None;
        }
        if v > max as f64 {
            let written = self.written(expr);
            self.out_of_range(
                expr,
                format!("must be at most {max}, not `{written}`"),
                &format!("write a whole number of at most {max}"),
            );
            return None;
        }
        Some(v as u64)
    }

    /// An inclusive integer range `low..high`, for arrays and indices.
    pub fn int_range(&mut self, expr: &Expr) -> Option<(u64, u64)> {
        let value = self.resolve(expr)?;
        let ExprKind::Range(low, high) = &value.kind else {
            self.value_error(
                Code::TypeMismatch,
                format!("expected a range such as `1..4`, found {}", describe_expr(value)),
                value,
                expr,
                "write the first and last index: `1..4`".to_string(),
            );
            return None;
        };
        let (low_v, high_v) = (self.count(low, 0)?, self.count(high, 0)?);
        if low_v > high_v {
            self.empty_range(value, expr, [low, high], [low_v, high_v]);
            return None;
        }
        if high_v - low_v >= 10_000_000 {
            self.out_of_range(
                value,
                format!(
                    "names {} indices ({low_v}..{high_v}), more than the ten million a range may hold",
                    render((high_v - low_v) as f64 + 1.0)
                ),
                "use a smaller range, or a family per group of members",
            );
            return None;
        }
        Some((low_v, high_v))
    }

    /// A range whose first index is past its last. When a bound is a
    /// parameter (`node[1..nodes]` run with `-p nodes=0`), the parameter's
    /// value is the slip, not the order: the diagnostic shows it and asks
    /// for a value that gives the range a member.
    fn empty_range(&mut self, value: &Expr, use_site: &Expr, [low, high]: [&Expr; 2], [low_v, high_v]: [u64; 2]) {
        let message = format!("the range {low_v}..{high_v} is empty");
        let parameter = |bound: &Expr| match &bound.kind {
            ExprKind::Name(name) if self.params.contains_key(&name.name) => Some(name.name.clone()),
            _ => None,
        };
        let (bound, is, name, help) = if let Some(name) = parameter(high) {
            let help = format!("give `{name}` a value of at least {low_v}, the range's first index");
            (high, high_v, name, help)
        } else if let Some(name) = parameter(low) {
            let help = format!("give `{name}` a value of at most {high_v}, the range's last index");
            (low, low_v, name, help)
        } else {
            let help = if [low, high].iter().all(|b| matches!(b.kind, ExprKind::Quantity(_))) {
                format!("write the smaller bound first: `{high_v}..{low_v}`")
            } else {
                format!("the last index must be at least the first, {low_v}")
            };
            self.value_error(Code::EmptyRange, message, value, use_site, help);
            return;
        };
        let given = self.resolve(bound).unwrap_or(bound).span;
        let mut diagnostic = Diagnostic::new(Code::EmptyRange, message, value.span, "no index in this range")
            .with_label(given, format!("`{name}` is {is}"));
        if value.span != use_site.span {
            diagnostic = diagnostic.with_label(use_site.span, "used here");
        }
        self.error(diagnostic.with_help(help));
    }

    /// The word a statement's kind stands for (`sandbox mode`): the value
    /// of the parameter it names, so that a kind can be swept like any
    /// choice (`param mode = per_application`), else itself as written.
    pub fn kind_word(&mut self, kind: &crate::syntax::ast::Ident) -> Option<crate::syntax::ast::Ident> {
        let expr = Expr {
            kind: ExprKind::Name(kind.clone()),
            span: kind.span,
        };
        Some(match &self.resolve(&expr)?.kind {
            ExprKind::Name(word) => word.clone(),
            _ => kind.clone(),
        })
    }

    /// A word of a set of the language's table (possibly through a
    /// parameter); returns the word and, for calls such as `random(42)`,
    /// their arguments.
    pub fn word<'e>(&mut self, expr: &'e Expr, set: Choices) -> Option<(String, &'e [Expr])>
    where
        'a: 'e,
    {
        self.word_among(expr, set, &[])
    }

    /// A word of a set of the language's table or one of `extra` (the
    /// names of registered policies, [`Ctx::registered`]), as [`Ctx::word`].
    pub fn word_among<'e>(&mut self, expr: &'e Expr, set: Choices, extra: &[String]) -> Option<(String, &'e [Expr])>
    where
        'a: 'e,
    {
        let mut choices: Vec<&str> = Vec::new();
        for word in set.words() {
            choices.push(word);
        }
        choices.extend(extra.iter().map(String::as_str));
        let (choices, what) = (choices.as_slice(), set.what());
        let value = self.resolve(expr)?;
        let accepted = match &value.kind {
            ExprKind::Name(n) => choices.contains(&n.name.as_str()),
            ExprKind::Call { name, .. } => choices.contains(&name.name.as_str()),
            _ => false,
        };
        if !accepted && self.param_hides_word(expr, choices, what) {
            return None;
        }
        let (name, args) = match &value.kind {
            ExprKind::Name(n) => (n, &[][..]),
            ExprKind::Call { name, args } => (name, args.as_slice()),
            _ => {
                let help = match (&value.kind, set) {
                    // `keep_alive 10min`, as an idle timeout is written.
                    (ExprKind::Quantity(_), Choices::KeepAlive) => {
                        "a fixed keep-alive is written `keep_alive fixed(10min)`, or `idle_timeout 10min` in a service"
                            .to_string()
                    }
                    _ => format!(
                        "write one of {}",
                        crate::syntax::words::list_names(choices.iter().copied())
                    ),
                };
                self.value_error(
                    Code::TypeMismatch,
                    format!("expected {what}, found {}", describe_expr(value)),
                    value,
                    expr,
                    help,
                );
                return None;
            }
        };
        if !choices.contains(&name.name.as_str()) {
            let help = match did_you_mean(&name.name, choices.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "write one of {}",
                    crate::syntax::words::list_names(choices.iter().copied())
                ),
            };
            let mut d = Diagnostic::new(
                Code::UnknownChoice,
                format!("`{}` is not {what}", name.name),
                name.span,
                format!("not {what}"),
            );
            if value.span != expr.span {
                d = d.with_label(expr.span, "used here");
            }
            self.error(d.with_help(help));
            return None;
        }
        Some((name.name.clone(), args))
    }

    /// Whether a name on the way from `expr` to its value is both a
    /// parameter and one of `choices` (`param ram = 6GB` with `eviction
    /// ram`, or `-p policy=ram`): the parameter hid the word the script
    /// meant, which is said rather than that its value is of the wrong kind.
    fn param_hides_word(&mut self, expr: &Expr, choices: &[&str], what: &str) -> bool {
        let params = self.params;
        let mut current = expr;
        for _ in 0..MAX_PARAM_DEPTH {
            let ExprKind::Name(name) = &current.kind else {
                return false;
            };
            let Some(param) = params.get(&name.name) else {
                return false;
            };
            if choices.contains(&name.name.as_str()) {
                let mut d = Diagnostic::new(
                    Code::ParamHidesWord,
                    format!("the parameter `{}` hides the word `{}` ({what})", name.name, name.name),
                    name.span,
                    format!("the parameter `{}`, {}", name.name, describe_expr(&param.value)),
                )
                .with_label(param.declared, "this parameter hides the word");
                if name.span != expr.span {
                    d = d.with_label(expr.span, "used here");
                }
                self.error(d.with_help(format!(
                    "rename the parameter `{}` (`param {}_value = ...` and its uses), so that `{}` names {what} again",
                    name.name, name.name, name.name
                )));
                return true;
            }
            current = &param.value;
        }
        false
    }

    /// A string literal (possibly through a parameter); `example` is one,
    /// quotes included, for the help.
    pub fn string(&mut self, expr: &Expr, example: &str) -> Option<String> {
        let value = self.resolve(expr)?;
        match &value.kind {
            ExprKind::Str(s) => Some(s.clone()),
            _ => {
                self.value_error(
                    Code::TypeMismatch,
                    format!("expected a string, found {}", describe_expr(value)),
                    value,
                    expr,
                    format!("write it in double quotes: `{example}`"),
                );
                None
            }
        }
    }

    /// Arguments of a call, checked for their number.
    pub fn arity<'e>(&mut self, call: &Expr, name: &str, args: &'e [Expr], expected: &[&str]) -> Option<&'e [Expr]> {
        if args.len() == expected.len() {
            return Some(args);
        }
        self.error(
            Diagnostic::new(
                Code::WrongArguments,
                format!(
                    "`{name}` takes {} argument{}, found {}",
                    expected.len(),
                    if expected.len() == 1 { "" } else { "s" },
                    args.len()
                ),
                call.span,
                "wrong number of arguments",
            )
            .with_help(format!("write `{name}({})`", expected.join(", "))),
        );
        None
    }

    /// A fixed or random amount of dimension `dim`: a quantity, or
    /// `uniform(a, b)`, `normal(mean, sd)`, `lognormal(median, sigma)`,
    /// `exponential(mean)`, `empirical([v, ...])`, `empirical("d.csv", "column", unit)`.
    /// Every value it can draw is at most [`MAX_AMOUNT`], so that no draw
    /// overflows during a run.
    pub fn distribution(&mut self, expr: &Expr, dim: Dim) -> Option<Distribution> {
        let dist = self.draws(expr, dim)?;
        let largest = largest_draw(&dist);
        if largest <= MAX_AMOUNT {
            return Some(dist);
        }
        let value = self.resolve(expr).unwrap_or(expr);
        let unit = unit_suffix(dim);
        let help = match &dist {
            Distribution::LogNormal { mu, .. } => format!(
                "a sigma of at most {:.2} keeps every draw within 1e18{unit}",
                (MAX_AMOUNT.ln() - mu) / MAX_STD_NORMAL
            ),
            _ => format!("write parameters that keep every draw within 1e18{unit}"),
        };
        let reach = if largest.is_finite() {
            format!("up to {largest:.3e}{unit}")
        } else {
            "values that overflow".to_string()
        };
        self.value_error(
            Code::OutOfRange,
            format!("this distribution can draw {reach}, more than the 1e18{unit} any amount may be"),
            value,
            expr,
            help,
        );
        None
    }

    fn draws(&mut self, expr: &Expr, dim: Dim) -> Option<Distribution> {
        let value = self.resolve(expr)?;
        let ExprKind::Call { name, args } = &value.kind else {
            return self.non_negative(expr, dim).map(Distribution::Constant);
        };
        let example = dim.example("1");
        match name.name.as_str() {
            "uniform" => {
                let a = self.arity(value, "uniform", args, &["low", "high"])?;
                let (low, high) = (self.non_negative(&a[0], dim), self.non_negative(&a[1], dim));
                let (low, high) = (low?, high?);
                if low > high {
                    let written = self.written(&a[0]);
                    self.out_of_range(
                        &a[1],
                        format!("is below the lower bound `{written}`"),
                        "write the lower bound first: `uniform(low, high)`",
                    );
                    return None;
                }
                Some(Distribution::Uniform { low, high })
            }
            "normal" => {
                let a = self.arity(value, "normal", args, &["mean", "deviation"])?;
                let (mean, std_dev) = (self.non_negative(&a[0], dim), self.non_negative(&a[1], dim));
                let (mean, std_dev) = (mean?, std_dev?);
                // Draws below zero are taken as 0: a deviation near the
                // mean or above made a mass of zeros and another mean,
                // without a word. (0 / 0 is NaN, no share: the constant 0.)
                let below = 0.5 * libm::erfc(mean / (std_dev * std::f64::consts::SQRT_2));
                if below > MAX_BELOW_ZERO {
                    let written = self.written(&a[0]);
                    self.value_error(
                        Code::OutOfRange,
                        format!(
                            "this normal amount falls below zero in {} % of its draws, each taken as 0",
                            percent(below)
                        ),
                        value,
                        expr,
                        format!(
                            "keep the deviation at most {:.0} % of the mean (1 % of draws below zero), or draw a skewed positive amount: `lognormal({written}, 0.5)`",
                            100.0 / Z_ONE_PERCENT
                        ),
                    );
                    return None;
                }
                Some(Distribution::Normal { mean, std_dev })
            }
            "lognormal" => {
                let a = self.arity(value, "lognormal", args, &["median", "sigma"])?;
                let (median, sigma) = (self.positive(&a[0], dim), self.non_negative(&a[1], Dim::Number));
                Some(Distribution::LogNormal {
                    mu: median?.ln(),
                    sigma: sigma?,
                })
            }
            "exponential" => {
                let a = self.arity(value, "exponential", args, &["mean"])?;
                Some(Distribution::Exponential {
                    mean: self.positive(&a[0], dim)?,
                })
            }
            "empirical" => self.empirical(value, args, dim),
            other => {
                let choices: Vec<&str> = Choices::Distribution.words().collect();
                let help = match did_you_mean(other, choices) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "write {} such as `{example}` or `uniform({example}, {})`",
                        dim.describe(),
                        dim.example("2")
                    ),
                };
                self.error(
                    Diagnostic::new(
                        Code::UnknownDistribution,
                        format!("no distribution named `{other}`"),
                        name.span,
                        "unknown distribution",
                    )
                    .with_help(help),
                );
                None
            }
        }
    }
}

/// ` s`, ` B/s`: the SI unit of a dimension after a number (nothing for a
/// plain number).
fn unit_suffix(dim: Dim) -> String {
    match dim.symbol() {
        "" => String::new(),
        symbol => format!(" {symbol}"),
    }
}

/// The largest standard normal draw the run's generator makes: Box-Muller
/// from a uniform in (0, 1] with 53 random bits gives a radius of at most
/// sqrt(-2 ln 2^-53) (`workload::random::StreamRng::std_normal`).
const MAX_STD_NORMAL: f64 = 8.571_674_348_652_905;

/// The largest share of a normal amount's draws that may fall below zero
/// (each taken as 0): 1 %.
const MAX_BELOW_ZERO: f64 = 0.01;

/// The standard normal quantile of 99 %: a deviation up to the mean over
/// it keeps 1 % of draws below zero.
const Z_ONE_PERCENT: f64 = 2.326_347_874_040_841;

/// The largest exponential draw of mean 1: -ln 2^-53 (`StreamRng::exp1`).
const MAX_EXP1: f64 = 36.736_800_569_677_1;

/// A share as a percentage of two significant digits at least: `2.28`,
/// `42`.
fn percent(share: f64) -> String {
    let percent = share * 100.0;
    if percent < 10.0 {
        format!("{percent:.2}")
    } else {
        format!("{percent:.0}")
    }
}

/// The largest value `dist` can draw (infinite when a draw can overflow).
fn largest_draw(dist: &Distribution) -> f64 {
    match dist {
        Distribution::Constant(v) => *v,
        Distribution::Uniform { high, .. } => *high,
        Distribution::Normal { mean, std_dev } => mean + std_dev * MAX_STD_NORMAL,
        Distribution::LogNormal { mu, sigma } => (mu + sigma * MAX_STD_NORMAL).exp(),
        Distribution::Exponential { mean } => mean * MAX_EXP1,
        Distribution::Empirical(values) => values.iter().copied().fold(0.0, f64::max),
    }
}

/// The quantity as written, for messages.
fn self_text(q: &Quantity) -> String {
    let mut text = q.digits.clone();
    if let Some(unit) = &q.unit {
        text.push_str(&unit.name);
    }
    if let Some(per) = &q.per {
        text.push('/');
        text.push_str(&per.name);
    }
    text
}

/// A number for messages: integers without a fraction, and from 1e15 up
/// in scientific notation (`1e308`, which plain notation wrote in 309
/// digits).
pub(crate) fn render(v: f64) -> String {
    if v.abs() >= 1e15 {
        format!("{v:e}")
    } else if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}
