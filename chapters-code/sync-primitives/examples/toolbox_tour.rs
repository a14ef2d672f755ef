//! Cell `toolbox_tour`: the standard library's synchronization
//! tools, one small job each.
//@ [[vary]]
//@ what = "thread id"
//@ pattern = "thread '<unnamed>' \\((\\d+)\\) panicked"
// HIDE_START
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Condvar, Mutex, RwLock};
use std::thread;
// HIDE_END

fn main() {
    // Mutex: `lock` returns a guard; the lock is released when it drops.
    let total = Mutex::new(0);
    thread::scope(|s| {
        for n in 1..=4 {
            let total = &total;
            s.spawn(move || *total.lock().unwrap() += n);
        }
    });
    println!(
        "Mutex:   four threads added 1..=4: {}",
        total.lock().unwrap()
    );

    // Poisoning: a thread panics while holding the lock. Later `lock` calls
    // return an error, because the data may be half-updated; the data is
    // still there for whoever decides it is fine.
    let list = Mutex::new(vec![1, 2, 3]);
    let _ = thread::scope(|s| {
        s.spawn(|| {
            let mut list = list.lock().unwrap();
            list.push(4);
            panic!("on purpose, while holding the lock");
        })
        .join()
    });
    match list.lock() {
        Ok(_) => println!("Mutex:   not poisoned?"),
        Err(poisoned) => {
            let list = poisoned.into_inner();
            println!("Mutex:   poisoned; the data inside is {:?}", *list);
        }
    }

    // RwLock: many readers at once, or one writer.
    let config = RwLock::new(String::from("v1"));
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| assert_eq!(*config.read().unwrap(), "v1"));
        }
    });
    *config.write().unwrap() = String::from("v2");
    println!(
        "RwLock:  three readers saw v1, then a writer set {}",
        config.read().unwrap()
    );

    // Condvar: sleep until a condition holds, woken by whoever changes it.
    let (queue, nonempty) = (Mutex::new(Vec::new()), Condvar::new());
    thread::scope(|s| {
        s.spawn(|| {
            let queue = queue.lock().unwrap();
            let mut queue =
                nonempty.wait_while(queue, |q| q.is_empty()).unwrap();
            println!("Condvar: the consumer woke up to {:?}", queue.pop());
        });
        queue.lock().unwrap().push("job 1");
        nonempty.notify_one();
    });

    // Barrier: nobody goes on until everybody has arrived.
    let barrier = Barrier::new(3);
    let leaders = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                if barrier.wait().is_leader() {
                    leaders.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    println!(
        "Barrier: three threads met; exactly {} was told it is the leader",
        leaders.into_inner()
    );

    // Atomics: compare-and-swap changes a value only if it is still what we
    // last saw; fetch_add adds in one indivisible step.
    let hits = AtomicU64::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                (0..1000).for_each(|_| {
                    hits.fetch_add(1, Ordering::Relaxed);
                })
            });
        }
    });
    let seen = hits.load(Ordering::Relaxed);
    let swapped =
        hits.compare_exchange(seen, 0, Ordering::SeqCst, Ordering::SeqCst);
    let stale =
        hits.compare_exchange(seen, 0, Ordering::SeqCst, Ordering::SeqCst);
    println!(
        "Atomics: 4 x 1000 fetch_adds gave {seen}; CAS {seen} -> 0: {swapped:?}; again: {stale:?}"
    );
}
