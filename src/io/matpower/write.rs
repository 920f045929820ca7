//! The MATPOWER case writer: [`to_string`] and [`write`], the reader's
//! inverse.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};
use crate::network::Network;

/// Writes a network as MATPOWER case text (version 2) that [`parse_str`](super::parse_str)
/// reads back to an equal network. Numbers are written with Rust's shortest
/// round-trip formatting, so nothing is lost.
///
/// ```
/// use landlinked::io::matpower;
/// let text = "function mpc = t\nmpc.baseMVA = 100;\nmpc.bus = [1 3 10 0 0 0 1 1 0 230 1 1.1 0.9];\nmpc.gen = [1 10 0 0 0 1 100 1 50 0];\nmpc.branch = [];\n";
/// let net = matpower::parse_str(text, "t.m").unwrap();
/// let again = matpower::parse_str(&matpower::to_string(&net), "t2.m").unwrap();
/// assert_eq!(net, again);
/// ```
pub fn to_string(net: &Network) -> String {
    let mut s = String::new();
    let name = if net.name.is_empty() {
        "mpc_case"
    } else {
        &net.name
    };
    let _ = writeln!(
        s,
        "function mpc = {name}\n%% written by landlinked\nmpc.version = '2';"
    );
    let _ = writeln!(s, "mpc.baseMVA = {:?};\n", net.base_mva);
    s.push_str(
        "%%\tbus_i\ttype\tPd\tQd\tGs\tBs\tarea\tVm\tVa\tbaseKV\tzone\tVmax\tVmin\nmpc.bus = [\n",
    );
    for b in &net.buses {
        let _ = writeln!(
            s,
            "\t{}\t{}\t{:?}\t{:?}\t{:?}\t{:?}\t{}\t{:?}\t{:?}\t{:?}\t{}\t1.1\t0.9;",
            b.id,
            b.kind.code(),
            b.pd_mw,
            b.qd_mvar,
            b.gs_mw,
            b.bs_mvar,
            b.area,
            b.vm_pu,
            b.va_deg,
            b.base_kv,
            b.zone
        );
    }
    s.push_str("];\n\n%%\tbus\tPg\tQg\tQmax\tQmin\tVg\tmBase\tstatus\tPmax\tPmin\nmpc.gen = [\n");
    for g in &net.generators {
        let _ = writeln!(
            s,
            "\t{}\t{:?}\t{:?}\t0\t0\t1\t{:?}\t{}\t{}\t{}",
            g.bus,
            g.pg_mw,
            g.qg_mvar,
            net.base_mva,
            u8::from(g.in_service),
            fmt_limit(g.pmax_mw),
            fmt_limit(g.pmin_mw),
        );
    }
    s.push_str("];\n\n%%\tfbus\ttbus\tr\tx\tb\trateA\trateB\trateC\tratio\tangle\tstatus\tangmin\tangmax\nmpc.branch = [\n");
    for br in &net.branches {
        let _ = writeln!(
            s,
            "\t{}\t{}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{}\t-360\t360;",
            br.from,
            br.to,
            br.r_pu,
            br.x_pu,
            br.b_pu,
            br.rate_a_mva,
            br.rate_b_mva,
            br.rate_c_mva,
            br.tap,
            br.shift_deg,
            u8::from(br.in_service)
        );
    }
    s.push_str("];\n");
    s
}

fn fmt_limit(v: f64) -> String {
    if v == f64::INFINITY || v == f64::MAX {
        "Inf".into()
    } else if v == f64::NEG_INFINITY || v == -f64::MAX {
        "-Inf".into()
    } else {
        format!("{v:?}")
    }
}

/// Writes a network to a MATPOWER case file.
///
/// ```no_run
/// # let net = landlinked::network::Network::new("x", 100.0);
/// landlinked::io::matpower::write(&net, "out.m").unwrap();
/// ```
pub fn write(net: &Network, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    std::fs::write(path, to_string(net)).map_err(|e| Error::Write {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
