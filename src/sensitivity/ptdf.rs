//! Power transfer distribution factors.
//!
//! Column `j` of the PTDF is the change of every branch flow per MW
//! injected at bus `j` and withdrawn at its island's reference: with
//! `x = B_red⁻¹ e_j`, `PTDF[l, j] = b_l (x_f − x_t)`. Row `l` is, because
//! `B_red` is symmetric, `b_l (e_f − e_t)ᵀ B_red⁻¹`: one solve per
//! monitored branch, so a large grid never needs the dense buses × branches
//! matrix. Reference and isolated buses have zero columns, and a bus only
//! moves flows in its own island.
//!
//! ```
//! use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
//! let net = matpower::read("grids/case5_tap_shift.m")?;
//! let ptdf = Ptdf::full(&DcPowerFlow::new(&net)?)?;
//! // Bus 3 is the reference: an injection there moves nothing.
//! assert!((0..net.branches.len()).all(|l| ptdf.factor(l, 3) == Some(0.0)));
//! // 1 MW into bus 7 leaves it on 3-7 (branch 0, against its direction) and 7-25 (branch 2).
//! let (a, b) = (ptdf.factor(0, 7).unwrap(), ptdf.factor(2, 7).unwrap());
//! assert!((b - a - 1.0).abs() < 1e-12);
//! # Ok::<(), landlinked::Error>(())
//! ```

use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

use super::{Kernel, Zone, check_branches, zone_positions};
use crate::dc::{BLOCK, DcPowerFlow};
use crate::error::{Error, Result};
use crate::network::BusIndex;

/// Largest dense PTDF [`Ptdf::full`] agrees to build (entries).
const MAX_DENSE_ENTRIES: usize = 1 << 26;

/// A PTDF matrix: one row per listed branch, one column per bus (file
/// order), MW of flow per MW injected at the bus and withdrawn at its
/// island's reference bus (MATPOWER's `makePTDF`).
///
/// ```
/// use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
/// let net = matpower::parse_str("mpc.baseMVA=100;
/// mpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1; 3 1 0 0 0 0 1 1 0 1 1 1 1];
/// mpc.gen=[1 0 0 0 0 1 100 1 1 0];
/// mpc.branch=[1 2 0 0.1 0 0 0 0 0 0 1 -360 360; 2 3 0 0.1 0 0 0 0 0 0 1 -360 360];", "line.m")?;
/// let ptdf = Ptdf::monitored(&DcPowerFlow::new(&net)?, &[1])?;
/// assert_eq!(ptdf.branches(), &[1]);
/// assert!((ptdf.factor(1, 3).unwrap() + 1.0).abs() < 1e-12); // all of it over 2-3, against its direction
/// assert_eq!(ptdf.factor(1, 2), Some(0.0));
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Ptdf {
    branches: Vec<usize>,
    buses: BusIndex,
    matrix: DMatrix<f64>,
}

impl Ptdf {
    /// Every branch × every bus, column by column (one solve per
    /// non-reference bus). Refuses grids whose dense matrix would exceed
    /// 2²⁶ entries: use [`Ptdf::monitored`] or [`Ptdf::column`] there.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let ptdf = Ptdf::full(&DcPowerFlow::new(&net)?)?;
    /// assert_eq!(ptdf.matrix().as_slice(), &[0.0, -1.0]); // reference column 0
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn full(pf: &DcPowerFlow) -> Result<Ptdf> {
        let (n, m) = (pf.model().bus_count(), pf.model().branch_count());
        if n.saturating_mul(m) > MAX_DENSE_ENTRIES {
            return Err(too_large(n, m));
        }
        let mut matrix = DMatrix::zeros(m, n);
        if m > 0 {
            full_columns(&Kernel::new(pf), matrix.as_mut_slice(), m);
        }
        Ok(Ptdf {
            branches: (0..m).collect(),
            buses: pf.model().topology().bus_index().clone(),
            matrix,
        })
    }

