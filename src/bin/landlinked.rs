//! `landlinked`: the library's studies from the command line.
//!
//! ```text
//! landlinked dcpf CASE.m [--out DIR]
//! landlinked n-1 CASE.m [--out DIR] [--top N]
//! landlinked transfer CASE.m --from ZONE --to ZONE [--base-only]
//! landlinked study [--grid FILE.toml] [--years N] [--seed N] [--scenario NAME:STAGE[:HYDROLOGY]]... [--hourly SCENARIO/YEAR] [--out DIR] [--format csv|parquet|auto] [--monthly] [--strict-rule-curves]
//! landlinked sweep SWEEP.toml --shard K/N --out DIR [--format csv|parquet|auto]
//! landlinked merge DIR... --out DIR [--format csv|parquet|auto]
//! landlinked charts DIR [--out DIR]
//! ```
//! Global options: `--threads N` (worker threads), `--quiet` (no progress
//! bars or notes). An error prints one line, `error: ...`, on stderr and
//! exits with code 1 (usage errors: clap's message, code 2). See
//! `docs/cli.md`.

#[path = "landlinked/grid.rs"]
mod grid;
#[path = "landlinked/study.rs"]
mod study;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use landlinked::report::table::Format;

#[derive(Parser)]
#[command(
    name = "landlinked",
    version,
    about = "Regional grids, sparse DC power flow and the hourly export study",
    long_about = None
)]
struct Cli {
    /// Worker threads for the parallel parts (default: one per core).
    #[arg(long, global = true, value_name = "N")]
    threads: Option<usize>,
    /// No progress bars and no notes on what was written.
    #[arg(long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One DC power flow on a MATPOWER case (MATPOWER's rundcpf).
    ///
    /// Prints a summary; with --out, writes bus.csv (bus_i,va_deg),
    /// branch.csv (f_bus,t_bus,pf_mw) and gen.csv (bus,pg_mw).
    Dcpf {
        /// MATPOWER case file (version 2).
        case: PathBuf,
        /// Folder for bus.csv, branch.csv and gen.csv.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// N-1 screening: every in-service branch out in turn, all monitored.
    ///
    /// Prints the worst contingencies; with --out, writes n_minus_1.csv
    /// (branch,f_bus,t_bus,base_mw,worst_mw,worst_outage) and
    /// islanding.csv (outage).
    #[command(name = "n-1")]
    N1 {
        /// MATPOWER case file (version 2).
        case: PathBuf,
        /// Folder for n_minus_1.csv and islanding.csv.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Contingencies to print.
        #[arg(long, default_value_t = 10, value_name = "N")]
        top: usize,
    },
    /// Transfer capability between two zones, base case and N-1 secured.
    ///
    /// A zone is an area number (source: the area's in-service generators
    /// by output; sink: its loads by demand) or a bus list, bus:4,7,9
    /// (equal shares).
    Transfer {
        /// MATPOWER case file (version 2).
        case: PathBuf,
        /// Source zone: an area number or bus:ID,ID,...
        #[arg(long, value_name = "BUSES")]
        from: String,
        /// Sink zone: an area number or bus:ID,ID,...
        #[arg(long, value_name = "BUSES")]
        to: String,
        /// Base case only (no N-1).
        #[arg(long)]
        base_only: bool,
        /// Binding constraints to keep.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Branches with a smaller distribution factor (MW/MW) do not limit.
        #[arg(long, value_name = "F")]
        min_factor: Option<f64>,
    },
    /// The hourly export study (or the monthly-mean study with --monthly).
    ///
    /// Without --scenario runs 2022 normal/dry/wet, casa normal and
    /// full_build normal on a grid with those stages (the Central Asia
    /// grid), else one scenario, `normal`, on the grid's default stage.
    /// Prints one table per scenario and writes the tables, summary.json
    /// and charts into --out.
    Study {
        /// Grid file (as --grid; a grid on a MATPOWER case too, such as
        /// grids/overlays/activsg10k.toml).
        #[arg(value_name = "GRID.toml", conflicts_with = "grid")]
        grid_file: Option<PathBuf>,
        /// Grid file.
        #[arg(
            long,
            default_value = "grids/central_asia/central_asia.toml",
            value_name = "FILE.toml"
        )]
        grid: PathBuf,
        /// Stochastic water years per scenario (hourly study).
        #[arg(long, default_value_t = 30, value_name = "N")]
        years: usize,
        /// Seed of the stochastic inflows.
        #[arg(long, default_value_t = 2022, value_name = "N")]
        seed: u64,
        /// A scenario, NAME[:STAGE[:HYDROLOGY]] (stage default: the grid's
        /// default stage; hydrology dry, normal or wet, default normal);
        /// repeat for more.
        #[arg(long, value_name = "NAME[:STAGE[:HYDROLOGY]]")]
        scenario: Vec<String>,
        /// Also write the 8,760 hours of this scenario and year (a year
        /// is `normal`, `dry`, `wet` or 1..N) as the table `hourly`.
        #[arg(long, value_name = "SCENARIO/YEAR")]
        hourly: Option<String>,
        /// Output folder.
        #[arg(long, default_value = "out/seasonal", value_name = "DIR")]
        out: PathBuf,
        /// Table format: csv, parquet, or auto (Parquet for the hourly and
        /// per-year tables, CSV for percentiles and congestion).
        #[arg(long, default_value = "auto", value_name = "FORMAT")]
        format: Format,
        /// The monthly-mean study instead of the hourly one (CSV only).
        #[arg(long)]
        monthly: bool,
        /// Reservoirs follow their rule curves strictly, even while the
        /// exporter's own load goes unserved (default: from May to
        /// September a filling reservoir fills less instead).
        #[arg(long)]
        strict_rule_curves: bool,
    },
    /// Runs one shard of a sweep file and writes its part of every table.
    ///
    /// The cases (the axes' cartesian product) are dealt to the N shards
    /// by cost; the shard writes its tables and part.json into --out only
    /// when it has finished. See docs/cli.md for the sweep file.
    Sweep {
        /// Sweep file (TOML).
        file: PathBuf,
        /// This shard and the number of shards, K/N (K from 1).
        #[arg(long, value_name = "K/N")]
        shard: String,
        /// Folder for this shard's part.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Table format: csv, parquet, or auto (Parquet for the per-year
        /// tables, CSV for percentiles and congestion).
        #[arg(long, default_value = "auto", value_name = "FORMAT")]
        format: Format,
    },
    /// Merges the parts of a sweep into its tables, in case order.
    ///
    /// Reads parts in CSV or Parquet. Refuses parts of different sweeps, a
    /// part given twice, a missing part and a truncated or changed part
    /// file.
    Merge {
        /// The shards' folders.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Folder for the merged tables.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Table format: csv, parquet, or auto (Parquet for the per-year
        /// tables, CSV for percentiles and congestion).
        #[arg(long, default_value = "auto", value_name = "FORMAT")]
        format: Format,
    },
    /// Draws the charts of a folder of result tables (a merged sweep, a
    /// study's --out).
    ///
    /// exports_fan.svg from percentiles, congestion.svg from congestion
    /// (each NAME.csv or NAME.parquet): the charts a study draws, less the
    /// duration curves, which need the hours.
    Charts {
        /// Folder with the tables.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Folder for the charts (default: DIR).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("error: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    if let Some(n) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| format!("--threads {n}: {e}"))?;
    }
    let quiet = cli.quiet;
    match cli.command {
        Command::Dcpf { case, out } => grid::dcpf(&case, out.as_deref(), quiet),
        Command::N1 { case, out, top } => grid::n_minus_1(&case, out.as_deref(), top, quiet),
        Command::Transfer {
            case,
            from,
            to,
            base_only,
            top,
            min_factor,
        } => grid::transfer(&case, &from, &to, base_only, top, min_factor),
        Command::Study {
            grid_file,
            grid,
            years,
            seed,
            scenario,
            hourly,
            out,
            format,
            monthly,
            strict_rule_curves,
        } => {
            let opts = study::StudyArgs {
                grid: grid_file.unwrap_or(grid),
                years,
                seed,
                scenarios: scenario,
                hourly,
                out,
                format,
                monthly,
                strict_rule_curves,
                quiet,
            };
            study::study(&opts)
        }
        Command::Sweep {
            file,
            shard,
            out,
            format,
        } => study::sweep(&file, &shard, &out, format, quiet),
        Command::Merge { dirs, out, format } => study::merge(&dirs, &out, format, quiet),
        Command::Charts { dir, out } => study::charts(&dir, out.as_deref().unwrap_or(&dir), quiet),
    }
}
