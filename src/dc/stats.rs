//! Built-in [`Reducer`]s: per-branch flow statistics ([`BranchStats`]:
//! extremes and their periods, mean, maximum loading, periods above
//! loading thresholds, a loading histogram for duration curves) and
//! per-bus angle extremes ([`AngleExtremes`]).
//!
//! Maxima and minima keep the earliest period on ties, as a scan in period
//! order with a strict comparison does; counts are exact; means are sums in
//! a fixed order (within 1e-12 relative of a plain sum over the periods).

use std::sync::Arc;

use super::lanes::{any_outside, count_abs_gt, live_bits as live, mask_gt, mask_lt};
use super::many::BLOCK;
use super::reduce::{BlockView, Reducer};
use crate::error::{Error, Result};

/// Largest and smallest of `width` lanes.
#[inline(always)]
fn lane_max_min(l: &[f64; BLOCK], width: usize) -> (f64, f64) {
    if width == BLOCK {
        // Pairwise, so the compiler keeps it in vector registers.
        let mut hi: [f64; 8] = std::array::from_fn(|i| pick_max(l[i], l[i + 8]));
        let mut lo: [f64; 8] = std::array::from_fn(|i| pick_min(l[i], l[i + 8]));
        for s in [4, 2, 1] {
            for i in 0..s {
                hi[i] = pick_max(hi[i], hi[i + s]);
                lo[i] = pick_min(lo[i], lo[i + s]);
            }
        }
        (hi[0], lo[0])
    } else {
        l[..width]
            .iter()
            .fold((f64::NEG_INFINITY, f64::INFINITY), |(hi, lo), &v| {
                (pick_max(hi, v), pick_min(lo, v))
            })
    }
}

#[inline(always)]
fn pick_max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

#[inline(always)]
fn pick_min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// The first of `width` lanes that is not below `v`: for `v` the lanes'
/// maximum, the earliest period it occurs (flows are finite).
#[inline(always)]
fn first_lane_of_max(l: &[f64; BLOCK], width: usize, v: f64) -> usize {
    (!mask_lt(l, v) & live(width)).trailing_zeros() as usize
}

/// The first of `width` lanes that is not above `v` (for the minimum).
#[inline(always)]
fn first_lane_of_min(l: &[f64; BLOCK], width: usize, v: f64) -> usize {
    (!mask_gt(l, v) & live(width)).trailing_zeros() as usize
}

/// Sum of `width` lanes, in a fixed order.
#[inline(always)]
fn lane_sum(l: &[f64; BLOCK], width: usize) -> f64 {
    #[cfg(all(
        target_arch = "x86_64",
        target_feature = "avx",
        not(target_feature = "avx512f")
    ))]
    if width == BLOCK {
        // The same tree as below, in 256-bit registers (the compiler's
        // version of it went through the stack in an AVX2 build).
        use std::arch::x86_64::{
            _mm_add_pd, _mm_cvtsd_f64, _mm_unpackhi_pd, _mm256_add_pd, _mm256_castpd256_pd128,
            _mm256_extractf128_pd, _mm256_loadu_pd,
        };
        // SAFETY: AVX is enabled at compile time; the loads read 4 of the
        // 16 values each.
        return unsafe {
            let p = l.as_ptr();
            let a = _mm256_add_pd(_mm256_loadu_pd(p), _mm256_loadu_pd(p.add(8)));
            let b = _mm256_add_pd(_mm256_loadu_pd(p.add(4)), _mm256_loadu_pd(p.add(12)));
            let c = _mm256_add_pd(a, b);
            let d = _mm_add_pd(_mm256_castpd256_pd128(c), _mm256_extractf128_pd::<1>(c));
            _mm_cvtsd_f64(_mm_add_pd(d, _mm_unpackhi_pd(d, d)))
        };
    }
    if width == BLOCK {
        let mut h: [f64; 8] = std::array::from_fn(|i| l[i] + l[i + 8]);
        for s in [4, 2, 1] {
            for i in 0..s {
                h[i] += h[i + s];
            }
        }
        h[0]
    } else {
        l[..width].iter().sum()
    }
}

