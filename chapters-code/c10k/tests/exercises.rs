//! Tests of the chapter's exercises: `cargo test -p c10k --test
//! exercises`. They fail until you solve the exercises in `src/exercises/`.

mod percentiles {
    use std::time::Duration;

    use c10k::exercises::percentiles::summarize;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    #[test]
    fn nearest_rank_on_a_small_list() {
        let s = summarize(&[ms(4), ms(1), ms(3), ms(2)]).unwrap();
        assert_eq!((s.p50, s.p99, s.max), (ms(2), ms(4), ms(4)));
        assert_eq!(s.mean, Duration::from_micros(2500));
    }

    #[test]
    fn one_value_is_every_percentile() {
        let s = summarize(&[ms(7)]).unwrap();
        assert_eq!((s.p50, s.p99, s.max, s.mean), (ms(7), ms(7), ms(7), ms(7)));
    }

    #[test]
    fn nothing_to_summarize() {
        assert_eq!(summarize(&[]), None);
    }

    #[test]
    fn the_mean_hides_the_slow_ones() {
        let mut latencies = vec![ms(1); 98];
        latencies.extend([ms(500), ms(500)]);
        let s = summarize(&latencies).unwrap();
        assert_eq!(s.p50, ms(1));
        assert_eq!(s.p99, ms(500));
        assert_eq!(s.mean, Duration::from_micros(10_980));
    }

    #[test]
    fn order_does_not_matter() {
        let forward: Vec<Duration> = (1..=1000).map(ms).collect();
        let backward: Vec<Duration> = forward.iter().rev().copied().collect();
        let s = summarize(&backward).unwrap();
        assert_eq!(summarize(&forward), Some(s));
        assert_eq!((s.p50, s.p99, s.max), (ms(500), ms(990), ms(1000)));
    }
}
