//! The subcommands on one MATPOWER case: `dcpf`, `n-1`, `transfer`.

use std::path::Path;

use landlinked::dc::DcPowerFlow;
use landlinked::io::matpower;
use landlinked::report::{self, sensitivity as tables};
use landlinked::sensitivity::{TransferSettings, Zone, screen_n1, transfer_capability};

fn text(e: landlinked::Error) -> String {
    e.to_string()
}

/// Reads a case, and says on stderr (unless `quiet`) when its HVDC lines
/// (`mpc.dcline`) are left out, as MATPOWER's `rundcpf` leaves them out.
fn read_case(case: &Path, quiet: bool) -> Result<landlinked::network::Network, String> {
    let net = matpower::read(case).map_err(text)?;
    for t in net
        .skipped_tables
        .iter()
        .filter(|t| t.field == "dcline" && t.has_values)
    {
        if !quiet {
            eprintln!(
                "note: {}, line {}: mpc.dcline's HVDC lines are not modelled (MATPOWER's rundcpf \
                 leaves them out too unless toggle_dcline is on)",
                case.display(),
                t.line
            );
        }
    }
    Ok(net)
}

/// `landlinked dcpf`.
pub fn dcpf(case: &Path, out: Option<&Path>, quiet: bool) -> Result<(), String> {
    let net = read_case(case, quiet)?;
    let pf = DcPowerFlow::new(&net).map_err(text)?;
    let sol = pf.solve().map_err(text)?;
    print!(
        "{}",
        report::dc_summary(&net, &pf, &sol, &case.display().to_string())
    );
    if let Some(dir) = out {
        report::write_dc_csv(&net, &sol, dir).map_err(text)?;
        if !quiet {
            println!(
                "wrote       {0}/bus.csv, {0}/branch.csv, {0}/gen.csv",
                dir.display()
            );
        }
    }
    Ok(())
}

/// `landlinked n-1`.
pub fn n_minus_1(case: &Path, out: Option<&Path>, top: usize, quiet: bool) -> Result<(), String> {
    let net = read_case(case, quiet)?;
    let pf = DcPowerFlow::new(&net).map_err(text)?;
    let base = pf.solve().map_err(text)?.pf_mw;
    let in_service: Vec<usize> = (0..net.branches.len())
        .filter(|&k| net.branches[k].in_service)
        .collect();
    let n1 = screen_n1(&pf, &base, Some(&in_service), Some(&in_service)).map_err(text)?;
    println!("case          {} ({})", net.name, case.display());
    println!(
        "branches      {} in service, all out in turn, all monitored",
        in_service.len()
    );
    println!(
        "islanding     {} outages split an island (not screened)",
        n1.islanding.len()
    );
    print!("{}", tables::n1_worst_table(&net, &n1, top));
    if let Some(dir) = out {
        tables::write_n1_csv(&net, &n1, dir).map_err(text)?;
        if !quiet {
            println!(
                "wrote         {0}/n_minus_1.csv, {0}/islanding.csv",
                dir.display()
            );
        }
    }
    Ok(())
}

/// `landlinked transfer`.
pub fn transfer(
    case: &Path,
    from: &str,
    to: &str,
    base_only: bool,
    top: Option<usize>,
    min_factor: Option<f64>,
) -> Result<(), String> {
    let mut settings = TransferSettings {
        n_minus_1: !base_only,
        ..Default::default()
    };
    if let Some(keep) = top {
        settings.keep = keep;
    }
    if let Some(f) = min_factor {
        settings.min_factor = f;
    }
    let net = read_case(case, false)?;
    let source = Zone::parse(&net, from, true).map_err(|e| format!("--from: {e}"))?;
    let sink = Zone::parse(&net, to, false).map_err(|e| format!("--to: {e}"))?;
    let pf = DcPowerFlow::new(&net).map_err(text)?;
    let base = pf.solve().map_err(text)?.pf_mw;
    let tc = transfer_capability(&net, &pf, &base, &source, &sink, settings).map_err(text)?;
    println!("case      {} ({})", net.name, case.display());
    println!(
        "source    {from}: {} buses; sink {to}: {} buses",
        source.shares().len(),
        sink.shares().len()
    );
    match tc.binding() {
        Some(b) => println!(
            "capability {:.3} MW more ({})",
            b.transfer_mw,
            tables::describe_limit(&net, b)
        ),
        None => println!("capability unlimited: no rated branch responds to this transfer"),
    }
    print!(
        "{}",
        tables::transfer_table(&net, "base case", &tc.base_case)
    );
    if settings.n_minus_1 {
        print!(
            "{}",
            tables::transfer_table(&net, "after one outage (N-1)", &tc.n_minus_1)
        );
        println!(
            "{} outages split an island and were not screened",
            tc.islanding.len()
        );
    }
    Ok(())
}
