//! Tests of the chapter's exercises: `cargo test -p shared-state --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod bank_transfer {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use shared_state::exercises::bank_transfer::Bank;

    #[test]
    fn a_transfer_moves_the_money_or_refuses() {
        let bank = Bank::new(&[100, 0]);
        let mut calls = 0;
        assert!(bank.transfer(0, 1, 30, || calls += 1));
        assert_eq!(bank.balances(), [70, 30]);
        assert_eq!(calls, 1, "meanwhile runs once for a transfer that moves");

        assert!(!bank.transfer(1, 0, 31, || calls += 1), "30 is not 31");
        assert_eq!(bank.balances(), [70, 30]);
        assert_eq!(calls, 1, "meanwhile does not run for a refusal");

        assert!(bank.transfer(0, 1, 70, || calls += 1), "all of it");
        assert_eq!(bank.balances(), [0, 100]);
        assert!(bank.transfer(1, 1, 100, || ()), "to itself");
        assert_eq!(bank.balances(), [0, 100]);
    }

    #[test]
    fn two_transfers_cannot_spend_the_same_money() {
        // A checks that account 0 holds 80, and then, before it moves the
        // money, waits a while for B to find the same 80 there. The racy
        // version lets B check meanwhile, and both take 80 of 100.
        let bank = Bank::new(&[100, 0, 0]);
        let (a_checked_tx, a_checked_rx) = mpsc::channel();
        let (b_checked_tx, b_checked_rx) = mpsc::channel();
        let bank = &bank;
        let (a, b) = thread::scope(|s| {
            let a = s.spawn(move || {
                bank.transfer(0, 1, 80, || {
                    a_checked_tx.send(()).unwrap();
                    let _ =
                        b_checked_rx.recv_timeout(Duration::from_millis(300));
                })
            });
            a_checked_rx
                .recv_timeout(Duration::from_secs(10))
                .expect("A found the money and called meanwhile");
            let b = s.spawn(move || {
                bank.transfer(0, 2, 80, || {
                    let _ = b_checked_tx.send(());
                })
            });
            (a.join().unwrap(), b.join().unwrap())
        });
        assert_eq!((a, b), (true, false), "A moved the money, B found 20");
        assert_eq!(bank.balances(), [20, 80, 0]);
    }

    /// A small random number generator (xorshift), so that the test needs
    /// no crate.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Sets its flag when dropped, even while unwinding.
    struct Stop<'a>(&'a AtomicBool);

    impl Drop for Stop<'_> {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }

    #[test]
    fn money_is_conserved_under_many_transfers() {
        const ACCOUNTS: usize = 5;
        const START: i64 = 1_000;
        let bank = Bank::new(&[START; ACCOUNTS]);
        let total = START * ACCOUNTS as i64;
        let done = AtomicBool::new(false);
        let (changes, audits) = thread::scope(|s| {
            // An auditor checks the books while the transfers run, and
            // keeps the first books that do not add up.
            let auditor = s.spawn(|| {
                let mut audits = 0;
                while !done.load(Ordering::Relaxed) {
                    let books = bank.balances();
                    let sum: i64 = books.iter().sum();
                    if sum != total || books.iter().any(|&b| b < 0) {
                        return (audits, Some(books));
                    }
                    audits += 1;
                    thread::yield_now();
                }
                (audits, None)
            });
            let workers: Vec<_> = (1..=4u64)
                .map(|seed| {
                    let bank = &bank;
                    s.spawn(move || {
                        // What this thread's own transfers moved.
                        let mut change = [0i64; ACCOUNTS];
                        let mut state =
                            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                        for _ in 0..20_000 {
                            let from = next(&mut state) as usize % ACCOUNTS;
                            let to = next(&mut state) as usize % ACCOUNTS;
                            let amount = (next(&mut state) % 300 + 1) as i64;
                            if bank.transfer(from, to, amount, || ()) {
                                change[from] -= amount;
                                change[to] += amount;
                            }
                        }
                        change
                    })
                })
                .collect();
            let changes: Vec<_> = {
                // Stops the auditor when the workers are done, or when one
                // of them panicked and `unwrap` passes the panic on.
                let _stop = Stop(&done);
                workers.into_iter().map(|w| w.join().unwrap()).collect()
            };
            (changes, auditor.join().unwrap())
        });
        let (audits, wrong) = audits;
        assert_eq!(
            wrong, None,
            "the books did not add up after {audits} audits"
        );
        let balances = bank.balances();
        for (account, &balance) in balances.iter().enumerate() {
            let moved: i64 = changes.iter().map(|c| c[account]).sum();
            assert_eq!(balance, START + moved, "account {account}");
        }
        assert_eq!(bank.total(), total);
    }
}
