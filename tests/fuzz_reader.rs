//! Robustness: valid case text mutated at random (byte flips, truncation,
//! duplicated, deleted or swapped lines, huge and tiny numbers, stray
//! brackets, comments and continuations) must always give `Ok` or `Err`
//! from the reader and the DC power flow: never a panic, never a hang, and
//! never a non-finite number in a solution.
//!
//! Deterministic: a tiny xorshift generator with fixed seeds, so a failure
//! reproduces. A failing text is written to the system's temporary folder.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::time::{Duration, Instant};

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;

/// xorshift64*: small, fast, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Tokens that stress the reader and the numbers behind it.
const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "%",
    "...",
    ";",
    ",",
    "\n",
    "\t",
    "'",
    "\"",
    "=",
    "1e308",
    "-1e308",
    "1e400",
    "-1e400",
    "1e-320",
    "1e-400",
    "NaN",
    "Inf",
    "-Inf",
    "0",
    "-0",
    "-1",
    "4",
    "3",
    "2",
    "1.5",
    "9e15",
    "18446744073709551616",
    "mpc.bus = [",
    "mpc.gen = [",
    "mpc.branch = [",
    "mpc.baseMVA = ",
    "function mpc = x",
    "e",
    "-",
    ".",
    "..",
    "é",
    "\u{0}",
];

/// Replacements for a whole number token.
const NUMBERS: &[&str] = &[
    "1e308", "-1e308", "1e400", "1e-320", "0", "-0", "NaN", "Inf", "-Inf", "1e-200", "1e200",
    "-0.1", "4", "3", "2", "1", "0.5",
];

fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    if text.is_empty() {
        text.extend_from_slice(rng.pick(TOKENS).as_bytes());
        return;
    }
    match rng.below(10) {
        // Flip one bit of a byte (may break UTF-8: the reader takes bytes).
        0 => {
            let i = rng.below(text.len());
            text[i] ^= 1 << rng.below(8);
        }
        // Overwrite a byte with a printable or structural character.
        1 => {
            let i = rng.below(text.len());
            const CHARS: &[u8] = b" \n;,[]{}%.0123456789eE+-'";
            text[i] = CHARS[rng.below(CHARS.len())];
        }
        // Truncate.
        2 => {
            let at = rng.below(text.len());
            text.truncate(at);
        }
        // Insert a token.
        3 | 4 => {
            let i = rng.below(text.len() + 1);
            let tok = rng.pick(TOKENS).as_bytes().to_vec();
            text.splice(i..i, tok);
        }
        // Replace a number by an extreme or special one.
        5 | 6 => replace_number(rng, text),
        // Line operations: duplicate, delete, swap.
        _ => {
            let mut lines: Vec<Vec<u8>> = text.split(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
            let i = rng.below(lines.len());
            match rng.below(3) {
                0 => {
                    let l = lines[i].clone();
                    lines.insert(i, l);
                }
                1 => {
                    lines.remove(i);
                }
                _ => {
                    let j = rng.below(lines.len());
                    lines.swap(i, j);
                }
            }
            *text = lines.join(&b'\n');
        }
    }
}

