//! `workload { ... }` blocks: invocation streams, rate profiles and replays.

use pest::iterators::Pair;

use super::Walker;
use super::recover::Context;
use crate::syntax::ast::{Clause, ClauseKind, Client, ClientStep, Invoke, Profile, Ramp, Replay, Stage, Workload};
use crate::syntax::grammar::Rule;

impl Walker<'_> {
    pub(crate) fn workload(&mut self, pair: Pair<Rule>) -> Workload {
        let mut workload = Workload {
            invokes: Vec::new(),
            replays: Vec::new(),
            clients: Vec::new(),
            span: self.span(&pair),
        };
        for stmt in pair.into_inner() {
            match stmt.as_rule() {
                Rule::invoke_stmt => workload.invokes.extend(self.invoke(stmt)),
                Rule::replay_stmt => workload.replays.extend(self.replay(stmt)),
                Rule::client_block => workload.clients.push(self.client(stmt)),
                Rule::bad_stmt => self.bad_statement(stmt, Context::Workload),
                _ => {}
            }
        }
        workload
    }

    fn client(&mut self, pair: Pair<Rule>) -> Client {
        let span = self.span(&pair);
        let mut steps = Vec::new();
        for stmt in pair.into_inner().skip(1) {
            let stmt_span = self.span(&stmt);
            match stmt.as_rule() {
                Rule::invoke_stmt => steps.extend(self.invoke(stmt).map(ClientStep::Invoke)),
                Rule::wait_step => steps.push(ClientStep::Wait(stmt_span)),
                Rule::sleep_step => {
                    if let Some(amount) = stmt.into_inner().nth(1) {
                        steps.push(ClientStep::Sleep(self.expr(amount), stmt_span));
                    }
                }
                Rule::bad_stmt => self.bad_statement(stmt, Context::Client),
                _ => {}
            }
        }
        Client { steps, span }
    }

    fn invoke(&mut self, pair: Pair<Rule>) -> Option<Invoke> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let target = self.ident(inner.next()?);
        let clauses = inner.filter_map(|p| self.clause(p)).collect();
        Some(Invoke { target, clauses, span })
    }

    fn clause(&mut self, pair: Pair<Rule>) -> Option<Clause> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if matches!(rule, Rule::ramp | Rule::stages) {
            let profile = self.profile(pair)?;
            return Some(Clause {
                kind: ClauseKind::Paced(profile),
                span,
            });
        }
        let mut inner = pair.into_inner().skip(1);
        let kind = match rule {
            Rule::on_clause => ClauseKind::On(self.ident(inner.next()?)),
            Rule::at_clause => ClauseKind::At(self.expr(inner.next()?)),
            Rule::every_clause => ClauseKind::Every(self.expr(inner.next()?)),
            Rule::count_clause => ClauseKind::Count(self.expr(inner.next()?)),
            Rule::for_clause => ClauseKind::For(self.expr(inner.next()?)),
            Rule::burst_clause => ClauseKind::Burst(self.expr(inner.next()?)),
            Rule::poisson_clause => ClauseKind::Poisson(self.profile(inner.next()?)?),
            Rule::rate_clause => ClauseKind::Paced(self.profile(inner.next()?)?),
            Rule::closed_clause => {
                let users = self.expr(inner.next()?);
                // After the users: `users`, then optionally `think` and its value.
                let think = inner.find(|p| p.as_rule() == Rule::expr).map(|p| self.expr(p));
                ClauseKind::Closed { users, think }
            }
            _ => return None,
        };
        Some(Clause { kind, span })
    }

    /// A constant rate (any expression), a ramp or stages.
    fn profile(&mut self, pair: Pair<Rule>) -> Option<Profile> {
        Some(match pair.as_rule() {
            Rule::ramp => Profile::Ramp(Box::new(self.ramp(pair)?)),
            Rule::stages => {
                let span = self.span(&pair);
                let mut stages = Vec::new();
                for stage in pair.into_inner().skip(1) {
                    let stage_span = self.span(&stage);
                    match stage.as_rule() {
                        Rule::ramp => stages.extend(self.ramp(stage).map(Stage::Ramp)),
                        Rule::hold_stage => {
                            let mut parts = stage.into_inner();
                            let rate = self.expr(parts.next()?);
                            let duration = self.expr(parts.nth(1)?);
                            stages.push(Stage::Hold {
                                rate,
                                duration,
                                span: stage_span,
                            });
                        }
                        Rule::bad_stmt => self.bad_statement(stage, Context::Stages),
                        _ => {}
                    }
                }
                Profile::Stages(stages, span)
            }
            _ => Profile::Constant(self.expr(pair)),
        })
    }

    fn ramp(&mut self, pair: Pair<Rule>) -> Option<Ramp> {
        let span = self.span(&pair);
        let mut exprs = pair.into_inner().filter(|p| p.as_rule() == Rule::expr);
        let from = self.expr(exprs.next()?);
        let to = self.expr(exprs.next()?);
        let over = self.expr(exprs.next()?);
        Some(Ramp { from, to, over, span })
    }

    fn replay(&mut self, pair: Pair<Rule>) -> Option<Replay> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let format = self.ident(inner.next()?);
        let path = self.expr(inner.next()?);
        let mut replay = Replay {
            format,
            path,
            service: None,
            template: None,
            properties: Vec::new(),
            span,
        };
        for p in inner {
            match p.as_rule() {
                Rule::on_clause => replay.service = p.into_inner().nth(1).map(|i| self.ident(i)),
                Rule::as_clause => replay.template = p.into_inner().nth(1).map(|i| self.ident(i)),
                Rule::prop_block => replay.properties = self.prop_block(p),
                _ => {}
            }
        }
        Some(replay)
    }
}
