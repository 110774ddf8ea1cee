//! The slab of running activities (other than stand-alone sleeps) and the
//! steps their sequences still have to run.

use super::activity::Activity;

/// Marks an activity step that uses no solver variable.
pub(crate) const NO_VAR: u32 = u32::MAX;

/// Marks an activity step that is in no pool.
pub(crate) const NO_POOL: u32 = u32::MAX;

/// Marks an activity that is not a sequence.
const NO_STEPS: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Free,
    /// Paying network latency before joining the sharing.
    Latency,
    /// Progressing (or about to complete).
    Running,
}

/// One activity's state; progress is lazy: `remaining` at `last_update`,
/// then `rate` units per second (in a pool, see [`super::pools`]).
#[derive(Debug)]
pub(crate) struct Task<T> {
    pub generation: u32,
    pub phase: Phase,
    pub tag: T,
    /// Sequence number of this activity's live queue entry, 0 when none.
    pub event_seq: u64,
    /// Its solver variable, or `NO_VAR`.
    pub var: u32,
    /// The pool its step progresses in, or `NO_POOL`.
    pub pool: u32,
    pub remaining: f64,
    pub last_update: f64,
    pub rate: f64,
    /// Achieved rate per unit of solver value.
    pub factor: f64,
    /// For a sequence, its index in `Tasks::sequences`; else `NO_STEPS`.
    steps: u32,
}

impl<T> Task<T> {
    /// What is left of the current step at `now`.
    pub fn remaining_at(&self, now: f64) -> f64 {
        (self.remaining - self.rate * (now - self.last_update)).max(0.0)
    }
}

#[derive(Debug)]
pub(crate) struct Tasks<T> {
    tasks: Vec<Task<T>>,
    free: Vec<u32>,
    /// Steps still to run of each live sequence, last step first.
    sequences: Vec<Vec<Activity>>,
    free_sequences: Vec<u32>,
    live: usize,
}

impl<T> Default for Tasks<T> {
    fn default() -> Self {
        Tasks {
            tasks: Vec::new(),
            free: Vec::new(),
            sequences: Vec::new(),
            free_sequences: Vec::new(),
            live: 0,
        }
    }
}

impl<T: Copy> Tasks<T> {
    /// A new task tagged `tag`; `steps` are the sequence's remaining steps,
    /// last first (empty for a single step).
    pub fn alloc(&mut self, tag: T, steps: Vec<Activity>) -> u32 {
        self.live += 1;
        let steps = if steps.is_empty() {
            NO_STEPS
        } else if let Some(i) = self.free_sequences.pop() {
            self.sequences[i as usize] = steps;
            i
        } else {
            self.sequences.push(steps);
            (self.sequences.len() - 1) as u32
        };
        let index = match self.free.pop() {
            Some(i) => i,
            None => {
                self.tasks.push(Task {
                    generation: 0,
                    phase: Phase::Free,
                    tag,
                    event_seq: 0,
                    var: NO_VAR,
                    pool: NO_POOL,
                    remaining: 0.0,
                    last_update: 0.0,
                    rate: 0.0,
                    factor: 1.0,
                    steps: NO_STEPS,
                });
                (self.tasks.len() - 1) as u32
            }
        };
        let task = &mut self.tasks[index as usize];
        task.tag = tag;
        task.steps = steps;
        index
    }

    /// Frees a task: its id goes stale.
    pub fn free(&mut self, index: u32) {
        let task = &mut self.tasks[index as usize];
        task.generation = task.generation.wrapping_add(1);
        task.phase = Phase::Free;
        task.event_seq = 0;
        task.var = NO_VAR;
        if task.steps != NO_STEPS {
            self.sequences[task.steps as usize] = Vec::new();
            self.free_sequences.push(task.steps);
            task.steps = NO_STEPS;
        }
        self.free.push(index);
        self.live -= 1;
    }

    /// Takes the next step of the task's sequence, if any is left.
    pub fn next_step(&mut self, index: u32) -> Option<Activity> {
        match self.tasks[index as usize].steps {
            NO_STEPS => None,
            steps => self.sequences[steps as usize].pop(),
        }
    }

    /// The live task with this index and generation.
    pub fn get(&self, index: u32, generation: u32) -> Option<&Task<T>> {
        self.tasks
            .get(index as usize)
            .filter(|t| t.generation == generation && t.phase != Phase::Free)
    }

    /// Tasks started and not yet freed.
    pub fn live(&self) -> usize {
        self.live
    }
}

impl<T> std::ops::Index<u32> for Tasks<T> {
    type Output = Task<T>;

    fn index(&self, index: u32) -> &Task<T> {
        &self.tasks[index as usize]
    }
}

impl<T> std::ops::IndexMut<u32> for Tasks<T> {
    fn index_mut(&mut self, index: u32) -> &mut Task<T> {
        &mut self.tasks[index as usize]
    }
}
