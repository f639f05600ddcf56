//! How long the words pipeline (`app::words::screen`: personal details,
//! offensive language, risk phrases) adds to each free-text answer, on
//! typical answers: a short one (about 40 characters) and a long one (about
//! 1,000), against heard's standard risk list plus 50 phrases added in the
//! app. Prints microseconds per call, and each part on its own. Run with
//! `make bench`.
//!
//! Bounded: a fixed number of calls, no I/O.

use app::text;
use app::words::{offensive, personal, risk::RiskList, screen};
use std::hint::black_box;
use std::time::Instant;

const SHORT: &str = "More football please and a later bus home";

const LONG: &str = "I have been coming to the youth club since I was 11 and I am 14 now. \
It is the only place round here where there is anything to do in the evenings, \
because the park has no lights and the shops close at 6. The staff are really \
nice and they listen to us, like when we asked for a gaming night they actually \
did it. My favourite thing is the music studio, I made a beat on the laptop and \
Sam helped me record it. I would like the club to be open on Sundays and in the \
holidays, and it should start at 7:30pm instead of 7 because I have football \
training on Tuesdays and Thursdays. The bus costs £2 each way which adds up, \
so maybe the council could help with that. The pool table is broken and the \
wifi is rubbish. More trips would be good, the trip to Alton Towers was the \
best day ever. I also think there should be more girls only sessions and a quiet \
room for people who need a break. Thank you for everything you do for us.";

/// Mean microseconds per call of `f` over `n` calls, after a warm-up.
fn time<T>(n: u32, mut f: impl FnMut() -> T) -> f64 {
    for _ in 0..n / 10 {
        black_box(f());
    }
    let started = Instant::now();
    for _ in 0..n {
        black_box(f());
    }
    started.elapsed().as_secs_f64() * 1e6 / n as f64
}

fn main() {
    let started = Instant::now();
    black_box(RiskList::standard_len());
    let build_standard = started.elapsed().as_secs_f64() * 1e3;
    let additions: Vec<String> = (0..50)
        .map(|i| format!("made up phrase number{i}*"))
        .collect();
    let build_additions = time(200, || RiskList::with_additions(&additions));
    let list = RiskList::with_additions(&additions);
    black_box(screen("warm up", &list));

    println!(
        "screening: standard list ({} phrases) compiled once in {build_standard:.1} ms; 50 additions compiled in {build_additions:.0} µs",
        RiskList::standard_len()
    );
    for (name, answer) in [("short", SHORT), ("long", LONG)] {
        let chars = text::visible_len(answer);
        let n = if chars < 100 { 20_000 } else { 2_000 };
        let clean = time(n, || text::clean(answer, true));
        let whole = time(n, || screen(answer, &list));
        let details = time(n, || personal::redact(answer));
        let offensive = time(n, || offensive::is_offensive(answer));
        let risk = time(n, || list.find(answer));
        println!(
            "screening: {name:<5} answer ({chars:>4} chars): screen {whole:>7.1} µs   (personal details {details:>6.1}, offensive {offensive:>6.1}, risk {risk:>5.1}); cleaning {clean:>5.1} µs"
        );
    }
}
