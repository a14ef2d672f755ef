//! A slab: a `Vec` of slots that hands out the index of a free slot for
//! each value stored, and reuses slots when values leave. The executor
//! keeps its live tasks in one, the reactor its sockets (the index is the
//! socket's mio `Token`).

/// Values stored at stable indices.
#[derive(Debug)]
pub(crate) struct Slab<T> {
    slots: Vec<Option<T>>,
    free: Vec<usize>,
    len: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }
}

impl<T> Slab<T> {
    /// The index the next `insert` will use.
    pub(crate) fn vacant(&self) -> usize {
        self.free.last().copied().unwrap_or(self.slots.len())
    }

    /// Stores `value`; returns its index.
    pub(crate) fn insert(&mut self, value: T) -> usize {
        self.len += 1;
        match self.free.pop() {
            Some(i) => {
                self.slots[i] = Some(value);
                i
            }
            None => {
                self.slots.push(Some(value));
                self.slots.len() - 1
            }
        }
    }

    /// Takes the value at `i` out, if there is one.
    pub(crate) fn remove(&mut self, i: usize) -> Option<T> {
        let value = self.slots.get_mut(i)?.take();
        if value.is_some() {
            self.len -= 1;
            self.free.push(i);
        }
        value
    }

    #[cfg_attr(loom, allow(dead_code))]
    pub(crate) fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.slots.get_mut(i)?.as_mut()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Takes every value out, leaving the slab empty.
    pub(crate) fn drain(&mut self) -> Vec<T> {
        self.free.clear();
        self.len = 0;
        std::mem::take(&mut self.slots)
            .into_iter()
            .flatten()
            .collect()
    }
}
