//! The machine that evaluates policies written in the script: postfix code
//! over `f64` ([`crate::ir::policy::Program`]) on a stack sized once, at
//! construction, to the deepest any of the policy's programs goes, so a
//! decision allocates nothing. What the run observes comes from the
//! policy's [`Observe`]. A division by zero, a result that is no number or
//! not finite is a [`Fault`] at the op's span in the script: the policy
//! reports it and the run stops (never a silent clamp).

use crate::ir::policy::{Binned, Op, Program, Statistic};
use crate::language::observables::{Observable, Series};
use crate::serverless::ids::{NodeId, RegId};
use crate::syntax::source::Span;

/// What a policy reads from the run. The checker lets each kind of policy
/// read only the observables it keeps (`Observable::readers`); the others
/// are never asked, and the defaults say no number.
pub trait Observe {
    /// An observable without a window.
    fn observe(&mut self, observable: Observable) -> f64;
    /// A windowed observable over `window` seconds before now.
    fn windowed(&mut self, _observable: Observable, _window: f64) -> f64 {
        f64::NAN
    }
    /// A statistic of a series over `window` seconds before now
    /// (`fraction` for a percentile); NaN when the series is empty and the
    /// statistic needs a sample.
    fn statistic(&mut self, _series: Series, _statistic: Statistic, _window: f64, _fraction: f64) -> f64 {
        f64::NAN
    }
    /// A statistic of the policy's histogram `histogram` (`fraction` for a
    /// percentile); only a keep-alive policy keeps histograms.
    fn binned(&mut self, _histogram: u16, _statistic: Binned, _fraction: f64) -> f64 {
        f64::NAN
    }
}

/// Why a policy could not decide, and where in the script.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// The policy's name.
    pub policy: String,
    pub span: Span,
    /// "divides by zero", "gives no number (NaN)".
    pub what: &'static str,
    pub now: f64,
    pub reg: Option<RegId>,
    pub node: Option<NodeId>,
}

impl Fault {
    /// The fault `failed` (the span and what, as [`Machine::run`] gives
    /// them) of policy `policy` deciding at `now` for `reg` (on `node`).
    pub fn of(
        policy: &str,
        (span, what): (Span, &'static str),
        now: f64,
        reg: Option<RegId>,
        node: Option<NodeId>,
    ) -> Fault {
        Fault {
            policy: policy.to_string(),
            span,
            what,
            now,
            reg,
            node,
        }
    }
}

/// The stack of a policy's programs.
#[derive(Debug, Default)]
pub struct Machine {
    stack: Vec<f64>,
}

impl Machine {
    /// A machine deep enough for `programs`.
    pub fn for_programs<'p>(programs: impl IntoIterator<Item = &'p Program>) -> Self {
        let depth = programs.into_iter().map(|p| p.depth).max().unwrap_or(0);
        Machine {
            stack: vec![0.0; depth.max(1)],
        }
    }

    /// Runs `program`: its value, or the span of the op that failed and why.
    #[inline]
    pub fn run(&mut self, program: &Program, env: &mut impl Observe) -> Result<f64, (Span, &'static str)> {
        // A program of one op (a constant, one observable: the commonest
        // scores) skips the loop, and inlines where it is run.
        match &program.code[..] {
            [Op::Const(v)] => return Ok(*v),
            [Op::Observe(observable)] => {
                let value = env.observe(*observable);
                if !value.is_finite() {
                    return Err((program.spans[0], not_finite(value)));
                }
                return Ok(value);
            }
            _ => {}
        }
        self.run_code(program, env)
    }

    /// The loop over the ops of `program`.
    fn run_code(&mut self, program: &Program, env: &mut impl Observe) -> Result<f64, (Span, &'static str)> {
        let code = &program.code[..];
        let stack = &mut self.stack[..];
        let mut top = 0usize;
        let mut pc = 0usize;
        while let Some(&op) = code.get(pc) {
            let here = pc;
            pc += 1;
            let value = match op {
                Op::Const(v) => {
                    top += 1;
                    v
                }
                Op::Observe(observable) => {
                    top += 1;
                    env.observe(observable)
                }
                Op::Windowed(observable, window) => {
                    top += 1;
                    env.windowed(observable, window)
                }
                Op::Statistic {
                    series,
                    statistic,
                    window,
                } => {
                    let fraction = if statistic == Statistic::Percentile {
                        stack[top - 1]
                    } else {
                        top += 1;
                        0.0
                    };
                    env.statistic(series, statistic, window, fraction)
                }
                Op::Binned { statistic, histogram } => {
                    let fraction = if statistic == Binned::Percentile {
                        stack[top - 1]
                    } else {
                        top += 1;
                        0.0
                    };
                    env.binned(histogram, statistic, fraction)
                }
                Op::Negate => -stack[top - 1],
                Op::Ceil => stack[top - 1].ceil(),
                Op::Floor => stack[top - 1].floor(),
                Op::JumpUnless(to) => {
                    top -= 1;
                    if stack[top] == 0.0 {
                        pc = to as usize;
                    }
                    continue;
                }
                Op::Jump(to) => {
                    pc = to as usize;
                    continue;
                }
                Op::Clamp => {
                    top -= 2;
                    let (x, low, high) = (stack[top - 1], stack[top], stack[top + 1]);
                    if low > high {
                        return Err((program.spans[here], "clamps between a low bound above its high bound"));
                    }
                    x.clamp(low, high)
                }
                binary => {
                    top -= 1;
                    let (a, b) = (stack[top - 1], stack[top]);
                    match binary {
                        Op::Add => a + b,
                        Op::Subtract => a - b,
                        Op::Multiply => a * b,
                        Op::Divide if b == 0.0 => return Err((program.spans[here], "divides by zero")),
                        Op::Divide => a / b,
                        Op::Power => a.powf(b),
                        // NaN stays NaN (f64::min would drop it).
                        Op::Min if a.is_nan() || b.is_nan() => f64::NAN,
                        Op::Min => a.min(b),
                        Op::Max if a.is_nan() || b.is_nan() => f64::NAN,
                        Op::Max => a.max(b),
                        Op::Below => f64::from(u8::from(a < b)),
                        _ => f64::from(u8::from(a > b)),
                    }
                }
            };
            if !value.is_finite() {
                return Err((program.spans[here], not_finite(value)));
            }
            stack[top - 1] = value;
        }
        Ok(stack[0])
    }
}

/// What a value that is not finite is, for a fault.
#[cold]
fn not_finite(value: f64) -> &'static str {
    if value.is_nan() {
        "gives no number (NaN)"
    } else {
        "gives an infinite number"
    }
}