/// Running maxima and minima of some elements with their periods.
#[derive(Clone, Debug)]
struct Extremes {
    max: Vec<f64>,
    max_period: Vec<usize>,
    min: Vec<f64>,
    min_period: Vec<usize>,
}

impl Extremes {
    fn new(len: usize) -> Extremes {
        Extremes {
            max: vec![f64::NEG_INFINITY; len],
            max_period: vec![0; len],
            min: vec![f64::INFINITY; len],
            min_period: vec![0; len],
        }
    }

    #[inline(always)]
    fn update(&mut self, i: usize, l: &[f64; BLOCK], width: usize, first: usize) {
        // The usual case: no lane beats the running extremes. Two vector
        // compares answer it; the horizontal maximum and the lane are only
        // looked for when one does.
        let (hi, lo) = (self.max[i], self.min[i]);
        if any_outside(l, width, lo, hi) {
            let (mx, mn) = lane_max_min(l, width);
            if mx > hi {
                self.max[i] = mx;
                self.max_period[i] = first + first_lane_of_max(l, width, mx);
            }
            if mn < lo {
                self.min[i] = mn;
                self.min_period[i] = first + first_lane_of_min(l, width, mn);
            }
        }
    }

    fn merge(&mut self, later: Extremes) {
        for i in 0..self.max.len() {
            if later.max[i] > self.max[i] {
                self.max[i] = later.max[i];
                self.max_period[i] = later.max_period[i];
            }
            if later.min[i] < self.min[i] {
                self.min[i] = later.min[i];
                self.min_period[i] = later.min_period[i];
            }
        }
    }
}

/// Settings shared by every chunk's [`BranchStats`].
#[derive(Clone, Debug)]
struct StatsConfig {
    branches: usize,
    /// Ratings, MW (`+∞`: unlimited).
    ratings_mw: Option<Vec<f64>>,
    /// Loading thresholds (fractions of the rating).
    thresholds: Vec<f64>,
    /// `thresholds[j] × rating` of each branch, branch-major.
    limits_mw: Vec<f64>,
    /// Histogram bins below the top loading (one more bin above it).
    bins: usize,
    /// Top of the histogram, loading fraction.
    top: f64,
    /// `bins / (top × rating)` of each branch: |flow| times it is the bin.
    per_mw: Vec<f64>,
}

/// Per-branch statistics of flows over periods: maximum and minimum flow
/// (MW, signed, from-end) and the period each first occurs, mean flow,
/// and against ratings, maximum loading, periods above loading thresholds
/// and a loading histogram (a duration curve in fixed bins).
///
/// ```
/// use landlinked::dc::{BranchStats, DcPowerFlow};
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = DcPowerFlow::new(&net)?;
/// // 100 periods; bus 2 draws t MW in period t
/// let inj = nalgebra::DMatrix::from_fn(2, 100, |bus, t| if bus == 1 { -(t as f64) } else { 0.0 });
/// let stats = BranchStats::new(1)
///     .with_ratings(&[64.0])?
///     .with_thresholds(&[0.5, 1.0])?
///     .with_histogram(4, 2.0)?; // bins of 0.5 loading (32 MW) up to 2.0, and one above
/// let s = pf.reduce_many(&inj, stats)?;
/// assert_eq!((s.min_mw()[0], s.mean_mw()[0]), (0.0, 49.5));
/// assert_eq!((s.periods_above(0)[0], s.periods_above(1)[0]), (67, 35)); // above 32, 64 MW
/// assert_eq!(s.histogram(0), &[32, 32, 32, 4, 0]);
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct BranchStats {
    config: Arc<StatsConfig>,
    periods: usize,
    extremes: Extremes,
    sum_mw: Vec<f64>,
    /// Periods above each threshold, branch-major.
    above: Vec<u32>,
    /// Histogram counts, branch-major, `bins + 1` per branch.
    histogram: Vec<u32>,
}

