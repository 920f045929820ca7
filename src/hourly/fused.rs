//! The year's final flows (after trade), reduced as they are solved
//! (`DcPowerFlow::reduce_many`), a chunk of hours at a time: per branch
//! the largest |flow|, the hours above 80 % and 100 % of `rate_a`, the
//! base-case overloads the trade added to, and per hour the AC flow across
//! the exporter's border. The year of final flows is never stored (on a
//! 10,000-bus grid that is 0.9 GB per scenario-year), nor the year of base
//! flows: each chunk's base flows live only while its hours are traded.
//! The results are the bits a materialised loop over the year gave.

use crate::dc::{BLOCK, BlockView, Reducer};
use nalgebra::DMatrix;

/// Settings shared by every chunk.
pub(super) struct FinalFlowsSetup<'a> {
    /// `rate_a` per branch, MVA (0: unrated); None for an out-of-service
    /// branch (skipped).
    pub rates: Vec<Option<f64>>,
    /// Per branch: +1 leaving the exporter, −1 entering, 0.
    pub border: &'a [f64],
    /// The transfers' smallest limiting factor (MW per MW): a branch that
    /// responds less to an export does not limit it, so trade may load it
    /// by up to this much per MW exported.
    pub min_factor: f64,
}

/// The year's statistics of the final flows, chunk after chunk.
pub(super) struct FlowStats {
    pub max_abs_mw: Vec<f64>,
    pub over80: Vec<u32>,
    pub over100: Vec<u32>,
    /// (branch, hour) pairs, hour-major.
    pub worsened: Vec<(usize, usize)>,
    /// AC flow across the border, per hour in order, MW.
    pub border_ac_mw: Vec<f64>,
}

impl FlowStats {
    pub(super) fn new(branches: usize) -> FlowStats {
        FlowStats {
            max_abs_mw: vec![0.0; branches],
            over80: vec![0; branches],
            over100: vec![0; branches],
            worsened: Vec::new(),
            border_ac_mw: Vec::new(),
        }
    }

    /// Folds in the statistics of the hours right after these.
    pub(super) fn merge(&mut self, later: FlowStats) {
        for (a, b) in self.max_abs_mw.iter_mut().zip(later.max_abs_mw) {
            *a = a.max(b);
        }
        for (a, b) in self.over80.iter_mut().zip(later.over80) {
            *a += b;
        }
        for (a, b) in self.over100.iter_mut().zip(later.over100) {
            *a += b;
        }
        self.worsened.extend(later.worsened);
        self.border_ac_mw.extend(later.border_ac_mw);
    }
}

/// The reducer of one chunk of hours: see the module docs.
pub(super) struct FinalFlows<'a> {
    setup: &'a FinalFlowsSetup<'a>,
    /// The chunk's base-state flows, branches × hours, MW.
    base: &'a DMatrix<f64>,
    /// The chunk's exports per hour, all corridors, MW.
    exports_mw: &'a [f64],
    /// The chunk's first hour of the year.
    first_hour: usize,
    pub stats: FlowStats,
}

impl<'a> FinalFlows<'a> {
    pub(super) fn new(
        setup: &'a FinalFlowsSetup<'a>,
        base: &'a DMatrix<f64>,
        exports_mw: &'a [f64],
        first_hour: usize,
    ) -> FinalFlows<'a> {
        FinalFlows {
            setup,
            base,
            exports_mw,
            first_hour,
            stats: FlowStats::new(setup.rates.len()),
        }
    }
}

impl Reducer for FinalFlows<'_> {
    fn fresh(&self) -> Self {
        FinalFlows::new(self.setup, self.base, self.exports_mw, self.first_hour)
    }

    fn block(&mut self, b: &BlockView<'_>) {
        let (first, width) = (b.first_period(), b.width());
        let s = self.setup;
        let st = &mut self.stats;
        // `Iterator::sum`'s start value, so the border sums are the bits of
        // `flows.iter().zip(border).map(|(f, s)| f * s).sum()`.
        let mut border = [std::iter::empty::<f64>().sum::<f64>(); BLOCK];
        let mut worsened = Vec::new();
        for (l, rate) in s.rates.iter().enumerate() {
            let f = b.flow_mw(l);
            let sign = s.border[l];
            for c in 0..width {
                border[c] += f[c] * sign;
            }
            let Some(rate) = *rate else { continue };
            for (c, fc) in f[..width].iter().enumerate() {
                let a = fc.abs();
                st.max_abs_mw[l] = st.max_abs_mw[l].max(a);
                if rate > 0.0 {
                    if a > 0.8 * rate {
                        st.over80[l] += 1;
                    }
                    if a > rate * (1.0 + 1e-9) {
                        st.over100[l] += 1;
                        // Trade may only load a branch beyond its rating if
                        // the base state already did, and then not more
                        // (but for what exports move a branch that hardly
                        // responds to them).
                        let h = first + c;
                        let slack = 1e-6 + s.min_factor * self.exports_mw[h];
                        if a > self.base[(l, h)].abs().max(rate) + slack {
                            worsened.push((self.first_hour + h, l));
                        }
                    }
                }
            }
        }
        worsened.sort_unstable();
        st.worsened
            .extend(worsened.into_iter().map(|(h, l)| (l, h)));
        st.border_ac_mw.extend_from_slice(&border[..width]);
    }

    fn merge(&mut self, later: Self) {
        self.stats.merge(later.stats);
    }
}
