//! An ordered parallel map: items are processed on several threads, and their results
//! reach the consumer in input order, with at most a fixed number of results computed
//! ahead of it. A run over many files therefore holds a few files at a time, not all
//! of them, and still prints them in a deterministic order.

use std::collections::BTreeMap;
use std::sync::{mpsc, Condvar, Mutex, PoisonError};

/// Calls `work` on every item on `threads` threads and `sink` on every result, in the
/// order of `items`, on the calling thread. A worker does not start item `i` before
/// the results of items up to `i - window` have been passed to `sink`. Items are drawn
/// from the iterator as workers become free, so a lazy iterator (a directory walk) is
/// never held whole in memory.
pub fn for_each_ordered<I, R>(
    items: I,
    threads: usize,
    window: usize,
    work: impl Fn(I::Item) -> R + Sync,
    mut sink: impl FnMut(R),
) where
    I: IntoIterator,
    I::IntoIter: Send,
    I::Item: Send,
    R: Send,
{
    let mut items = items.into_iter().fuse();
    // One item (a file saved in an editor, a hook's one staged file) is worked on the
    // calling thread: spawning workers for it would only add their start-up.
    let first = items.next();
    let second = items.next();
    let several = second.is_some();
    let items = first.into_iter().chain(second).chain(items);
    if threads <= 1 || !several {
        items.for_each(|item| sink(work(item)));
        return;
    }
    let window = window.max(1);
    // The iterator and the index of the item it yields next.
    let source = Mutex::new((items, 0usize));
    let gate = Gate::default();
    let (sender, receiver) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (source, gate, work) = (&source, &gate, &work);
            scope.spawn(move || {
                let _abort_on_panic = AbortOnPanic(gate);
                loop {
                    let (index, item) = {
                        let mut source = source.lock().unwrap_or_else(PoisonError::into_inner);
                        let Some(item) = source.0.next() else { break };
                        source.1 += 1;
                        (source.1 - 1, item)
                    };
                    if !gate.wait_until_within(index, window) {
                        break;
                    }
                    if sender.send((index, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let _abort_on_panic = AbortOnPanic(&gate);
        // Results that arrived before an earlier one, by index.
        let mut early = BTreeMap::new();
        let mut expected = 0;
        // Ends when every worker has finished (or one panicked: the scope re-raises it).
        for (index, result) in receiver {
            early.insert(index, result);
            while let Some(result) = early.remove(&expected) {
                sink(result);
                expected += 1;
            }
            gate.set_consumed(expected);
        }
    });
}

/// How many results the consumer has taken, and whether the run is being abandoned.
#[derive(Default)]
struct Gate {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Gate {
    /// Blocks until `index` is within `window` of the consumer; false if the run is
    /// abandoned.
    fn wait_until_within(&self, index: usize, window: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while index >= state.0 + window && !state.1 {
            state = self
                .changed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !state.1
    }

    fn set_consumed(&self, consumed: usize) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).0 = consumed;
        self.changed.notify_all();
    }

    fn abort(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).1 = true;
        self.changed.notify_all();
    }
}

/// Releases waiting workers when its thread unwinds, so a panic surfaces instead of
/// leaving the others blocked forever.
struct AbortOnPanic<'a>(&'a Gate);

impl Drop for AbortOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_arrive_in_input_order() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        // Uneven work, so that later items often finish first.
        for_each_ordered(
            &items,
            4,
            8,
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 200));
                n * 2
            },
            |r| seen.push(r),
        );
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn workers_stay_within_the_window() {
        let items: Vec<usize> = (0..300).collect();
        let started = AtomicUsize::new(0);
        let mut consumed = 0;
        let window = 5;
        for_each_ordered(
            &items,
            3,
            window,
            |&i| {
                started.fetch_max(i + 1, Ordering::SeqCst);
                i
            },
            |i| {
                // When item `i` is consumed, nothing past `i + window` may have started.
                assert!(started.load(Ordering::SeqCst) <= i + window);
                assert_eq!(i, consumed);
                consumed += 1;
            },
        );
        assert_eq!(consumed, items.len());
    }

    #[test]
    fn a_lazy_source_is_drawn_only_as_far_as_the_window() {
        let drawn = AtomicUsize::new(0);
        let items = (0..200).inspect(|_| {
            drawn.fetch_add(1, Ordering::SeqCst);
        });
        let (threads, window) = (3, 4);
        let mut consumed = 0;
        for_each_ordered(
            items,
            threads,
            window,
            |i| i,
            |i| {
                // Each waiting worker holds at most one item drawn past the window.
                assert!(drawn.load(Ordering::SeqCst) <= i + window + threads);
                assert_eq!(i, consumed);
                consumed += 1;
            },
        );
        assert_eq!(consumed, 200);
    }

    #[test]
    fn a_single_item_is_worked_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let mut seen = Vec::new();
        for_each_ordered(
            [7],
            4,
            4,
            |n| (n, std::thread::current().id()),
            |r| seen.push(r),
        );
        assert_eq!(seen, vec![(7, caller)]);
        // Two items go to the workers.
        let mut threads = Vec::new();
        for_each_ordered(
            [1, 2],
            2,
            4,
            |_| std::thread::current().id(),
            |t| threads.push(t),
        );
        assert!(threads.iter().all(|t| *t != caller));
    }

    #[test]
    fn one_thread_and_empty_input_work() {
        let mut seen = Vec::new();
        for_each_ordered(&[1, 2, 3], 1, 1, |n| n + 1, |r| seen.push(r));
        for_each_ordered(&[] as &[i32], 4, 4, |n| n + 1, |r| seen.push(r));
        assert_eq!(seen, vec![2, 3, 4]);
    }

    #[test]
    fn a_panicking_worker_surfaces_instead_of_hanging() {
        let items: Vec<usize> = (0..100).collect();
        let outcome = std::panic::catch_unwind(|| {
            for_each_ordered(
                &items,
                2,
                2,
                |&i| {
                    assert_ne!(i, 3, "boom");
                    i
                },
                |_| {},
            )
        });
        assert!(outcome.is_err());
    }
}