impl BranchStats {
    /// Extremes and means of `branches` branches (the grid's branch
    /// count), no ratings.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(3).periods(), 0);
    /// ```
    pub fn new(branches: usize) -> BranchStats {
        BranchStats {
            config: Arc::new(StatsConfig {
                branches,
                ratings_mw: None,
                thresholds: Vec::new(),
                limits_mw: Vec::new(),
                bins: 0,
                top: 0.0,
                per_mw: Vec::new(),
            }),
            periods: 0,
            extremes: Extremes::new(branches),
            sum_mw: vec![0.0; branches],
            above: Vec::new(),
            histogram: Vec::new(),
        }
    }

    /// Ratings of every branch, MW, for loadings (`f64::INFINITY` for an
    /// unlimited branch). Errors name the branch whose rating is zero,
    /// negative or NaN, or a list of the wrong length.
    ///
    /// ```
    /// use landlinked::dc::BranchStats;
    /// let err = BranchStats::new(2).with_ratings(&[100.0, 0.0]).unwrap_err();
    /// assert!(err.to_string().contains("branch 2"));
    /// assert!(BranchStats::new(2).with_ratings(&[100.0]).is_err());
    /// ```
    pub fn with_ratings(mut self, ratings_mw: &[f64]) -> Result<BranchStats> {
        check_ratings(ratings_mw, self.config.branches, |k| {
            format!("branch {}", k + 1)
        })?;
        let config = Arc::make_mut(&mut self.config);
        config.ratings_mw = Some(ratings_mw.to_vec());
        self.reconfigure();
        Ok(self)
    }