    /// Rows for the listed branches only (0-based positions, in the order
    /// given), by one solve per branch: `len × buses` entries.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// assert_eq!(Ptdf::monitored(&pf, &[0])?.matrix().ncols(), 2);
    /// assert!(Ptdf::monitored(&pf, &[1]).is_err()); // no second branch
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn monitored(pf: &DcPowerFlow, branches: &[usize]) -> Result<Ptdf> {
        let n = pf.model().bus_count();
        check_branches(branches, pf.model().branch_count(), "monitored branches")?;
        if n.saturating_mul(branches.len()) > MAX_DENSE_ENTRIES {
            return Err(too_large(n, branches.len()));
        }
        let matrix = monitored_rows(&Kernel::new(pf), branches);
        Ok(Ptdf {
            branches: branches.to_vec(),
            buses: pf.model().topology().bus_index().clone(),
            matrix,
        })
    }

    /// One column on demand: every branch's flow change (MW per MW) when
    /// bus `bus` (its number) injects and its island's reference withdraws.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// assert!((Ptdf::column(&pf, 2)?[0] + 1.0).abs() < 1e-12);
    /// assert!(Ptdf::column(&pf, 9).is_err()); // no such bus
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn column(pf: &DcPowerFlow, bus: u64) -> Result<DVector<f64>> {
        let pos = zone_positions(pf, &Zone::bus(bus))?;
        Ok(solve_column(&Kernel::new(pf), &pos))
    }

    /// Every branch's flow change per MW moved from `source` to `sink`
    /// (injected by the source's buses and withdrawn at the sink's, by
    /// their shares). Both zones must lie in one island.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{Ptdf, Zone}};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let pf = DcPowerFlow::new(&net)?;
    /// let t = Ptdf::transfer_column(&pf, &Zone::bus(1), &Zone::bus(2))?;
    /// assert!((t[0] - 1.0).abs() < 1e-12);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn transfer_column(pf: &DcPowerFlow, source: &Zone, sink: &Zone) -> Result<DVector<f64>> {
        let pos = transfer_positions(pf, source, sink)?;
        Ok(solve_column(&Kernel::new(pf), &pos))
    }

    /// Branch positions of the rows, in row order.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m")?;
    /// assert!(Ptdf::full(&DcPowerFlow::new(&net)?)?.branches().is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn branches(&self) -> &[usize] {
        &self.branches
    }

    /// The matrix: rows as [`Ptdf::branches`], columns buses in file order.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[];", "x.m")?;
    /// assert_eq!(Ptdf::full(&DcPowerFlow::new(&net)?)?.matrix().shape(), (0, 1));
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn matrix(&self) -> &DMatrix<f64> {
        &self.matrix
    }

    /// The factor of branch `branch` (0-based position) for bus number
    /// `bus`; `None` if the branch has no row or the bus does not exist.
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::Ptdf};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let ptdf = Ptdf::full(&DcPowerFlow::new(&net)?)?;
    /// assert_eq!(ptdf.factor(0, 1), Some(0.0));
    /// assert_eq!(ptdf.factor(0, 5), None);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn factor(&self, branch: usize, bus: u64) -> Option<f64> {
        let row = self.branches.iter().position(|&k| k == branch)?;
        let col = self.buses.position(bus)?;
        Some(self.matrix[(row, col)])
    }

    /// Factors of the rows' branches for a transfer from `source` to
    /// `sink`, from the stored matrix (no solve).
    ///
    /// ```
    /// # use landlinked::{dc::DcPowerFlow, io::matpower, sensitivity::{Ptdf, Zone}};
    /// # let net = matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m")?;
    /// let ptdf = Ptdf::full(&DcPowerFlow::new(&net)?)?;
    /// let t = ptdf.transfer(&Zone::bus(2), &Zone::bus(1))?;
    /// assert!((t[0] + 1.0).abs() < 1e-12);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn transfer(&self, source: &Zone, sink: &Zone) -> Result<DVector<f64>> {
        let mut out = DVector::zeros(self.branches.len());
        for (zone, sign) in [(source, 1.0), (sink, -1.0)] {
            for &(id, share) in zone.shares() {
                let col = self.buses.position(id).ok_or(Error::UnknownBus {
                    element: "zone".into(),
                    bus: id,
                })?;
                out.axpy(sign * share, &self.matrix.column(col), 1.0);
            }
        }
        Ok(out)
    }
}

fn too_large(n: usize, m: usize) -> Error {
    Error::InvalidValue {
        element: "PTDF".into(),
        field: "entries".into(),
        value: n as f64 * m as f64,
        expected: format!(
            "at most {MAX_DENSE_ENTRIES} dense entries ({m} rows × {n} buses): compute monitored rows or single columns"
        ),
    }
}