fn replace_number(rng: &mut Rng, text: &mut Vec<u8>) {
    // Find the start of a numeric token at or after a random position.
    let start = rng.below(text.len());
    let Some(i) = (start..text.len())
        .find(|&i| text[i].is_ascii_digit() && (i == 0 || !text[i - 1].is_ascii_alphanumeric()))
    else {
        return;
    };
    let mut j = i;
    while j < text.len() && matches!(text[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
        j += 1;
    }
    let new = rng.pick(NUMBERS).as_bytes().to_vec();
    text.splice(i..j, new);
}

/// A generated case with the reader's harder syntax: tabs, commas,
/// continuations, comments, scientific notation, rows ended by newlines.
fn generated_case(rng: &mut Rng, n: usize) -> String {
    let mut s = String::from(
        "function mpc = gen_case\n% generated for the fuzz test\nmpc.version = '2';\nmpc.baseMVA = 1e2;\nmpc.bus = [\n",
    );
    for b in 1..=n {
        let kind = if b == 1 {
            3
        } else if b % 5 == 0 {
            2
        } else {
            1
        };
        let pd = rng.unit() * 80.0;
        let gs = if b % 7 == 0 { 3.5 } else { 0.0 };
        let sep = if b % 3 == 0 { ",\t" } else { "\t" };
        let end = if b % 2 == 0 { ";" } else { "" };
        s += &format!(
            "\t{}{sep}{kind}{sep}{pd:.6e}{sep}0{sep}{gs}{sep}0{sep}1 ...\n\t\t1{sep}{:.3}{sep}230{sep}1{sep}1.1{sep}0.9{end} % bus {b}\n",
            10 * b + 3,
            rng.unit() * 10.0 - 5.0
        );
    }
    s += "];\nmpc.gen = [\n";
    for b in (1..=n).filter(|b| *b == 1 || b % 5 == 0) {
        let status = if b % 10 == 0 { 0 } else { 1 };
        s += &format!(
            "\t{}\t{:.2}\t0\t100\t-100\t1\t100\t{status}\tInf\t0;\n",
            10 * b + 3,
            rng.unit() * 60.0
        );
    }
    s += "];\nmpc.branch = [\n";
    let edge = |s: &mut String, f: usize, t: usize, rng: &mut Rng| {
        let x = 0.02 + rng.unit() * 0.3;
        let tap = if rng.below(4) == 0 {
            0.9 + rng.unit() * 0.2
        } else {
            0.0
        };
        let shift = if rng.below(5) == 0 {
            rng.unit() * 10.0 - 5.0
        } else {
            0.0
        };
        let status = u8::from(rng.below(12) != 0);
        *s += &format!(
            "\t{}\t{}\t0.01\t{x:.5}\t0.02\t0\t0\t0\t{tap:.4}\t{shift:.3}\t{status}\t-360\t360;\n",
            10 * f + 3,
            10 * t + 3
        );
    };
    for b in 2..=n {
        edge(&mut s, 1 + rng.below(b - 1), b, rng);
    }
    for _ in 0..n / 3 {
        let (f, t) = (1 + rng.below(n), 1 + rng.below(n));
        if f != t {
            edge(&mut s, f, t, rng);
        }
    }
    s += "];\nmpc.gencost = [\n\t2\t0\t0\t3\t0.1\t20\t0;\n];\nmpc.bus_name = {\n\t'A [x]';\n\t'B';\n};\n";
    s
}

fn grid_text(name: &str) -> String {
    let path = format!("{}/grids/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

thread_local! {
    /// Set while a fuzz loop runs on this thread: its panics are recorded
    /// here instead of printed.
    static RECORDING: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs (once) a panic hook that records the message and location of
/// panics on recording threads and defers to the default hook elsewhere,
/// so other tests in this binary still print their failures.
fn install_panic_recorder() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !RECORDING.with(Cell::get) {
                return default(info);
            }
            let loc = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg} at {loc}"));
        }));
    });
}

/// Outcome of one mutated text.
#[derive(Debug, PartialEq)]
enum Outcome {
    ParseError,
    SolveError,
    Solved,
}

/// Runs the whole user path; panics (caught by the caller) on a
/// non-finite number in a solution.
fn exercise(text: &str) -> Outcome {
    let Ok(net) = matpower::parse_str(text, "fuzz.m") else {
        return Outcome::ParseError;
    };
    match DcPowerFlow::new(&net).and_then(|pf| pf.solve()) {
        Err(_) => Outcome::SolveError,
        Ok(sol) => {
            assert_eq!(sol.va_deg.len(), net.buses.len());
            assert_eq!(sol.pf_mw.len(), net.branches.len());
            assert_eq!(sol.pg_mw.len(), net.generators.len());
            for (what, v) in [
                ("va_deg", &sol.va_deg),
                ("pf_mw", &sol.pf_mw),
                ("pg_mw", &sol.pg_mw),
                ("p_inj_mw", &sol.p_inj_mw),
            ] {
                if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                    panic!("non-finite {what}[{i}] = {} in an Ok solution", v[i]);
                }
            }
            Outcome::Solved
        }
    }
}