    /// Counts the periods whose loading (|flow| / rating) is above each of
    /// `thresholds` (fractions: 0.8 for 80 %); needs ratings first.
    ///
    /// ```
    /// use landlinked::dc::BranchStats;
    /// assert!(BranchStats::new(1).with_thresholds(&[1.0]).is_err()); // no ratings
    /// assert!(BranchStats::new(1).with_ratings(&[9.0])?.with_thresholds(&[-1.0]).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn with_thresholds(mut self, thresholds: &[f64]) -> Result<BranchStats> {
        self.need_ratings("loading thresholds")?;
        for (j, &t) in thresholds.iter().enumerate() {
            positive(t, &format!("loading threshold {}", j + 1), "threshold")?;
        }
        Arc::make_mut(&mut self.config).thresholds = thresholds.to_vec();
        self.reconfigure();
        Ok(self)
    }

    /// A loading histogram per branch: `bins` equal bins from 0 to `top`
    /// (a loading fraction, e.g. 1.5), and one more for loadings at or
    /// above `top`; needs ratings first.
    ///
    /// ```
    /// use landlinked::dc::BranchStats;
    /// let s = BranchStats::new(1).with_ratings(&[9.0])?;
    /// assert!(s.clone().with_histogram(0, 1.0).is_err());
    /// assert!(s.with_histogram(10, f64::NAN).is_err());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn with_histogram(mut self, bins: usize, top: f64) -> Result<BranchStats> {
        self.need_ratings("a loading histogram")?;
        positive(top, "loading histogram", "top")?;
        if bins == 0 || bins > 100_000 {
            return Err(Error::InvalidValue {
                element: "loading histogram".into(),
                field: "bins".into(),
                value: bins as f64,
                expected: "between 1 and 100000 bins".into(),
            });
        }
        let config = Arc::make_mut(&mut self.config);
        config.bins = bins;
        config.top = top;
        self.reconfigure();
        Ok(self)
    }

    fn need_ratings(&self, what: &str) -> Result<()> {
        if self.config.ratings_mw.is_some() {
            Ok(())
        } else {
            Err(Error::Invalid {
                message: format!("{what} need branch ratings: call with_ratings first"),
            })
        }
    }

    /// Derives the per-branch limits and resets the counters.
    fn reconfigure(&mut self) {
        let config = Arc::make_mut(&mut self.config);
        let ratings = config.ratings_mw.as_deref().unwrap_or(&[]);
        config.limits_mw = ratings
            .iter()
            .flat_map(|&r| config.thresholds.iter().map(move |&t| t * r))
            .collect();
        config.per_mw = if config.bins == 0 {
            Vec::new()
        } else {
            ratings
                .iter()
                .map(|&r| config.bins as f64 / (config.top * r))
                .collect()
        };
        self.above = vec![0; config.limits_mw.len()];
        self.histogram = if config.bins == 0 {
            Vec::new()
        } else {
            vec![0; config.branches * (config.bins + 1)]
        };
    }

    /// Periods reduced.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).periods(), 0);
    /// ```
    pub fn periods(&self) -> usize {
        self.periods
    }

    /// Largest flow of each branch, MW (−∞ before any period).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).max_mw()[0], f64::NEG_INFINITY);
    /// ```
    pub fn max_mw(&self) -> &[f64] {
        &self.extremes.max
    }

    /// The first period of each branch's largest flow (0-based).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).max_period(), &[0]);
    /// ```
    pub fn max_period(&self) -> &[usize] {
        &self.extremes.max_period
    }

    /// Smallest flow of each branch, MW (+∞ before any period).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).min_mw()[0], f64::INFINITY);
    /// ```
    pub fn min_mw(&self) -> &[f64] {
        &self.extremes.min
    }

    /// The first period of each branch's smallest flow.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).min_period(), &[0]);
    /// ```
    pub fn min_period(&self) -> &[usize] {
        &self.extremes.min_period
    }

    /// Mean flow of each branch, MW (NaN-free: 0 before any period).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).mean_mw(), vec![0.0]);
    /// ```
    pub fn mean_mw(&self) -> Vec<f64> {
        let n = self.periods.max(1) as f64;
        self.sum_mw.iter().map(|s| s / n).collect()
    }

    /// Largest |flow| / rating of each branch (None without ratings).
    ///
    /// ```
    /// assert!(landlinked::dc::BranchStats::new(1).max_loading().is_none());
    /// ```
    pub fn max_loading(&self) -> Option<Vec<f64>> {
        let ratings = self.config.ratings_mw.as_ref()?;
        let e = &self.extremes;
        Some(
            ratings
                .iter()
                .enumerate()
                .map(|(k, r)| e.max[k].max(-e.min[k]).max(0.0) / r)
                .collect(),
        )
    }

    /// The first period of each branch's largest |flow| (the maximum or
    /// the minimum flow's period, the earlier on a tie).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::BranchStats::new(1).max_abs_period(), vec![0]);
    /// ```
    pub fn max_abs_period(&self) -> Vec<usize> {
        let e = &self.extremes;
        (0..self.config.branches)
            .map(|k| {
                let (hi, lo) = (e.max[k], -e.min[k]);
                if hi > lo || (hi == lo && e.max_period[k] <= e.min_period[k]) {
                    e.max_period[k]
                } else {
                    e.min_period[k]
                }
            })
            .collect()
    }

    /// The loading thresholds set by [`BranchStats::with_thresholds`].
    ///
    /// ```
    /// let s = landlinked::dc::BranchStats::new(1).with_ratings(&[1.0])?.with_thresholds(&[0.8])?;
    /// assert_eq!(s.thresholds(), &[0.8]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn thresholds(&self) -> &[f64] {
        &self.config.thresholds
    }

    /// Periods of each branch with |flow| above `thresholds()[j]` × its
    /// rating (strictly). Empty if there is no threshold `j`.
    ///
    /// ```
    /// let s = landlinked::dc::BranchStats::new(2).with_ratings(&[1.0, 1.0])?.with_thresholds(&[0.8])?;
    /// assert_eq!(s.periods_above(0), vec![0, 0]);
    /// assert!(s.periods_above(1).is_empty());
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn periods_above(&self, j: usize) -> Vec<u32> {
        let t = self.config.thresholds.len();
        if j >= t {
            return Vec::new();
        }
        self.above.iter().skip(j).step_by(t).copied().collect()
    }

    /// Branch position `k`'s histogram: `bins` counts of loadings in
    /// `[i·top/bins, (i+1)·top/bins)`, then the count at or above `top`.
    /// Empty without a histogram or for an unknown branch.
    ///
    /// ```
    /// let s = landlinked::dc::BranchStats::new(1).with_ratings(&[1.0])?.with_histogram(2, 1.0)?;
    /// assert_eq!(s.histogram(0), &[0, 0, 0]);
    /// # Ok::<(), landlinked::Error>(())
    /// ```
    pub fn histogram(&self, k: usize) -> &[u32] {
        let w = self.config.bins + 1;
        self.histogram.get(k * w..(k + 1) * w).unwrap_or(&[])
    }
}

