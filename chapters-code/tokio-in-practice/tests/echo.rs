//! Version 7 against the blocking I/O chapter's conformance suite: every case,
//! with the cap.

blocking_io::conformance!(tokio_in_practice::echo::start, Concurrent, Capped);

/// Finished sessions are collected as they end: after twenty clients have
/// come and gone, the set holds at most one task when the stop comes. Not
/// zero: a client sees its connection close when the session drops the
/// socket, a moment before the session's task ends and the accept loop
/// collects it. The pause below makes it likely that the last session is
/// collected too, but on a busy machine it cannot promise it. Nineteen or
/// twenty held tasks would mean the set keeps what has finished.
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
