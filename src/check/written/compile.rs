//! Checking and compiling one expression of a policy in one pass: every
//! name is an observable, a function, a parameter or the rule's bound name
//! (did-you-mean otherwise); units are checked as exponents of seconds,
//! bytes and flops, so `free_ram(node) - 2` is a mistake and
//! `invocations * cost / memory` a time per byte; the result is postfix code
//! ([`crate::ir::policy::Program`]) with the depth of its stack.

use crate::code::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::ir::policy::{Binned, Histogram, Op, Program, Statistic};
use crate::language::observables::{Args, Function, Observable, Reader, Series, every_name};
use crate::language::units::{Dim, lookup, per_time};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};
use crate::syntax::source::Span;

use super::super::context::Ctx;
use super::super::expr_text;

/// How deep parameters may refer to parameters inside an expression.
const MAX_DEPTH: usize = 16;

/// A unit as exponents of seconds, bytes and flops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unit {
    time: i8,
    size: i8,
    flops: i8,
}

impl Unit {
    pub const NUMBER: Unit = Unit {
        time: 0,
        size: 0,
        flops: 0,
    };

    pub fn of(dim: Dim) -> Unit {
        let (time, size, flops) = match dim {
            Dim::Number => (0, 0, 0),
            Dim::Time => (1, 0, 0),
            Dim::Size => (0, 1, 0),
            Dim::ByteRate => (-1, 1, 0),
            Dim::Flops => (0, 0, 1),
            Dim::FlopRate => (-1, 0, 1),
            Dim::Frequency => (-1, 0, 0),
        };
        Unit { time, size, flops }
    }

    /// The dimension of the language this unit is, if any.
    pub fn dim(self) -> Option<Dim> {
        Dim::ALL.iter().copied().find(|d| Unit::of(*d) == self)
    }

    fn times(self, other: Unit, sign: i8) -> Unit {
        Unit {
            time: self.time.saturating_add(sign.saturating_mul(other.time)),
            size: self.size.saturating_add(sign.saturating_mul(other.size)),
            flops: self.flops.saturating_add(sign.saturating_mul(other.flops)),
        }
    }

    /// "a data size", or the unit in SI symbols: "s/B".
    pub fn describe(self) -> String {
        if let Some(dim) = self.dim() {
            return dim.describe().to_string();
        }
        let part = |symbol: &str, power: i8| match power {
            1 => symbol.to_string(),
            p => format!("{symbol}^{p}"),
        };
        let (mut above, mut below) = (Vec::new(), Vec::new());
        for (symbol, power) in [("s", self.time), ("B", self.size), ("f", self.flops)] {
            if power > 0 {
                above.push(part(symbol, power));
            } else if power < 0 {
                below.push(part(symbol, -power));
            }
        }
        let above = if above.is_empty() {
            "1".to_string()
        } else {
            above.join(" ")
        };
        match below.is_empty() {
            true => format!("a quantity in {above}"),
            false => format!("a quantity in {above}/{}", below.join(" ")),
        }
    }
}

/// What an expression is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Typed {
    Value(Unit),
    /// `below(a, b)`: only `if` takes one.
    Condition,
    /// `idle_times(function, 4h)`: only a statistic takes one.
    Series(Series, f64),
    /// `histogram(idle_times(function), 1min, 4h)`, by its index in the
    /// policy's histograms: only a statistic takes one.
    Histogram(u16),
}

impl Typed {
    fn describe(self) -> String {
        match self {
            Typed::Value(unit) => unit.describe(),
            Typed::Condition => "a condition".to_string(),
            Typed::Series(..) => "a series".to_string(),
            Typed::Histogram(_) => "a histogram".to_string(),
        }
    }
}

/// Compiles the expressions of one policy.
pub(crate) struct Compiler<'c, 'a> {
    pub ctx: &'c mut Ctx<'a>,
    /// The name the rule is of (`node` in `score node = ...`, `container`
    /// in `priority container = ...`), if any.
    pub bound: Option<String>,
    /// The kind of policy compiled.
    pub reader: Reader,
    /// What the policy decides, for messages: "keep-alive policy".
    pub kind: &'static str,
    /// The histograms the policy's programs read; `None`: the policy keeps
    /// no history of its functions to read one from.
    pub histograms: Option<Vec<Histogram>>,
    code: Vec<Op>,
    spans: Vec<Span>,
    height: usize,
    depth: usize,
}