impl Reducer for BranchStats {
    fn fresh(&self) -> Self {
        let c = &self.config;
        BranchStats {
            config: Arc::clone(c),
            periods: 0,
            extremes: Extremes::new(c.branches),
            sum_mw: vec![0.0; c.branches],
            above: vec![0; self.above.len()],
            histogram: vec![0; self.histogram.len()],
        }
    }

    fn block(&mut self, b: &BlockView<'_>) {
        let (width, first) = (b.width(), b.first_period());
        let c = &*self.config;
        let t = c.thresholds.len();
        for &k in b.branch_order() {
            let k = k as usize;
            let l = &b.flow_mw(k);
            self.extremes.update(k, l, width, first);
            self.sum_mw[k] += lane_sum(l, width);
            if t > 0 || c.bins > 0 {
                for (j, &lim) in c.limits_mw[k * t..(k + 1) * t].iter().enumerate() {
                    self.above[k * t + j] += count_abs_gt(l, width, lim);
                }
                if c.bins > 0 {
                    let h = &mut self.histogram[k * (c.bins + 1)..(k + 1) * (c.bins + 1)];
                    for a in l[..width].iter().map(|v| v.abs()) {
                        // `as` saturates: an infinite rating's 0 lands in bin 0.
                        let bin = ((a * c.per_mw[k]) as usize).min(c.bins);
                        h[bin] += 1;
                    }
                }
            }
        }
        self.periods += width;
    }

    fn merge(&mut self, later: Self) {
        self.extremes.merge(later.extremes);
        for (s, l) in self.sum_mw.iter_mut().zip(later.sum_mw) {
            *s += l;
        }
        for (s, l) in self.above.iter_mut().zip(later.above) {
            *s += l;
        }
        for (s, l) in self.histogram.iter_mut().zip(later.histogram) {
            *s += l;
        }
        self.periods += later.periods;
    }

    fn check(&self, branches: usize, _buses: usize) -> Result<()> {
        count_matches("BranchStats", "branches", self.config.branches, branches)
    }
}

/// Per-bus extremes of the voltage angle over periods, degrees, with the
/// first period of each.
///
/// ```
/// use landlinked::dc::{AngleExtremes, DcPowerFlow};
/// # let net = landlinked::io::matpower::parse_str("mpc.baseMVA=100;\nmpc.bus=[1 3 0 0 0 0 1 1 0 1 1 1 1; 2 1 0 0 0 0 1 1 0 1 1 1 1];\nmpc.gen=[1 0 0 0 0 1 100 1 1 0];\nmpc.branch=[1 2 0 0.5 0 0 0 0 0 0 1 -360 360];", "x.m").unwrap();
/// let pf = DcPowerFlow::new(&net)?;
/// let inj = nalgebra::DMatrix::from_fn(2, 10, |bus, t| if bus == 1 { -(t as f64) } else { 0.0 });
/// let a = pf.reduce_many(&inj, AngleExtremes::new(2))?;
/// assert_eq!(a.max_deg()[1], 0.0); // no draw in period 0
/// assert!((a.min_deg()[1] + (0.09f64 * 0.5).to_degrees()).abs() < 1e-12); // 9 MW over x = 0.5
/// # Ok::<(), landlinked::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct AngleExtremes {
    buses: usize,
    extremes: Extremes,
}

