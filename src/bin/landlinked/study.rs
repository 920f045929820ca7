//! The subcommands on a regional grid: `study`, `sweep`, `merge`, `charts`.

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use landlinked::hourly::{HourlySettings, HourlyStudy};
use landlinked::io::grid::{self, GridDocument};
use landlinked::report;
use landlinked::report::table::Format;
use landlinked::seasonal::{Hydrology, Scenario, SeasonalStudy, default_scenarios};
use landlinked::sweep::{self, Shard, Sweep};

fn text(e: landlinked::Error) -> String {
    e.to_string()
}

/// Options of `landlinked study`.
pub struct StudyArgs {
    pub grid: PathBuf,
    pub years: usize,
    pub seed: u64,
    pub scenarios: Vec<String>,
    pub hourly: Option<String>,
    pub out: PathBuf,
    pub format: Format,
    pub monthly: bool,
    pub strict_rule_curves: bool,
    pub quiet: bool,
}

/// `NAME[:STAGE[:HYDROLOGY]]`; an empty or absent stage is `default`
/// (the grid's default stage).
fn scenario(spec: &str, default: &str) -> Result<Scenario, String> {
    let mut parts = spec.splitn(3, ':');
    let name = parts.next().unwrap_or_default();
    if name.is_empty() {
        return Err(format!(
            "--scenario `{spec}`: expected NAME[:STAGE[:HYDROLOGY]], with a name"
        ));
    }
    let stage = parts.next().filter(|s| !s.is_empty()).unwrap_or(default);
    let hydrology = match parts.next() {
        Some(h) => h
            .parse::<Hydrology>()
            .map_err(|e| format!("--scenario `{spec}`: {e}"))?,
        None => Hydrology::Normal,
    };
    Ok(Scenario::new(name, stage, hydrology))
}

/// The scenarios of `landlinked study` without `--scenario`: the Central
/// Asia grid's five on a grid with their stages, else `normal` on the
/// grid's default stage.
fn default_for(doc: &GridDocument) -> Vec<Scenario> {
    let all = default_scenarios();
    let stages = &doc.data.stages;
    if all.iter().all(|s| stages.iter().any(|x| x.name == s.stage)) {
        return all;
    }
    let stage = doc.data.grid.default_stage.clone().unwrap_or_default();
    vec![Scenario::new("normal", &stage, Hydrology::Normal)]
}

fn bar(len: u64, quiet: bool, template: &str) -> Result<ProgressBar, String> {
    if quiet {
        return Ok(ProgressBar::hidden());
    }
    let bar = ProgressBar::new(len);
    bar.set_style(ProgressStyle::with_template(template).map_err(|e| e.to_string())?);
    Ok(bar)
}

/// `landlinked study`.
pub fn study(a: &StudyArgs) -> Result<(), String> {
    let doc = grid::read_document(&a.grid).map_err(text)?;
    let default = doc.data.grid.default_stage.clone().unwrap_or_default();
    let scenarios = if a.scenarios.is_empty() {
        default_for(&doc)
    } else {
        a.scenarios
            .iter()
            .map(|s| scenario(s, &default))
            .collect::<Result<Vec<_>, _>>()?
    };
    if a.monthly {
        if a.format == Format::Parquet {
            return Err(
                "--format parquet: the monthly study writes CSV only (its tables are small)".into(),
            );
        }
        if a.hourly.is_some() {
            return Err("--hourly: the monthly study has no hours".into());
        }
        let bar = bar(
            (scenarios.len() * 12) as u64,
            a.quiet,
            "{bar:40} {pos}/{len} {msg}",
        )?;
        let results = SeasonalStudy::default()
            .run_with(&doc, &scenarios, |p| {
                bar.set_message(format!("{} {:?}", p.scenario, p.month));
                bar.set_position(p.done as u64);
            })
            .map_err(text)?;
        bar.finish_and_clear();
        for s in &scenarios {
            print!("{}", report::seasonal::scenario_table(&results, &s.name));
        }
        std::fs::create_dir_all(&a.out)
            .map_err(|e| format!("cannot create {}: {e}", a.out.display()))?;
        report::seasonal::write_all(&results, &a.out).map_err(text)?;
    } else {
        let bar = bar(
            (scenarios.len() * (a.years + 1)) as u64,
            a.quiet,
            "{bar:40} {pos}/{len} scenario-years {msg}",
        )?;
        let hourly = match &a.hourly {
            Some(spec) => Some(hourly_year(spec, &scenarios, a.years)?),
            None => None,
        };
        let study = HourlyStudy {
            settings: HourlySettings {
                years: a.years,
                seed: a.seed,
                hourly,
                hedge_months: if a.strict_rule_curves {
                    Vec::new()
                } else {
                    HourlySettings::default().hedge_months
                },
                ..Default::default()
            },
        };
        let results = study
            .run(&doc, &scenarios, |p| {
                bar.set_message(p.scenario);
                bar.inc(1);
            })
            .map_err(text)?;
        bar.finish_and_clear();
        for s in &scenarios {
            print!("{}", report::hourly::scenario_table(&results, &s.name));
        }
        report::hourly::write_all_as(&results, &a.out, a.format).map_err(text)?;
    }
    if !a.quiet {
        println!("wrote {}", a.out.display());
    }
    Ok(())
}

