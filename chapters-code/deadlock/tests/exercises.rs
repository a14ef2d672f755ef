//! Tests of the chapter's exercises: `cargo test -p deadlock --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod ordered_locks {
    use std::sync::Arc;
    use std::sync::mpsc;
    use std::thread;
    use std::time::Duration;

    use deadlock::exercises::ordered_locks::Bank;

    /// Runs `f` on a thread of its own and returns what it returned; fails
    /// if it panicked, or if it has not returned after a long while: a
    /// deadlock never ends by itself.
    fn guarded<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        support::guard::guarded(
            Duration::from_secs(60),
            "the work (a deadlock?)",
            f,
        )
    }

    #[test]
    fn lock_accounts_takes_each_named_account_once() {
        let balances = guarded(|| {
            let bank = Bank::new(&[10, 20, 30, 40]);
            {
                let mut guards = bank.lock_accounts(&[2, 0, 2, 1]);
                let ids: Vec<usize> = guards.keys().copied().collect();
                assert_eq!(ids, [0, 1, 2]);
                let held: Vec<i64> = guards.values().map(|b| **b).collect();
                assert_eq!(held, [10, 20, 30]);
                for id in 0..3 {
                    assert!(bank.accounts[id].try_lock().is_err(), "{id} held");
                }
                assert!(bank.accounts[3].try_lock().is_ok(), "3 not named");
                **guards.get_mut(&2).unwrap() += 5;
            }
            assert!(bank.lock_accounts(&[]).is_empty());
            bank.balances()
        });
        assert_eq!(balances, [10, 20, 35, 40], "every lock was let go");
    }

    #[test]
    fn a_transfer_moves_the_money_or_refuses() {
        let balances = guarded(|| {
            let bank = Bank::new(&[100, 0]);
            assert!(bank.transfer(0, 1, 30));
            assert_eq!(bank.balances(), [70, 30]);
            assert!(!bank.transfer(1, 0, 31), "30 is not 31");
            assert_eq!(bank.balances(), [70, 30]);
            assert!(bank.transfer(0, 0, 70), "to itself, all of it");
            assert!(!bank.transfer(0, 0, 71), "to itself, too much");
            bank.balances()
        });
        assert_eq!(balances, [70, 30]);
    }

    #[test]
    fn a_thread_waiting_for_a_lock_holds_no_higher_one() {
        // The test holds account 0. A thread asks for 1 and 0, in that
        // order. In the global order it must wait for 0 *before* it takes
        // 1, so account 1 stays free all the while: holding 1 while waiting
        // for 0 is half of the chapter's deadlock.
        let bank = Arc::new(Bank::new(&[100, 100]));
        let held = bank.accounts[0].lock().unwrap();
        let (done_tx, done_rx) = mpsc::channel();
        {
            let bank = bank.clone();
            thread::spawn(move || {
                let guards = bank.lock_accounts(&[1, 0]);
                done_tx.send(guards.len()).unwrap();
            });
        }
        for _ in 0..100 {
            thread::sleep(Duration::from_millis(2));
            assert!(
                bank.accounts[1].try_lock().is_ok(),
                "account 1 was taken by a thread that waits for account 0"
            );
        }
        drop(held);
        let locked = done_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the thread got both locks once 0 was free");
        assert_eq!(locked, 2);
    }

    /// A small random number generator (xorshift), so that the test needs
    /// no crate.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn transfers_in_every_direction_at_once_all_finish() {
        const START: i64 = 1_000;
        let (balances, audits) = guarded(|| {
            let bank = Arc::new(Bank::new(&[START; 3]));
            let threads: Vec<_> = (1..=4u64)
                .map(|seed| {
                    let bank = bank.clone();
                    thread::spawn(move || {
                        let mut state =
                            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                        let mut audits = Vec::new();
                        for i in 0..5_000 {
                            let from = (next(&mut state) % 3) as usize;
                            let to = (next(&mut state) % 3) as usize;
                            bank.transfer(
                                from,
                                to,
                                (next(&mut state) % 50) as i64,
                            );
                            if i % 100 == 0 {
                                // All three at one moment, named backwards.
                                let guards = bank.lock_accounts(&[2, 1, 0]);
                                audits.push(guards.values().map(|b| **b).sum());
                            }
                        }
                        audits
                    })
                })
                .collect();
            let audits: Vec<i64> = threads
                .into_iter()
                .flat_map(|t| t.join().unwrap())
                .collect();
            (bank.balances(), audits)
        });
        assert!(audits.iter().all(|&sum| sum == 3 * START), "{audits:?}");
        assert_eq!(balances.iter().sum::<i64>(), 3 * START, "{balances:?}");
        assert!(balances.iter().all(|&b| b >= 0), "{balances:?}");
    }
}
