//! The year's final flows (after trade), reduced as they are solved
//! (`DcPowerFlow::reduce_many`): per branch the largest |flow|, the hours
//! above 80 % and 100 % of `rate_a`, the base-case overloads the trade
//! added to, and per hour the AC flow across the exporter's border. The
//! year of final flows is never stored (on a 10,000-bus grid that is
//! 0.9 GB per scenario-year); the results are the bits the materialised
//! loop gave.

use crate::dc::{BLOCK, BlockView, Reducer};
use nalgebra::DMatrix;

/// Settings shared by every chunk.
pub(super) struct FinalFlowsSetup<'a> {
    /// Base-state flows, branches × hours, MW.
    pub base: &'a DMatrix<f64>,
    /// `rate_a` per branch, MVA (0: unrated); None for an out-of-service
    /// branch (skipped).
    pub rates: Vec<Option<f64>>,
    /// Per branch: +1 leaving the exporter, −1 entering, 0.
    pub border: &'a [f64],
}

/// The reducer: see the module docs.
pub(super) struct FinalFlows<'a> {
    setup: &'a FinalFlowsSetup<'a>,
    pub max_abs_mw: Vec<f64>,
    pub over80: Vec<u32>,
    pub over100: Vec<u32>,
    /// (branch, hour) pairs, hour-major.
    pub worsened: Vec<(usize, usize)>,
    /// AC flow across the border, per hour in order, MW.
    pub border_ac_mw: Vec<f64>,
}

impl<'a> FinalFlows<'a> {
    pub(super) fn new(setup: &'a FinalFlowsSetup<'a>) -> FinalFlows<'a> {
        let m = setup.rates.len();
        FinalFlows {
            setup,
            max_abs_mw: vec![0.0; m],
            over80: vec![0; m],
            over100: vec![0; m],
            worsened: Vec::new(),
            border_ac_mw: Vec::new(),
        }
    }
}

impl Reducer for FinalFlows<'_> {
    fn fresh(&self) -> Self {
        FinalFlows::new(self.setup)
    }

    fn block(&mut self, b: &BlockView<'_>) {
        let (first, width) = (b.first_period(), b.width());
        let s = self.setup;
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
                self.max_abs_mw[l] = self.max_abs_mw[l].max(a);
                if rate > 0.0 {
                    if a > 0.8 * rate {
                        self.over80[l] += 1;
                    }
                    if a > rate * (1.0 + 1e-9) {
                        self.over100[l] += 1;
                        // Trade may only load a branch beyond its rating if
                        // the base state already did, and then not more.
                        let h = first + c;
                        if a > s.base[(l, h)].abs().max(rate) + 1e-6 {
                            worsened.push((h, l));
                        }
                    }
                }
            }
        }
        worsened.sort_unstable();
        self.worsened
            .extend(worsened.into_iter().map(|(h, l)| (l, h)));
        self.border_ac_mw.extend_from_slice(&border[..width]);
    }

    fn merge(&mut self, later: Self) {
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