/// Mutates each seed text `per_seed` times (1 to 4 mutations on a fresh
/// copy each time) and returns the failures (panic messages), with
/// counts of outcomes.
fn fuzz(seeds: &[String], per_seed: usize, seed: u64) -> (Vec<String>, [usize; 3]) {
    install_panic_recorder();
    let mut rng = Rng::new(seed);
    let mut failures = Vec::new();
    let mut counts = [0usize; 3];
    for (s, base) in seeds.iter().enumerate() {
        for k in 0..per_seed {
            let mut text = base.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut text);
            }
            let text = String::from_utf8_lossy(&text).into_owned();
            let t0 = Instant::now();
            RECORDING.with(|r| r.set(true));
            let result = panic::catch_unwind(AssertUnwindSafe(|| exercise(&text)));
            RECORDING.with(|r| r.set(false));
            let took = t0.elapsed();
            match result {
                Ok(o) => counts[o as usize] += 1,
                Err(_) => {
                    let msg = LAST_PANIC.with(|p| p.borrow().clone());
                    let path =
                        std::env::temp_dir().join(format!("landlinked_fuzz_{seed}_{s}_{k}.m"));
                    let _ = std::fs::write(&path, &text);
                    failures.push(format!(
                        "seed text {s}, mutation {k}: panic: {msg} (text in {})",
                        path.display()
                    ));
                }
            }
            if took > Duration::from_secs(2) {
                failures.push(format!(
                    "seed text {s}, mutation {k}: took {took:?} (hang?)"
                ));
            }
        }
    }
    (failures, counts)
}

fn assert_no_failures(failures: &[String], counts: [usize; 3]) {
    println!(
        "parse errors {}, solve errors {}, solved {}",
        counts[0], counts[1], counts[2]
    );
    assert!(
        failures.is_empty(),
        "{} of the mutated texts panicked or hung; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Mutations per seed text and the PRNG seed: 1,000 and a fixed seed, or
/// `LANDLINKED_FUZZ_N` and `LANDLINKED_FUZZ_SEED` for a longer hunt, e.g.
/// `LANDLINKED_FUZZ_N=100000 LANDLINKED_FUZZ_SEED=7 cargo test --release --test fuzz_reader`.
fn params(default_seed: u64) -> (usize, u64) {
    let var = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let n = var("LANDLINKED_FUZZ_N").unwrap_or(1000) as usize;
    (n, var("LANDLINKED_FUZZ_SEED").unwrap_or(default_seed))
}

#[test]
fn mutated_grid_files_never_panic() {
    let seeds: Vec<String> = ["case3_tap.m", "case5_tap_shift.m", "case6_two_islands.m"]
        .iter()
        .map(|n| grid_text(n))
        .collect();
    let (per_seed, seed) = params(0x5EED_0001);
    let (failures, counts) = fuzz(&seeds, per_seed, seed);
    assert_no_failures(&failures, counts);
    // The mutations must exercise every path, not only the parser's errors.
    assert_eq!(counts.iter().sum::<usize>() + failures.len(), 3 * per_seed);
    assert_spread(&counts, per_seed);
}

#[test]
fn mutated_generated_cases_never_panic() {
    let mut rng = Rng::new(42);
    let seeds: Vec<String> = [8, 25]
        .iter()
        .map(|&n| generated_case(&mut rng, n))
        .collect();
    // The unmutated texts read and solve: the fuzz starts from valid input.
    for s in &seeds {
        assert_eq!(exercise(s), Outcome::Solved, "{s}");
    }
    let (per_seed, seed) = params(0x5EED_0002);
    let (failures, counts) = fuzz(&seeds, per_seed, seed);
    assert_no_failures(&failures, counts);
    assert_spread(&counts, per_seed);
}

/// The mutations must reach both the parser's errors and full solves, not
/// only one of them: at least a tenth of the runs each.
fn assert_spread(counts: &[usize], per_seed: usize) {
    assert!(
        counts[0] > per_seed / 10,
        "too few parse errors: {counts:?}"
    );
    assert!(
        counts[2] > per_seed / 10,
        "too few solved cases: {counts:?}"
    );
}

#[test]
fn the_rng_is_deterministic_and_spread() {
    let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    let xs: Vec<u64> = (0..100).map(|_| a.next()).collect();
    let ys: Vec<u64> = (0..100).map(|_| b.next()).collect();
    assert_eq!(xs, ys);
    let mut hist = [0usize; 10];
    for _ in 0..10_000 {
        hist[a.below(10)] += 1;
    }
    assert!(hist.iter().all(|&h| (800..1200).contains(&h)), "{hist:?}");
}
