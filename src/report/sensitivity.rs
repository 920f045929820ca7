//! Tables of the sensitivity screens, shared by the command line and the
//! examples: the N-1 screen's CSV files and its worst contingencies, and a
//! transfer capability's binding constraints.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, report, sensitivity::screen_n1};
//! let net = matpower::read("grids/case5_tap_shift.m")?;
//! let pf = DcPowerFlow::new(&net)?;
//! let base = pf.solve()?.pf_mw;
//! let n1 = screen_n1(&pf, &base, None, None)?;
//! let dir = std::env::temp_dir().join("landlinked-n1-doc");
//! report::sensitivity::write_n1_csv(&net, &n1, &dir)?;
//! let text = std::fs::read_to_string(dir.join("n_minus_1.csv")).unwrap();
//! assert!(text.starts_with("branch,f_bus,t_bus,base_mw,worst_mw,worst_outage\n"));
//! assert!(report::sensitivity::n1_worst_table(&net, &n1, 3).starts_with("worst contingencies"));
//! # Ok::<(), landlinked::Error>(())
//! ```

use std::fmt::Write as _;
use std::path::Path;

use super::{write_error, write_table};
use crate::error::Result;
use crate::network::Network;
use crate::sensitivity::{N1Report, TransferLimit};

/// Writes `dir/n_minus_1.csv` (`branch,f_bus,t_bus,base_mw,worst_mw,
/// worst_outage`, one row per monitored branch, 1-based branch positions,
/// flows at full precision, empty `worst_outage` if every outage islands)
/// and `dir/islanding.csv` (`outage`: the outages that split an island);
/// `dir` is created if missing.
///
/// ```no_run
/// # use landlinked::{dc::DcPowerFlow, io::matpower, report, sensitivity::screen_n1};
/// # let net = matpower::read("case.m")?;
/// # let pf = DcPowerFlow::new(&net)?;
/// # let n1 = screen_n1(&pf, &pf.solve()?.pf_mw, None, None)?;
/// report::sensitivity::write_n1_csv(&net, &n1, "out")?;
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn write_n1_csv(net: &Network, n1: &N1Report, dir: impl AsRef<Path>) -> Result<()> {
    let dir = dir.as_ref();
    std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    let rows = (0..n1.monitored.len()).map(|i| {
        let l = n1.monitored[i];
        let br = &net.branches[l];
        vec![
            (l + 1).to_string(),
            br.from.to_string(),
            br.to.to_string(),
            format!("{:?}", n1.base_mw[i]),
            format!("{:?}", n1.worst_mw[i]),
            n1.worst_outage[i].map_or(String::new(), |o| (o + 1).to_string()),
        ]
    });
    let header = [
        "branch",
        "f_bus",
        "t_bus",
        "base_mw",
        "worst_mw",
        "worst_outage",
    ];
    write_table(&dir.join("n_minus_1.csv"), &header, rows)?;
    let isl = n1.islanding.iter().map(|k| vec![(k + 1).to_string()]);
    write_table(&dir.join("islanding.csv"), &["outage"], isl)
}

/// The `top` branches with the highest post-contingency loading (rated
/// ones), or the largest post-contingency flows if the case has no
/// ratings, as a text table (title line, header, one line per branch).
///
/// ```
/// # use landlinked::{dc::DcPowerFlow, io::matpower, report, sensitivity::screen_n1};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let pf = DcPowerFlow::new(&net)?;
/// let n1 = screen_n1(&pf, &pf.solve()?.pf_mw, None, None)?;
/// let table = report::sensitivity::n1_worst_table(&net, &n1, 2);
/// assert!(table.lines().count() <= 4);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn n1_worst_table(net: &Network, n1: &N1Report, top: usize) -> String {
    let loading = n1.worst_loading(net);
    let mut order: Vec<usize> = (0..n1.monitored.len())
        .filter(|&i| n1.worst_outage[i].is_some())
        .collect();
    let rated = loading.iter().any(Option::is_some);
    let key = |i: usize| {
        if rated {
            loading[i].unwrap_or(0.0)
        } else {
            n1.worst_mw[i].abs()
        }
    };
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    let mut s = String::new();
    let by = if rated {
        "by loading of rate_a"
    } else {
        "by |flow|, no ratings"
    };
    let _ = writeln!(s, "worst contingencies ({by}):");
    let _ = writeln!(
        s,
        "  {:>8} {:>15} {:>11} {:>11} {:>8}  outage",
        "branch", "buses", "base MW", "post MW", "loading"
    );
    for &i in order.iter().take(top) {
        let l = n1.monitored[i];
        let br = &net.branches[l];
        let o = n1.worst_outage[i].unwrap_or(0);
        let ob = &net.branches[o];
        let load = loading[i].map_or("-".to_string(), |x| format!("{:.1}%", 100.0 * x));
        let _ = writeln!(
            s,
            "  {:>8} {:>15} {:>11.3} {:>11.3} {:>8}  {} ({}-{})",
            l + 1,
            format!("{}-{}", br.from, br.to),
            n1.base_mw[i],
            n1.worst_mw[i],
            load,
            o + 1,
            ob.from,
            ob.to
        );
    }
    s
}

/// One transfer limit in words: `branch 3 (12-25) at 60.0 MVA`, and
/// `after outage of branch 2 (3-12)` when it holds under N-1.
///
/// ```
/// use landlinked::{io::matpower, report::sensitivity::describe_limit, sensitivity::TransferLimit};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let l = TransferLimit { transfer_mw: 10.0, branch: 0, outage: None, flow_mw: 5.0, factor: 0.5, rate_mva: 40.0 };
/// assert!(describe_limit(&net, &l).starts_with("branch 1 ("));
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn describe_limit(net: &Network, l: &TransferLimit) -> String {
    let br = &net.branches[l.branch];
    let mut s = format!(
        "branch {} ({}-{}) at {:.1} MVA",
        l.branch + 1,
        br.from,
        br.to,
        l.rate_mva
    );
    if let Some(k) = l.outage {
        let o = &net.branches[k];
        s += &format!(" after outage of branch {} ({}-{})", k + 1, o.from, o.to);
    }
    s
}

/// The binding constraints of a transfer as a text table: a title line
/// (`binding constraints, {title}:`), a header and one line per limit.
///
/// ```
/// use landlinked::{io::matpower, report::sensitivity::transfer_table};
/// let net = matpower::read("grids/case5_tap_shift.m")?;
/// let t = transfer_table(&net, "base case", &[]);
/// assert_eq!(t.lines().count(), 2);
/// # Ok::<(), landlinked::Error>(())
/// ```
pub fn transfer_table(net: &Network, title: &str, limits: &[TransferLimit]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "binding constraints, {title}:");
    let _ = writeln!(
        s,
        "  {:>12} {:>10} {:>10} {:>9}  constraint",
        "transfer MW", "flow MW", "MW/MW", "rate MVA"
    );
    for l in limits {
        let _ = writeln!(
            s,
            "  {:>12.3} {:>10.3} {:>10.5} {:>9.1}  {}",
            l.transfer_mw,
            l.flow_mw,
            l.factor,
            l.rate_mva,
            describe_limit(net, l)
        );
    }
    s
}
