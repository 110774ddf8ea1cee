//! An [`InvocationRecord`] in 80 bytes rather than 120, as the simulation
//! hands it to the report writer's thread: its options are presence bits
//! and its enums bytes. The simulation's copy of each record into a batch
//! is a cache miss per line written, on the simulation's own time, so
//! fewer lines per record is time the simulation does not wait. Unpacking
//! gives back the very record packed.

use super::record::{Cause, InvocationRecord, StartKind, Startup};

/// One record, packed.
#[derive(Debug, Clone, Copy)]
pub struct PackedRecord {
    id: u64,
    /// Valid when [`HAS_INSTANCE`] is set.
    instance: u64,
    submit: f64,
    /// Each valid when its presence bit is set.
    dispatch: f64,
    start: f64,
    end: f64,
    finish: f64,
    cores: f64,
    function: u32,
    service: u32,
    /// Valid when [`HAS_NODE`] is set.
    node: u32,
    /// 1 + the enum's index; 0: none.
    cause: u8,
    start_kind: u8,
    startup: u8,
    /// Which options are present.
    present: u8,
}

const HAS_DISPATCH: u8 = 1;
const HAS_START: u8 = 2;
const HAS_END: u8 = 4;
const HAS_NODE: u8 = 8;
const HAS_INSTANCE: u8 = 16;

impl PackedRecord {
    pub fn pack(r: &InvocationRecord) -> PackedRecord {
        let bit = |present: bool, bit: u8| if present { bit } else { 0 };
        PackedRecord {
            id: r.id,
            instance: r.instance.unwrap_or(0),
            submit: r.submit,
            dispatch: r.dispatch.unwrap_or(0.0),
            start: r.start.unwrap_or(0.0),
            end: r.end.unwrap_or(0.0),
            finish: r.finish,
            cores: r.cores,
            function: r.function,
            service: r.service,
            node: r.node.unwrap_or(0),
            cause: r.cause.map_or(0, |c| c as u8 + 1),
            start_kind: r.start_kind.map_or(0, |k| k as u8 + 1),
            startup: r.startup.map_or(0, |s| s as u8 + 1),
            present: bit(r.dispatch.is_some(), HAS_DISPATCH)
                | bit(r.start.is_some(), HAS_START)
                | bit(r.end.is_some(), HAS_END)
                | bit(r.node.is_some(), HAS_NODE)
                | bit(r.instance.is_some(), HAS_INSTANCE),
        }
    }

    pub fn unpack(&self) -> InvocationRecord {
        let has = |bit: u8| self.present & bit != 0;
        InvocationRecord {
            id: self.id,
            function: self.function,
            service: self.service,
            submit: self.submit,
            dispatch: has(HAS_DISPATCH).then_some(self.dispatch),
            start: has(HAS_START).then_some(self.start),
            end: has(HAS_END).then_some(self.end),
            finish: self.finish,
            node: has(HAS_NODE).then_some(self.node),
            cause: index(&Cause::ALL, self.cause),
            start_kind: index(&StartKind::ALL, self.start_kind),
            startup: index(&Startup::ALL, self.startup),
            instance: has(HAS_INSTANCE).then_some(self.instance),
            cores: self.cores,
        }
    }
}

/// `all[packed - 1]`; `None` for 0.
fn index<T: Copy>(all: &[T], packed: u8) -> Option<T> {
    all.get((packed as usize).checked_sub(1)?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eighty_bytes() {
        assert_eq!(std::mem::size_of::<PackedRecord>(), 80);
    }

    /// Every option absent and present, every value of every enum.
    #[test]
    fn unpacking_gives_back_the_record_packed() {
        let base = InvocationRecord {
            id: u64::MAX,
            function: 7,
            service: u32::MAX,
            submit: 1.5,
            dispatch: None,
            start: None,
            end: None,
            finish: -0.0,
            node: None,
            cause: None,
            start_kind: None,
            startup: None,
            instance: None,
            cores: 0.25,
        };
        let mut records = vec![base];
        for i in 0..Cause::ALL.len() {
            let options = |bit: usize| i & bit != 0;
            records.push(InvocationRecord {
                id: i as u64,
                dispatch: options(1).then_some(2.0),
                start: options(2).then_some(3.0),
                end: options(4).then_some(0.0),
                node: options(8).then_some(u32::MAX),
                instance: options(1).then_some(0),
                cause: Some(Cause::ALL[i]),
                start_kind: Some(StartKind::ALL[i % StartKind::ALL.len()]),
                startup: Some(Startup::ALL[i % Startup::ALL.len()]),
                ..base
            });
        }
        for r in records {
            assert_eq!(PackedRecord::pack(&r).unpack(), r);
        }
    }
}