impl<'c, 'a> Compiler<'c, 'a> {
    pub fn new(ctx: &'c mut Ctx<'a>, reader: Reader) -> Self {
        Compiler {
            ctx,
            bound: None,
            reader,
            kind: reader.describe(),
            histograms: None,
            code: Vec::new(),
            spans: Vec::new(),
            height: 0,
            depth: 0,
        }
    }

    /// The program of `expr` and what it gives.
    pub fn program(&mut self, expr: &Expr) -> Option<(Program, Typed)> {
        self.code.clear();
        self.spans.clear();
        self.height = 0;
        self.depth = 0;
        let typed = self.expr(expr, 0)?;
        Some((
            Program {
                code: std::mem::take(&mut self.code),
                spans: std::mem::take(&mut self.spans),
                span: expr.span,
                depth: self.depth,
            },
            typed,
        ))
    }

    /// Emits `op`, which pops `pops` values and pushes `pushes`.
    fn emit(&mut self, op: Op, span: Span, pops: usize, pushes: usize) {
        self.code.push(op);
        self.spans.push(span);
        self.height = self.height - pops + pushes;
        self.depth = self.depth.max(self.height);
    }

    fn error(&mut self, code: Code, message: String, span: Span, label: &str, help: String) {
        self.ctx
            .error(Diagnostic::new(code, message, span, label).with_help(help));
    }

    fn expr(&mut self, expr: &Expr, depth: usize) -> Option<Typed> {
        match &expr.kind {
            ExprKind::Quantity(q) => {
                let dim = quantity_dim(q)?;
                let value = self.ctx.quantity(expr, dim)?;
                self.emit(Op::Const(value), expr.span, 0, 1);
                Some(Typed::Value(Unit::of(dim)))
            }
            ExprKind::Name(name) => self.name(expr, &name.name, depth),
            ExprKind::Call { name, args } => self.call(expr, &name.name, name.span, args, depth),
            ExprKind::Negative(operand) => {
                let typed = self.value(operand, depth)?;
                self.emit(Op::Negate, expr.span, 1, 1);
                Some(Typed::Value(typed))
            }
            ExprKind::Binary { op, left, right } => self.binary(expr, *op, left, right, depth),
            _ => {
                self.error(
                    Code::TypeMismatch,
                    format!(
                        "a policy computes with numbers and quantities, found {}",
                        super::super::eval::describe_expr(expr)
                    ),
                    expr.span,
                    "not a number",
                    "write a quantity such as `10min`, an observable such as `free_ram(node)`, or a calculation"
                        .to_string(),
                );
                None
            }
        }
    }

    /// An expression that must be a value (not a condition or a series).
    fn value(&mut self, expr: &Expr, depth: usize) -> Option<Unit> {
        match self.expr(expr, depth)? {
            Typed::Value(unit) => Some(unit),
            other => {
                self.error(
                    Code::PolicyUnits,
                    format!("expected a number or a quantity, found {}", other.describe()),
                    expr.span,
                    "not a value",
                    match other {
                        Typed::Condition => "a condition chooses between values: `if(below(a, b), x, y)`".to_string(),
                        Typed::Histogram(_) => "a histogram gives a value through a statistic: `percentile(histogram(idle_times(function), 1min, 4h), 99%)`".to_string(),
                        _ => "a series gives a value through a statistic: `percentile(idle_times(function, 4h), 99%)`"
                            .to_string(),
                    },
                );
                None
            }
        }
    }

    fn name(&mut self, expr: &Expr, name: &str, depth: usize) -> Option<Typed> {
        if self.bound.as_deref() == Some(name) || name == "function" {
            let what = if name == "function" {
                "function"
            } else {
                self.bound_kind()
            };
            self.error(
                Code::PolicyUnits,
                format!("`{name}` is a {what}, not a number"),
                expr.span,
                "not a number",
                format!("read a quantity of it, such as `{}`", example_of(what, name)),
            );
            return None;
        }
        if let Some(observable) = Observable::named(name).filter(|o| o.row().args == Args::Bare) {
            self.emit(Op::Observe(observable), expr.span, 0, 1);
            return Some(Typed::Value(Unit::of(observable.row().dim)));
        }
        if let Some(param) = self.ctx.params.get(name) {
            if depth > MAX_DEPTH {
                self.error(
                    Code::ParamCycle,
                    "parameters refer to each other in a cycle".to_string(),
                    expr.span,
                    "this value never resolves",
                    "give one of the parameters a literal value".to_string(),
                );
                return None;
            }
            let value = &param.value;
            return self.expr(value, depth + 1);
        }
        if Observable::named(name).is_some() || Series::named(name).is_some() || Function::named(name).is_some() {
            self.error(
                Code::WrongArguments,
                format!("`{name}` takes arguments"),
                expr.span,
                "arguments missing",
                format!("call it: `{}`", call_example(name)),
            );
            return None;
        }
        self.unknown(name, expr.span);
        None
    }

