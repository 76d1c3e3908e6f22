//! A one-shot event: set once by the worker that completes an op, waited on by others.

use std::sync::{Condvar, Mutex};

/// One-shot completion flag with blocking wait.
#[derive(Default)]
pub(crate) struct Event {
    state: Mutex<EventState>,
    condvar: Condvar,
}

#[derive(Default)]
struct EventState {
    signaled: bool,
    waiters: usize,
}

impl Event {
    /// Marks the event as done and wakes every waiter.
    pub(crate) fn signal(&self) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.signaled = true;
        if st.waiters > 0 {
            self.condvar.notify_all();
        }
    }

    /// Blocks until the event is signaled.
    pub(crate) fn wait(&self) {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        st.waiters += 1;
        while !st.signaled {
            st = self.condvar.wait(st).unwrap_or_else(|p| p.into_inner());
        }
        st.waiters -= 1;
    }
}