/// `--hourly SCENARIO/YEAR`: a scenario of `scenarios` and one of its
/// years (its named year, or 1..=`years`), checked before the study runs.
fn hourly_year(
    spec: &str,
    scenarios: &[Scenario],
    years: usize,
) -> Result<(String, String), String> {
    let (s, y) = spec.rsplit_once('/').ok_or_else(|| {
        format!("--hourly `{spec}`: expected SCENARIO/YEAR, such as `casa dry/normal`")
    })?;
    let Some(scenario) = scenarios.iter().find(|c| c.name == s) else {
        let names: Vec<&str> = scenarios.iter().map(|c| c.name.as_str()).collect();
        return Err(format!(
            "--hourly `{spec}`: no scenario `{s}` (scenarios: {})",
            names.join(", ")
        ));
    };
    let named = scenario.hydrology.name();
    let stochastic = y.parse::<usize>().is_ok_and(|k| (1..=years).contains(&k));
    if y != named && !stochastic {
        let known = match years {
            0 => format!("`{named}`; no stochastic years with --years 0"),
            _ => format!("`{named}`, or 1..{years}"),
        };
        return Err(format!("--hourly `{spec}`: no year `{y}` ({known})"));
    }
    Ok((s.to_string(), y.to_string()))
}

/// `landlinked sweep`.
pub fn sweep(
    file: &Path,
    shard: &str,
    out: &Path,
    format: Format,
    quiet: bool,
) -> Result<(), String> {
    let shard: Shard = shard.parse().map_err(text)?;
    let sweep = Sweep::read(file).map_err(text)?;
    let mine = sweep.assign(shard);
    let bar = bar(
        (mine.len() * (sweep.header.years + 1)) as u64,
        quiet,
        "{bar:40} {pos}/{len} scenario-years {msg}",
    )?;
    let part = sweep::run_shard_as(&sweep, shard, out, format, |p| {
        bar.set_message(p.scenario);
        bar.inc(1);
    })
    .map_err(text)?;
    bar.finish_and_clear();
    if !quiet {
        println!(
            "sweep `{}` shard {shard}: {} of {} cases, wrote {}",
            part.sweep,
            part.cases.len(),
            part.case_count,
            out.display()
        );
    }
    Ok(())
}

/// `landlinked merge`.
pub fn merge(dirs: &[PathBuf], out: &Path, format: Format, quiet: bool) -> Result<(), String> {
    sweep::merge_as(dirs, out, format).map_err(text)?;
    if !quiet {
        println!("merged {} parts into {}", dirs.len(), out.display());
    }
    Ok(())
}

/// `landlinked charts`.
pub fn charts(dir: &Path, out: &Path, quiet: bool) -> Result<(), String> {
    let written = report::hourly::charts_from_tables(dir, out).map_err(text)?;
    if !quiet {
        for path in written {
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}
