//! A cell that starts a tokio runtime and runs a task on it.
#[tokio::main]
async fn main() {
    let answer = tokio::spawn(async { 6 * 7 }).await.expect("the task does not panic");
    println!("a tokio task answered {answer}");
}
