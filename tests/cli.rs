//! The `landlinked` command line: help, `dcpf`, sharded sweeps merged equal
//! to one process, and bad input refused with a message that names it.
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_landlinked");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const TABLES: [&str; 4] = [
    "corridor_months.csv",
    "balance_months.csv",
    "percentiles.csv",
    "congestion.csv",
];
/// The tables of `--format auto`: the per-year ones as Parquet.
const AUTO: [&str; 4] = [
    "corridor_months.parquet",
    "balance_months.parquet",
    "percentiles.csv",
    "congestion.csv",
];
const PARQUET: [&str; 4] = [
    "corridor_months.parquet",
    "balance_months.parquet",
    "percentiles.parquet",
    "congestion.parquet",
];

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("landlinked-cli-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Output {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Fails with exit code 1 and one `error: ...` line containing `needle`.
fn refused(args: &[&str], needle: &str) {
    let out = run(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert!(err.starts_with("error: "), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: `{needle}` not in {err}");
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A sweep file in `dir` on the bundled grid.
fn sweep_file(dir: &Path, name: &str, seed: u64, axes: &str) -> PathBuf {
    let grid = Path::new(ROOT).join("grids/central_asia/central_asia.toml");
    let text = format!(
        "[sweep]\nname = \"{name}\"\ngrid = {grid:?}\nyears = 1\nseed = {seed}\n\
         outputs = [\"corridor_months\", \"balance_months\", \"percentiles\", \"congestion\"]\n\
         [axes]\n{axes}\n"
    );
    let path = dir.join(format!("{name}-{seed}.toml"));
    std::fs::write(&path, text).unwrap();
    path
}

const FOUR: &str = "stages = [\"2022\", \"casa\"]\nhydrology = [\"normal\", \"dry\"]";
const TWO: &str = "stages = [\"2022\"]\nhydrology = [\"dry\", \"wet\"]";

/// Runs `file` in `n` shards under `dir`, their parts in `part_format`,
/// and merges them into `merge_format`; the merged folder.
fn sharded(file: &Path, dir: &Path, n: usize, part_format: &str, merge_format: &str) -> PathBuf {
    let parts = shards(file, dir, n, part_format);
    merged(&parts, dir, merge_format)
}

/// Runs `file` in `n` shards under `dir`, their parts in `format`.
fn shards(file: &Path, dir: &Path, n: usize, format: &str) -> Vec<PathBuf> {
    let mut parts = Vec::new();
    for k in 1..=n {
        let stem = file.file_stem().unwrap().to_string_lossy();
        let part = dir.join(format!("{stem}-{n}-{format}-part{k}"));
        ok(&[
            "--quiet",
            "sweep",
            s(file),
            "--shard",
            &format!("{k}/{n}"),
            "--out",
            s(&part),
            "--format",
            format,
        ]);
        parts.push(part);
    }
    parts
}

/// Merges `parts` into `format`; the merged folder.
fn merged(parts: &[PathBuf], dir: &Path, format: &str) -> PathBuf {
    let first = parts[0].file_name().unwrap().to_string_lossy();
    let merged = dir.join(format!("{first}-{format}-merged"));
    let mut args = vec!["merge"];
    // Parts in reverse order: the merge orders by case, not by argument.
    args.extend(parts.iter().rev().map(|p| s(p)));
    args.extend(["--out", s(&merged), "--format", format]);
    ok(&args);
    merged
}

/// `sweep --shard 1/1` of `file` into `dir/name`.
fn single(file: &Path, dir: &Path, name: &str, format: &str) -> PathBuf {
    let out = dir.join(name);
    ok(&[
        "--quiet",
        "sweep",
        s(file),
        "--shard",
        "1/1",
        "--out",
        s(&out),
        "--format",
        format,
    ]);
    out
}

fn assert_same_tables(a: &Path, b: &Path) {
    assert_same_files(a, b, &TABLES);
}

/// The same bytes in `files` of both folders, and no other table in `b`.
fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    let mut names: Vec<String> = std::fs::read_dir(b)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".parquet"))
        .collect();
    names.sort();
    let mut want: Vec<&str> = files.to_vec();
    want.sort();
    assert_eq!(names, want, "tables in {}", b.display());
    for t in files {
        let x = std::fs::read(a.join(t)).unwrap();
        let y = std::fs::read(b.join(t)).unwrap();
        assert!(
            x == y,
            "{t} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn help_of_every_subcommand_exits_zero() {
    ok(&["--help"]);
    for sub in [
        "dcpf", "n-1", "transfer", "study", "sweep", "merge", "charts",
    ] {
        let out = ok(&[sub, "--help"]);
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: landlinked"));
    }
}

#[test]
fn dcpf_writes_the_documented_bus_csv() {
    let dir = temp("dcpf");
    ok(&["dcpf", "grids/case5_tap_shift.m", "--out", s(&dir)]);
    // The example's (and report::write_dc_csv's) format: bus_i,va_deg, one
    // row per bus in file order, full precision.
    let bus = std::fs::read_to_string(dir.join("bus.csv")).unwrap();
    let lines: Vec<&str> = bus.lines().collect();
    assert_eq!(lines[0], "bus_i,va_deg");
    let ids: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["7", "3", "12", "25", "40"]);
    let net =
        landlinked::io::matpower::read(Path::new(ROOT).join("grids/case5_tap_shift.m")).unwrap();
    let sol = landlinked::dc::DcPowerFlow::new(&net)
        .unwrap()
        .solve()
        .unwrap();
    let lib = temp("dcpf-lib");
    landlinked::report::write_dc_csv(&net, &sol, &lib).unwrap();
    for f in ["bus.csv", "branch.csv", "gen.csv"] {
        assert_eq!(
            std::fs::read(dir.join(f)).unwrap(),
            std::fs::read(lib.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn dcpf_says_when_a_case_s_hvdc_lines_are_left_out() {
    // case5_tap_shift with two HVDC lines and a cost table appended.
    let dir = temp("dcline");
    let text = std::fs::read_to_string(Path::new(ROOT).join("grids/case5_tap_shift.m")).unwrap();
    let case = dir.join("with_dcline.m");
    let extra = "mpc.dcline = [\n 3 7 1 10 10 0 0 1 1 0 100 -10 10 -10 10 0 0;\n];\nmpc.gencost = [2 0 0 2 1 0];\n";
    std::fs::write(&case, format!("{text}\n{extra}")).unwrap();
    let out = ok(&["dcpf", s(&case)]);
    let err = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().count() + 2;
    assert!(
        err.contains(&format!(
            "line {line}: mpc.dcline's HVDC lines are not modelled"
        )),
        "{err}"
    );
    assert!(!err.contains("gencost"), "{err}");
    // The same flows as without the tables (MATPOWER's rundcpf ignores them).
    let plain = ok(&["dcpf", "grids/case5_tap_shift.m"]);
    let body = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .skip(1)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(body(&out), body(&plain));
    // --quiet keeps stderr empty.
    assert!(ok(&["dcpf", s(&case), "--quiet"]).stderr.is_empty());
}

#[test]
fn shards_merge_to_the_single_process_tables() {
    let dir = temp("shards");
    let four = sweep_file(&dir, "four", 7, FOUR);
    let single = single(&four, &dir, "single", "csv");
    let rows = std::fs::read_to_string(single.join("balance_months.csv")).unwrap();
    assert_eq!(rows.lines().count(), 1 + 4 * 2 * 12); // 4 cases × 2 years × 12 months
    for n in [1, 2, 3] {
        assert_same_tables(&single, &sharded(&four, &dir, n, "csv", "csv"));
    }
    // Two cases in three shards: the third runs none and writes headers only.
    let two = sweep_file(&dir, "two", 7, TWO);
    let single = self::single(&two, &dir, "two-single", "csv");
    let empty = dir.join("two-empty");
    ok(&[
        "--quiet",
        "sweep",
        s(&two),
        "--shard",
        "3/3",
        "--out",
        s(&empty),
        "--format",
        "csv",
    ]);
    let header = std::fs::read_to_string(empty.join("congestion.csv")).unwrap();
    assert_eq!(header.lines().count(), 1);
    assert!(header.starts_with("scenario,branch,"));
    assert_same_tables(&single, &sharded(&two, &dir, 3, "csv", "csv"));
}

/// The Parquet variant: parts in Parquet (`--format auto`, the default:
/// the per-year tables in Parquet, the others in CSV, and `parquet`)
/// merge to the single process's files byte for byte, for N = 1, 2, 3
/// and with a shard that holds no case; parts of one format merge into
/// the other.
#[test]
fn parquet_shards_merge_to_the_single_process_tables() {
    use landlinked::hourly::BalanceMonth;
    use landlinked::report::table::{Frame, Row};
    let dir = temp("parquet-shards");
    let two = sweep_file(&dir, "two", 7, TWO);
    // The default format is auto.
    let auto = dir.join("auto");
    ok(&[
        "--quiet",
        "sweep",
        s(&two),
        "--shard",
        "1/1",
        "--out",
        s(&auto),
    ]);
    let balance = Frame::read(&auto.join("balance_months.parquet"), BalanceMonth::SCHEMA).unwrap();
    assert_eq!(balance.len(), 2 * 2 * 12); // 2 cases × 2 years × 12 months
    let part: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(auto.join("part.json")).unwrap()).unwrap();
    let mut recorded: Vec<&str> = part["tables"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    recorded.sort();
    let mut want = AUTO.to_vec();
    want.sort();
    assert_eq!(recorded, want);
    for n in [1, 3] {
        assert_same_files(&auto, &sharded(&two, &dir, n, "auto", "auto"), &AUTO);
    }
    let parquet = single(&two, &dir, "parquet", "parquet");
    let parquet_parts = shards(&two, &dir, 2, "parquet");
    assert_same_files(&parquet, &merged(&parquet_parts, &dir, "parquet"), &PARQUET);
    // Parquet parts merged into CSV, CSV parts merged into Parquet.
    let csv = single(&two, &dir, "csv", "csv");
    assert_same_files(&csv, &merged(&parquet_parts, &dir, "csv"), &TABLES);
    let csv_parts = shards(&two, &dir, 2, "csv");
    let into_parquet = merged(&csv_parts, &dir, "parquet");
    assert_same_files(&parquet, &into_parquet, &PARQUET);
    // Merging again in another format replaces the tables, not adds to them.
    ok(&[
        "merge",
        s(&csv_parts[0]),
        s(&csv_parts[1]),
        "--out",
        s(&into_parquet),
    ]);
    assert_same_files(&auto, &into_parquet, &AUTO);
    assert_eq!(
        Frame::read(
            &into_parquet.join("balance_months.parquet"),
            BalanceMonth::SCHEMA
        )
        .unwrap(),
        Frame::read(&csv.join("balance_months.csv"), BalanceMonth::SCHEMA).unwrap()
    );
}

/// A sweep without growth or options runs the cases `study --scenario`
/// runs: the merged tables are the study's byte for byte, and `charts` on
/// the merged tables (Parquet and CSV) draws the study's own fan and
/// congestion charts.
#[test]
fn merged_sweep_equals_the_study_and_charts_draws_its_charts() {
    let dir = temp("charts");
    let two = sweep_file(&dir, "two", 7, TWO);
    let study = dir.join("study");
    ok(&[
        "--quiet",
        "study",
        "--years",
        "1",
        "--seed",
        "7",
        "--scenario",
        "2022 dry:2022:dry",
        "--scenario",
        "2022 wet:2022:wet",
        "--format",
        "csv",
        "--out",
        s(&study),
    ]);
    let merged = sharded(&two, &dir, 2, "auto", "csv");
    assert_same_tables(&study, &merged);
    let charts = ["exports_fan.svg", "congestion.svg"];
    ok(&["--quiet", "charts", s(&merged)]);
    let from_parquet = sharded(&two, &dir, 2, "parquet", "parquet");
    let drawn = dir.join("drawn");
    let out = ok(&["charts", s(&from_parquet), "--out", s(&drawn)]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("exports_fan.svg"));
    for chart in charts {
        let want = std::fs::read(study.join(chart)).unwrap();
        assert!(want.starts_with(b"<svg"), "{chart}");
        assert!(
            std::fs::read(merged.join(chart)).unwrap() == want,
            "{chart}"
        );
        assert!(std::fs::read(drawn.join(chart)).unwrap() == want, "{chart}");
    }
    assert!(!drawn.join("duration_curves.svg").exists());
    // A folder without the tables, and a table in both formats.
    refused(&["charts", s(&dir)], "no table `percentiles`");
    std::fs::copy(
        merged.join("percentiles.csv"),
        from_parquet.join("percentiles.csv"),
    )
    .unwrap();
    refused(&["charts", s(&from_parquet)], "percentiles.parquet");
}

#[test]
fn study_writes_the_hours_as_parquet() {
    use landlinked::hourly::HourRow;
    use landlinked::report::table::{Frame, Row, Values};
    let dir = temp("study-hourly");
    ok(&[
        "--quiet",
        "study",
        "--years",
        "0",
        "--scenario",
        "s:2022",
        "--hourly",
        "s/normal",
        "--out",
        s(&dir),
    ]);
    for f in AUTO {
        assert!(dir.join(f).exists(), "{f}");
    }
    let hours = Frame::read(&dir.join("hourly.parquet"), HourRow::SCHEMA).unwrap();
    assert_eq!(hours.len(), 8760);
    assert_eq!(
        hours.column("hour"),
        Some(&Values::Int64((0..8760).collect()))
    );
    refused(
        &[
            "study",
            "--years",
            "0",
            "--scenario",
            "s:2022",
            "--hourly",
            "t/normal",
            "--out",
            s(&dir),
        ],
        "--hourly `t/normal`: no scenario `t`",
    );
    refused(
        &[
            "study",
            "--years",
            "0",
            "--scenario",
            "s:2022",
            "--hourly",
            "s/7",
            "--out",
            s(&dir),
        ],
        "--hourly `s/7`: no year `7` (`normal`; no stochastic years with --years 0)",
    );
    let out = run(&["study", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected csv, parquet or auto"));
}

#[test]
fn study_runs_on_a_grid_on_a_matpower_case() {
    // The grid file as the positional argument; without --scenario, one
    // `normal` scenario on its default stage (it has none of the Central
    // Asia grid's stages).
    let dir = temp("study-overlay");
    let out = ok(&[
        "study",
        "grids/three_areas/three_areas.toml",
        "--years",
        "0",
        "--format",
        "csv",
        "--out",
        s(&dir),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("== normal: exports"), "{text}");
    let table = std::fs::read_to_string(dir.join("corridor_months.csv")).unwrap();
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let corridor = header.iter().position(|h| *h == "corridor").unwrap();
    let names: Vec<&str> = lines.map(|l| l.split(',').nth(corridor).unwrap()).collect();
    assert_eq!(names.len(), 24); // 12 months × HY-ES, HY-LO
    assert!(names.contains(&"HY-ES") && names.contains(&"HY-LO"));
    // A scenario without a stage takes the default stage; another stage
    // by name; the monthly study refuses a grid of balancing plants.
    ok(&[
        "--quiet",
        "study",
        "grids/three_areas/three_areas.toml",
        "--years",
        "0",
        "--scenario",
        "a",
        "--scenario",
        "b:east_tie:dry",
        "--out",
        s(&dir),
    ]);
    refused(
        &[
            "study",
            "grids/three_areas/three_areas.toml",
            "--monthly",
            "--out",
            s(&dir),
        ],
        "the monthly study does not model balancing plants",
    );
    refused(
        &[
            "study",
            "grids/three_areas/three_areas.toml",
            "--scenario",
            "x:2030",
        ],
        "`stage` refers to unknown stage `2030`",
    );
}

#[test]
fn the_workflow_sweep_file_reads() {
    let dir = temp("workflow");
    let out = ok(&[
        "sweep",
        "workflow/sweep.toml",
        "--shard",
        "99/99",
        "--out",
        s(&dir),
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 of 18 cases"));
}

#[test]
fn bad_sweep_files_and_shards_are_refused_naming_them() {
    let dir = temp("bad");
    let out = s(&dir.join("out")).to_string();
    let unknown_axis = sweep_file(&dir, "axis", 1, &format!("{TWO}\nclimate = [\"hot\"]"));
    refused(
        &["sweep", s(&unknown_axis), "--shard", "1/1", "--out", &out],
        "unknown field `climate`",
    );
    let stage = sweep_file(&dir, "stage", 1, "stages = [\"2099\"]");
    refused(
        &["sweep", s(&stage), "--shard", "1/1", "--out", &out],
        "unknown stage `2099`",
    );
    let empty = sweep_file(&dir, "empty", 1, "stages = [\"2022\"]\nhydrology = []");
    refused(
        &["sweep", s(&empty), "--shard", "1/1", "--out", &out],
        "axis `hydrology` is empty",
    );
    let good = sweep_file(&dir, "good", 1, TWO);
    for (shard, why) in [
        ("4/3", "K must be at most N"),
        ("0/3", "K counts from 1"),
        ("1/0", "N (the number of shards) must be at least 1"),
        ("two/3", "expected K/N"),
        ("3", "expected K/N"),
    ] {
        refused(
            &["sweep", s(&good), "--shard", shard, "--out", &out],
            &format!("shard `{shard}`: {why}"),
        );
    }
    assert!(!dir.join("out").join("part.json").exists());
}

#[test]
fn merge_refuses_foreign_repeated_missing_and_corrupt_parts() {
    let dir = temp("merge");
    let a = sweep_file(&dir, "m", 1, TWO);
    let b = sweep_file(&dir, "m", 2, TWO); // same name, another seed
    let part = |file: &Path, shard: &str, name: &str| {
        let p = dir.join(name);
        ok(&[
            "--quiet",
            "sweep",
            s(file),
            "--shard",
            shard,
            "--out",
            s(&p),
        ]);
        p
    };
    let (a1, a2) = (part(&a, "1/2", "a1"), part(&a, "2/2", "a2"));
    let b2 = part(&b, "2/2", "b2");
    let merged = dir.join("merged");
    let m = s(&merged);
    refused(&["merge", s(&a1), s(&b2), "--out", m], "different sweeps");
    refused(
        &["merge", s(&a1), s(&a1), "--out", m],
        "part 1/2 given twice",
    );
    refused(&["merge", s(&a1), "--out", m], "part 2/2 missing");
    refused(
        &["merge", s(&a1), s(&dir), "--out", m],
        "not a finished shard",
    );
    // A truncated table, CSV and Parquet.
    let t = dir.join("t2");
    ok(&["--quiet", "sweep", s(&a), "--shard", "2/2", "--out", s(&t)]);
    for table in ["percentiles.csv", "balance_months.parquet"] {
        let path = t.join(table);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        refused(
            &["merge", s(&a1), s(&t), "--out", m],
            &format!("{}: truncated or changed", path.display()),
        );
        std::fs::write(&path, &whole).unwrap();
    }
    // A truncated part file.
    let json = a2.join("part.json");
    let text = std::fs::read(&json).unwrap();
    std::fs::write(&json, &text[..text.len() / 2]).unwrap();
    refused(&["merge", s(&a1), s(&a2), "--out", m], "corrupt part file");
    // Nothing was written by the failed merges.
    assert!(!merged.join("percentiles.csv").exists());
    assert!(std::fs::read_dir(&merged).map_or(true, |mut d| d.next().is_none()));
}

#[test]
fn strict_rule_curves_turns_hedging_off() {
    // Unserved GWh from May to September in stochastic year 1 of dry 2022
    // (the year rations in summer when Nurek fills strictly).
    let summer_unserved = |extra: &[&str]| -> f64 {
        let dir = temp(&format!("hedge{}", extra.len()));
        let mut args = vec![
            "--quiet",
            "study",
            "--years",
            "1",
            "--scenario",
            "d:2022:dry",
            "--format",
            "csv",
            "--out",
            s(&dir),
        ];
        args.extend_from_slice(extra);
        ok(&args);
        let text = std::fs::read_to_string(dir.join("balance_months.csv")).unwrap();
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (year, month, unserved) = (col("year"), col("month"), col("unserved_gwh"));
        lines
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f[year] == "1" && ["May", "Jun", "Jul", "Aug", "Sep"].contains(&f[month]))
            .map(|f| f[unserved].parse::<f64>().unwrap())
            .sum()
    };
    let strict = summer_unserved(&["--strict-rule-curves"]);
    let hedged = summer_unserved(&[]);
    assert!(
        strict > 1.0,
        "strict rule curves: {strict} GWh unserved in summer"
    );
    assert!(hedged < 0.01, "hedged: {hedged} GWh unserved in summer");
}