impl AngleExtremes {
    /// Extremes of `buses` buses (the grid's bus count).
    ///
    /// ```
    /// assert_eq!(landlinked::dc::AngleExtremes::new(2).max_deg().len(), 2);
    /// ```
    pub fn new(buses: usize) -> AngleExtremes {
        AngleExtremes {
            buses,
            extremes: Extremes::new(buses),
        }
    }

    /// Largest angle of each bus, degrees.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::AngleExtremes::new(1).max_deg(), &[f64::NEG_INFINITY]);
    /// ```
    pub fn max_deg(&self) -> &[f64] {
        &self.extremes.max
    }

    /// The first period of each bus's largest angle.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::AngleExtremes::new(1).max_period(), &[0]);
    /// ```
    pub fn max_period(&self) -> &[usize] {
        &self.extremes.max_period
    }

    /// Smallest angle of each bus, degrees.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::AngleExtremes::new(1).min_deg(), &[f64::INFINITY]);
    /// ```
    pub fn min_deg(&self) -> &[f64] {
        &self.extremes.min
    }

    /// The first period of each bus's smallest angle.
    ///
    /// ```
    /// assert_eq!(landlinked::dc::AngleExtremes::new(1).min_period(), &[0]);
    /// ```
    pub fn min_period(&self) -> &[usize] {
        &self.extremes.min_period
    }
}

impl Reducer for AngleExtremes {
    fn fresh(&self) -> Self {
        AngleExtremes::new(self.buses)
    }

    fn block(&mut self, b: &BlockView<'_>) {
        for i in 0..self.buses {
            let a = b.angle_deg(i);
            self.extremes.update(i, &a, b.width(), b.first_period());
        }
    }

    fn merge(&mut self, later: Self) {
        self.extremes.merge(later.extremes);
    }

    fn check(&self, _branches: usize, buses: usize) -> Result<()> {
        count_matches("AngleExtremes", "buses", self.buses, buses)
    }
}

/// Ratings must be positive and not NaN (`+∞` is an unlimited branch);
/// `name(k)` names element `k` in the error.
pub(crate) fn check_ratings(
    ratings_mw: &[f64],
    expected: usize,
    name: impl Fn(usize) -> String,
) -> Result<()> {
    if ratings_mw.len() != expected {
        return Err(Error::DimensionMismatch {
            what: "ratings (one per branch)".into(),
            found: ratings_mw.len(),
            expected,
        });
    }
    match ratings_mw.iter().position(|&r| r.is_nan() || r <= 0.0) {
        Some(k) => Err(Error::InvalidValue {
            element: name(k),
            field: "rating_mw".into(),
            value: ratings_mw[k],
            expected: "a positive rating (f64::INFINITY for an unlimited branch)".into(),
        }),
        None => Ok(()),
    }
}

fn positive(v: f64, element: &str, field: &str) -> Result<()> {
    if v > 0.0 && v.is_finite() {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            element: element.into(),
            field: field.into(),
            value: v,
            expected: "a positive, finite number".into(),
        })
    }
}

fn count_matches(reducer: &str, what: &str, set_up: usize, grid: usize) -> Result<()> {
    if set_up == grid {
        Ok(())
    } else {
        Err(Error::DimensionMismatch {
            what: format!("{reducer} {what} (set up for another grid)"),
            found: set_up,
            expected: grid,
        })
    }
}