/// Fills a column-major `m × n` matrix, BLOCK bus columns per task.
fn full_columns(k: &Kernel, data: &mut [f64], m: usize) {
    let model = k.pf.model();
    data.par_chunks_mut(m * BLOCK).enumerate().for_each_init(
        || k.new_block(),
        |block, (chunk, cols)| {
            let width = cols.len() / m;
            let first = chunk * BLOCK;
            block.fill(0.0);
            // Unit right-hand side per lane (reference lanes stay 0).
            for c in 0..width {
                let r = k.row[first + c];
                if r < k.n_red {
                    block[r * width + c] = 1.0;
                }
            }
            k.solve(block, width);
            for l in 0..model.branch_count() {
                for c in 0..width {
                    cols[c * m + l] = k.delta(block, width, c, l);
                }
            }
        },
    );
}

/// Rows of the listed branches: `b_l (e_f − e_t)ᵀ B_red⁻¹`, BLOCK per task.
fn monitored_rows(k: &Kernel, branches: &[usize]) -> DMatrix<f64> {
    let n = k.pf.model().bus_count();
    let b = k.pf.model().branch_susceptance_pu();
    let pieces: Vec<Vec<f64>> = branches
        .par_chunks(BLOCK)
        .map_init(
            || k.new_block(),
            |block, chunk| {
                let width = chunk.len();
                block.fill(0.0);
                for (c, &l) in chunk.iter().enumerate() {
                    k.put_branch(block, width, c, l);
                    // Only the branch's two end rows are nonzero.
                    let (rf, rt) = k.branch_rows(l);
                    for r in [rf, rt] {
                        if r < k.n_red {
                            block[r * width + c] *= b[l];
                        }
                    }
                }
                k.solve(block, width);
                // Bus-major piece: n × width, lanes contiguous.
                let mut piece = vec![0.0; n * width];
                for (bus, &r) in k.row.iter().enumerate() {
                    piece[bus * width..(bus + 1) * width]
                        .copy_from_slice(&block[r * width..(r + 1) * width]);
                }
                piece
            },
        )
        .collect();
    // Column `bus` of the result holds the pieces' lanes one after the
    // other: contiguous copies, no strided writes.
    let mut matrix = DMatrix::zeros(branches.len(), n);
    for (p, piece) in pieces.iter().enumerate() {
        let width = piece.len() / n.max(1);
        for (bus, lanes) in piece.chunks(width.max(1)).enumerate() {
            matrix
                .column_mut(bus)
                .rows_mut(p * BLOCK, width)
                .copy_from_slice(lanes);
        }
    }
    matrix
}

/// Every branch's flow change for one right-hand side `Σ share · e_bus`.
fn solve_column(k: &Kernel, rhs: &[(usize, f64)]) -> DVector<f64> {
    let mut x = vec![0.0; k.n_red + 1];
    for &(bus, s) in rhs {
        x[k.row[bus]] += s;
    }
    x[k.n_red] = 0.0;
    k.pf.solve_reduced_in_place(&mut x[..k.n_red]);
    let m = k.pf.model().branch_count();
    DVector::from_fn(m, |l, _| k.delta(&x, 1, 0, l))
}

/// Bus positions and signed shares of a transfer; errors on unknown or
/// isolated buses and on zones spanning more than one island.
pub(crate) fn transfer_positions(
    pf: &DcPowerFlow,
    source: &Zone,
    sink: &Zone,
) -> Result<Vec<(usize, f64)>> {
    let topo = pf.model().topology();
    let mut out = zone_positions(pf, source)?;
    out.extend(zone_positions(pf, sink)?.into_iter().map(|(b, s)| (b, -s)));
    let ids = topo.bus_index();
    let mut island = None;
    for &(b, _) in &out {
        let Some(i) = topo.island_of(b) else {
            return Err(Error::InvalidValue {
                element: format!("bus {}", ids.id(b)),
                field: "zone".into(),
                value: ids.id(b) as f64,
                expected: "a bus that is not isolated".into(),
            });
        };
        if *island.get_or_insert(i) != i {
            return Err(Error::InvalidValue {
                element: format!("bus {}", ids.id(b)),
                field: "zone".into(),
                value: i as f64,
                expected: "source and sink buses in one island".into(),
            });
        }
    }
    Ok(out)
}
