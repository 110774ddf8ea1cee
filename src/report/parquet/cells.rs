//! A column's rows of one row group before they are encoded (dates,
//! name keys): the values of the rows that have one and, for a column whose
//! cells may be empty, a definition level per row, which a version 1 data
//! page starts with ([`chunk::levels`]).

use super::chunk;

pub(crate) struct Cells<T> {
    /// The values of the rows that have one.
    pub(super) values: Vec<T>,
    /// Definition levels, a row at a time: 1 for a value, 0 for an empty
    /// cell; `None` for a column that is never empty.
    levels: Option<Vec<u32>>,
}

impl<T> Cells<T> {
    /// A column whose cells may be empty when `nullable`.
    pub(super) fn new(nullable: bool) -> Self {
        Cells {
            values: Vec::new(),
            levels: nullable.then(Vec::new),
        }
    }

    /// Appends rows of a column that is never empty.
    pub(crate) fn extend(&mut self, values: impl Iterator<Item = T>) {
        self.values.extend(values);
    }

    /// Appends rows of a column whose cells may be empty.
    pub(crate) fn extend_option(&mut self, values: impl Iterator<Item = Option<T>> + Clone) {
        let levels = self.levels.as_mut().expect("a column whose cells may be empty");
        levels.extend(values.clone().map(|value| u32::from(value.is_some())));
        self.values.extend(values.flatten());
    }

    /// Rows appended since the last chunk.
    pub(super) fn rows(&self) -> usize {
        self.levels.as_ref().map_or(self.values.len(), Vec::len)
    }

    /// Empty cells among them.
    pub(super) fn nulls(&self) -> usize {
        self.rows() - self.values.len()
    }

    /// Starts a data page with the rows' definition levels, if any.
    pub(super) fn write_levels(&self, page: &mut Vec<u8>) {
        if let Some(levels) = &self.levels {
            chunk::levels(levels, page);
        }
    }

    /// Forgets the rows once their chunk is written.
    pub(super) fn clear(&mut self) {
        self.values.clear();
        if let Some(levels) = &mut self.levels {
            levels.clear();
        }
    }
}
