//! Version 7 against the blocking I/O chapter's conformance suite: every case,
//! with the cap.

blocking_io::conformance!(tokio_in_practice::echo::start, Concurrent);

#[test]
fn cap_holds() {
    suite::cap_holds(start_server);
}

/// Over the cap, at most `REFUSALS` clients at a time are told "busy"; the
/// rest are closed at once. The refused clients here never close, so each
/// refusal holds its permit for its 100 ms of lingering; the burst comes
/// faster than that unless the machine is very busy, so this tries a few
/// times.
#[test]
fn refusals_are_bounded() {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    use blocking_io::Config;
    use blocking_io::server::busy_line;
    use tokio_in_practice::echo::{REFUSALS, start};

    let config = Config {
        max_connections: 1,
        ..Config::default()
    };
    let mut seen = Vec::new();
    let bounded = (0..3).any(|_| {
        let server = start("127.0.0.1:0", config).unwrap();
        let addr = server.local_addr();
        let mut held = TcpStream::connect(addr).unwrap();
        held.write_all(b"hi\n").unwrap();
        let mut back = [0; 3];
        held.read_exact(&mut back).unwrap();
        let mut extra: Vec<TcpStream> = (0..REFUSALS + 8)
            .map(|_| TcpStream::connect(addr).unwrap())
            .collect();
        let (mut busy, mut dropped) = (0, 0);
        for client in &mut extra {
            client
                .set_read_timeout(Some(Duration::from_secs(5)))
                .unwrap();
            let mut got = Vec::new();
            let _ = client.read_to_end(&mut got);
            if got == busy_line(1) {
                busy += 1;
            } else {
                assert!(got.is_empty(), "{got:?}");
                dropped += 1;
            }
        }
        server.shutdown();
        seen.push((busy, dropped));
        busy >= 1 && dropped >= 1
    });
    assert!(bounded, "(busy, dropped) per try: {seen:?}");
}

/// Finished sessions are collected as they end: after twenty clients have
/// come and gone, the set holds none of them.
#[tokio::test]
async fn finished_sessions_are_collected() {
    use std::time::Duration;

    use blocking_io::Config;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio_in_practice::echo::serve;
    use tokio_util::sync::CancellationToken;

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let stop = CancellationToken::new();
    let server = tokio::spawn(serve(listener, Config::default(), stop.clone()));
    for _ in 0..20 {
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"bye\n").await.unwrap();
        let mut back = Vec::new();
        client.read_to_end(&mut back).await.unwrap();
        assert_eq!(back, b"bye\n");
    }
    // The last session may be finishing still: give it a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.cancel();
    let held = server.await.unwrap();
    assert!(held <= 1, "{held} tasks held at the stop");
}