    fn unknown(&mut self, name: &str, span: Span) {
        let params: Vec<String> = self.ctx.params.keys().cloned().collect();
        let mut names: Vec<&str> = every_name().collect();
        names.extend(params.iter().map(String::as_str));
        let help = match did_you_mean(name, names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "a {} may read {}; or a parameter (`param {name} = ...`)",
                self.kind,
                crate::syntax::words::list_names(every_name())
            ),
        };
        self.error(
            Code::PolicyUnknownName,
            format!("`{name}` is no observable, function or parameter"),
            span,
            "unknown name",
            help,
        );
    }

    fn binary(&mut self, expr: &Expr, op: BinaryOp, left: &Expr, right: &Expr, depth: usize) -> Option<Typed> {
        let l = self.value(left, depth);
        let r = self.value(right, depth);
        let (l, r) = (l?, r?);
        let (code, unit) = match op {
            BinaryOp::Add | BinaryOp::Subtract => {
                self.alike(left, l, right, r)?;
                (if op == BinaryOp::Add { Op::Add } else { Op::Subtract }, l)
            }
            BinaryOp::Multiply => (Op::Multiply, l.times(r, 1)),
            BinaryOp::Divide => (Op::Divide, l.times(r, -1)),
            BinaryOp::Power => {
                for (side, unit) in [(left, l), (right, r)] {
                    if unit != Unit::NUMBER {
                        self.error(
                            Code::PolicyUnits,
                            format!("a power is of plain numbers, found {}", unit.describe()),
                            side.span,
                            "has a unit",
                            "divide it by a unit first: `(x / 1min) ^ 2`".to_string(),
                        );
                        return None;
                    }
                }
                (Op::Power, Unit::NUMBER)
            }
        };
        self.emit(code, expr.span, 2, 1);
        Some(Typed::Value(unit))
    }

    /// Two operands that must have one unit (a sum, `min`, `below`, ...).
    fn alike(&mut self, left: &Expr, l: Unit, right: &Expr, r: Unit) -> Option<()> {
        if l == r {
            return Some(());
        }
        // Point at the side that is a bare number, which lacks its unit.
        let (wrong, wrong_unit, other) = if r == Unit::NUMBER { (right, r, l) } else { (left, l, r) };
        let help = match (&wrong.kind, other.dim()) {
            (ExprKind::Quantity(q), Some(dim)) if wrong_unit == Unit::NUMBER => {
                format!(
                    "write `{}`: {} takes {}",
                    dim.example(&q.digits),
                    dim.describe(),
                    dim.units()
                )
            }
            _ => format!(
                "both sides must be {}: convert one (multiply or divide by a quantity)",
                other.describe()
            ),
        };
        self.error(
            Code::PolicyUnits,
            format!("{} and {} cannot be compared or added", l.describe(), r.describe()),
            wrong.span,
            &format!("this is {}", wrong_unit.describe()),
            help,
        );
        None
    }

    fn call(&mut self, expr: &Expr, name: &str, name_span: Span, args: &[Expr], depth: usize) -> Option<Typed> {
        if let Some(function) = Function::named(name) {
            self.arity(expr, name, args.len(), function.arity(), function.row().1)?;
            return self.function(expr, function, args, depth);
        }
        if let Some(observable) = Observable::named(name) {
            let row = observable.row();
            let window = self.read_args(expr, name, row.args, args)?;
            self.readable(expr, name, observable.readers())?;
            if row.args == Args::FunctionWindow {
                self.emit(Op::Windowed(observable, window), expr.span, 0, 1);
            } else {
                self.emit(Op::Observe(observable), expr.span, 0, 1);
            }
            return Some(Typed::Value(Unit::of(row.dim)));
        }
        if let Some(series) = Series::named(name) {
            let row = series.row();
            let window = self.read_args(expr, name, row.args, args)?;
            self.readable(expr, name, &[Reader::KeepAlive])?;
            return Some(Typed::Series(series, window));
        }
        self.unknown(name, name_span);
        None
    }

    /// The policy compiled is among `readers` of the observable `name`.
    fn readable(&mut self, expr: &Expr, name: &str, readers: &[Reader]) -> Option<()> {
        if readers.contains(&self.reader) {
            return Some(());
        }
        let readers: Vec<String> = readers
            .iter()
            .map(|r| {
                let what = r.describe();
                let article = if what.starts_with(['a', 'e']) { "an" } else { "a" };
                format!("{article} {what}")
            })
            .collect();
        self.error(
            Code::PolicyUnknownName,
            format!("a {} does not observe `{name}`", self.kind),
            expr.span,
            "not observed here",
            format!("`{name}` is read by {} only", readers.join(" or ")),
        );
        None
    }

    /// What the rule's bound name is: "node" or "container".
    fn bound_kind(&self) -> &'static str {
        if self.reader == Reader::Eviction {
            "container"
        } else {
            "node"
        }
    }

    fn arity(&mut self, expr: &Expr, name: &str, found: usize, wanted: usize, example: &str) -> Option<()> {
        if found == wanted {
            return Some(());
        }
        self.error(
            Code::WrongArguments,
            format!(
                "`{name}` takes {wanted} argument{}, found {found}",
                if wanted == 1 { "" } else { "s" }
            ),
            expr.span,
            "wrong number of arguments",
            format!("write `{example}`"),
        );
        None
    }

    /// The arguments of an observable or a series, checked for their
    /// number then their subjects: the window read (0: none).
    fn read_args(&mut self, expr: &Expr, name: &str, shape: Args, args: &[Expr]) -> Option<f64> {
        let example = format!("{name}{}", shape.written());
        self.arity(expr, name, args.len(), shape.count(), &example)?;
        self.subjects(shape, args)
    }

    /// Checks the `function`, `node` and window arguments of an
    /// observable; returns the window (0 without one).
    fn subjects(&mut self, shape: Args, args: &[Expr]) -> Option<f64> {
        let mut window = 0.0;
        let wanted: &[&str] = match shape {
            Args::Bare => &[],
            Args::Function => &["function"],
            Args::FunctionWindow => &["function", "window"],
            Args::Node => &["node"],
            Args::NodeFunction => &["node", "function"],
            Args::Container => &["container"],
        };
        let mut ok = true;
        for (arg, want) in args.iter().zip(wanted) {
            match *want {
                "window" => match self.ctx.positive(arg, Dim::Time) {
                    Some(w) => window = w,
                    None => ok = false,
                },
                "function" => ok &= self.subject(arg, "function", "function"),
                want => match self.bound.clone().filter(|_| self.bound_kind() == want) {
                    Some(bound) => ok &= self.subject(arg, &bound, want),
                    None => {
                        self.error(
                            Code::PolicyUnknownName,
                            format!("a {} has no {want} to observe", self.kind),
                            arg.span,
                            &format!("no {want} here"),
                            match want {
                                "node" => "node observables are for a placement's `score node = ...`",
                                _ => "container observables are for an eviction's `priority container = ...`",
                            }
                            .to_string(),
                        );
                        ok = false;
                    }
                },
            }
        }
        ok.then_some(window)
    }

    /// `arg` is the name `expected` (what a `what` observable reads).
    fn subject(&mut self, arg: &Expr, expected: &str, what: &str) -> bool {
        if matches!(&arg.kind, ExprKind::Name(n) if n.name == expected) {
            return true;
        }
        self.error(
            Code::WrongArguments,
            format!("expected the {what} `{expected}`, found `{}`", expr_text(arg)),
            arg.span,
            &format!("not the {what}"),
            format!("write `{expected}` here: the {what} the policy decides for"),
        );
        false
    }

    fn function(&mut self, expr: &Expr, function: Function, args: &[Expr], depth: usize) -> Option<Typed> {
        let span = expr.span;
        match function {
            Function::Min | Function::Max | Function::Below | Function::Above | Function::Clamp => {
                let units: Vec<Option<Unit>> = args.iter().map(|a| self.value(a, depth)).collect();
                let units: Vec<Unit> = units.into_iter().collect::<Option<_>>()?;
                for (i, unit) in units.iter().enumerate().skip(1) {
                    self.alike(&args[0], units[0], &args[i], *unit)?;
                }
                let (op, typed) = match function {
                    Function::Min => (Op::Min, Typed::Value(units[0])),
                    Function::Max => (Op::Max, Typed::Value(units[0])),
                    Function::Below => (Op::Below, Typed::Condition),
                    Function::Above => (Op::Above, Typed::Condition),
                    _ => (Op::Clamp, Typed::Value(units[0])),
                };
                self.emit(op, span, args.len(), 1);
                Some(typed)
            }
            Function::Ceil | Function::Floor => {
                let unit = self.value(&args[0], depth)?;
                if unit != Unit::NUMBER {
                    self.error(
                        Code::PolicyUnits,
                        format!(
                            "`{}` rounds a plain number, found {}",
                            function.row().0,
                            unit.describe()
                        ),
                        args[0].span,
                        "has a unit",
                        format!(
                            "divide it by the unit to round to: `{}({} / 1min) * 1min`",
                            function.row().0,
                            expr_text(&args[0])
                        ),
                    );
                    return None;
                }
                let op = if function == Function::Ceil {
                    Op::Ceil
                } else {
                    Op::Floor
                };
                self.emit(op, span, 1, 1);
                Some(Typed::Value(Unit::NUMBER))
            }
            Function::If => {
                let condition = self.expr(&args[0], depth)?;
                if condition != Typed::Condition {
                    self.error(
                        Code::PolicyUnits,
                        format!("`if` chooses by a condition, found {}", condition.describe()),
                        args[0].span,
                        "not a condition",
                        "write a condition: `below(a, b)` or `above(a, b)`".to_string(),
                    );
                    return None;
                }
                let unless = self.code.len();
                self.emit(Op::JumpUnless(0), span, 1, 0);
                let then = self.value(&args[1], depth)?;
                let jump = self.code.len();
                self.emit(Op::Jump(0), span, 0, 0);
                self.height -= 1;
                self.code[unless] = Op::JumpUnless(self.code.len() as u32);
                let otherwise = self.value(&args[2], depth)?;
                self.code[jump] = Op::Jump(self.code.len() as u32);
                self.alike(&args[1], then, &args[2], otherwise)?;
                Some(Typed::Value(then))
            }
            Function::Histogram => self.histogram(expr, args),
            Function::Percentile | Function::Mean | Function::Count | Function::Largest => {
                let (series, window) = match self.expr(&args[0], depth)? {
                    Typed::Series(series, window) => (series, window),
                    Typed::Histogram(index) if matches!(function, Function::Percentile | Function::Count) => {
                        return self.binned(expr, function, index, args);
                    }
                    other => {
                        self.error(
                            Code::PolicyUnits,
                            format!("`{}` reads a series, found {}", function.row().0, other.describe()),
                            args[0].span,
                            "not a series",
                            "write a series such as `idle_times(function, 4h)`".to_string(),
                        );
                        return None;
                    }
                };
                let statistic = match function {
                    Function::Percentile => {
                        self.fraction(&args[1])?;
                        Statistic::Percentile
                    }
                    Function::Mean => Statistic::Mean,
                    Function::Count => Statistic::Count,
                    _ => Statistic::Largest,
                };
                let pops = usize::from(statistic == Statistic::Percentile);
                self.emit(
                    Op::Statistic {
                        series,
                        statistic,
                        window,
                    },
                    span,
                    pops,
                    1,
                );
                let unit = match statistic {
                    Statistic::Count => Unit::NUMBER,
                    _ => Unit::of(series.row().dim),
                };
                Some(Typed::Value(unit))
            }
            Function::Cv | Function::CountBeyond | Function::MeanBeyond => match self.expr(&args[0], depth)? {
                Typed::Histogram(index) => self.binned(expr, function, index, args),
                other => {
                    self.error(
                        Code::PolicyUnits,
                        format!("`{}` reads a histogram, found {}", function.row().0, other.describe()),
                        args[0].span,
                        "not a histogram",
                        format!("write `{}`", function.row().1),
                    );
                    None
                }
            },
        }
    }

    /// A percentage argument, emitted as its fraction.
    fn fraction(&mut self, arg: &Expr) -> Option<()> {
        let fraction = self.ctx.quantity(arg, Dim::Number)?;
        if !(0.0..=1.0).contains(&fraction) {
            self.ctx.out_of_range(
                arg,
                "must be between 0% and 100%".to_string(),
                "write a percentage such as `99%`",
            );
            return None;
        }
        self.emit(Op::Const(fraction), arg.span, 0, 1);
        Some(())
    }

    /// `histogram(SERIES(function), BIN, RANGE)`: the policy's histogram.
    fn histogram(&mut self, expr: &Expr, args: &[Expr]) -> Option<Typed> {
        let series = match &args[0].kind {
            ExprKind::Call { name, args: inner } if Series::named(&name.name).is_some() => {
                self.arity(
                    &args[0],
                    &name.name,
                    inner.len(),
                    1,
                    &format!("{}(function)", name.name),
                )?;
                if !self.subject(&inner[0], "function", "function") {
                    return None;
                }
                Series::named(&name.name)?
            }
            _ => {
                self.error(
                    Code::PolicyUnits,
                    format!("a histogram counts a series, found `{}`", expr_text(&args[0])),
                    args[0].span,
                    "not a series",
                    "write the series without a window, the histogram holding the whole run: `histogram(idle_times(function), 1min, 4h)`".to_string(),
                );
                return None;
            }
        };
        let bin = self.ctx.positive(&args[1], Dim::Time);
        let range = self.ctx.positive(&args[2], Dim::Time);
        let (bin, range) = (bin?, range?);
        let Some(histograms) = self.histograms.as_mut() else {
            self.error(
                Code::PolicyUnknownName,
                format!("a {} keeps no histogram", self.kind),
                expr.span,
                "no history here",
                "histograms of a function's samples are for a keep-alive policy".to_string(),
            );
            return None;
        };
        let histogram = Histogram { series, bin, range };
        let index = match histograms.iter().position(|h| *h == histogram) {
            Some(i) => i,
            None => {
                histograms.push(histogram);
                histograms.len() - 1
            }
        };
        Some(Typed::Histogram(u16::try_from(index).unwrap_or(u16::MAX)))
    }

    /// A statistic of histogram `index`.
    fn binned(&mut self, expr: &Expr, function: Function, index: u16, args: &[Expr]) -> Option<Typed> {
        let (statistic, unit) = match function {
            Function::Percentile => {
                self.fraction(&args[1])?;
                (Binned::Percentile, Unit::of(self.series_of(index).row().dim))
            }
            Function::Count => (Binned::Count, Unit::NUMBER),
            Function::Cv => (Binned::Cv, Unit::NUMBER),
            Function::CountBeyond => (Binned::CountBeyond, Unit::NUMBER),
            _ => (Binned::MeanBeyond, Unit::of(self.series_of(index).row().dim)),
        };
        let pops = usize::from(statistic == Binned::Percentile);
        self.emit(
            Op::Binned {
                statistic,
                histogram: index,
            },
            expr.span,
            pops,
            1,
        );
        Some(Typed::Value(unit))
    }

    fn series_of(&self, index: u16) -> Series {
        self.histograms
            .as_ref()
            .and_then(|h| h.get(usize::from(index)))
            .map_or(Series::IdleTimes, |h| h.series)
    }
}

/// The dimension of a quantity as written (`None`: an unknown unit, which
/// reading it then reports).
fn quantity_dim(q: &crate::syntax::ast::Quantity) -> Option<Dim> {
    if q.percent {
        return Some(Dim::Number);
    }
    let unit = match &q.unit {
        Some(unit) => match lookup(&unit.name) {
            Some(info) => info.dim,
            None => return Some(Dim::Number),
        },
        None => Dim::Number,
    };
    match &q.per {
        Some(_) => per_time(unit).or(Some(unit)),
        None => Some(unit),
    }
}

/// An observable of a function, a node or a container (`what`), to show
/// how one is read.
fn example_of(what: &str, name: &str) -> String {
    match what {
        "function" => "memory(function)".to_string(),
        "node" => format!("free_ram({name})"),
        _ => format!("ram({name})"),
    }
}

/// How the function or observable `name` is called.
fn call_example(name: &str) -> String {
    if let Some(f) = Function::named(name) {
        return f.row().1.to_string();
    }
    if let Some(o) = Observable::named(name) {
        return format!("{name}{}", o.row().args.written());
    }
    match Series::named(name) {
        Some(s) => format!("{name}{}", s.row().args.written()),
        None => name.to_string(),
    }
}
