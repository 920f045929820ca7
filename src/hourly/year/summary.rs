//! A year's tables: the monthly balance and corridor rows, the hourly
//! rows if asked, and the branch statistics of the final flows.

use super::super::fused::FlowStats;
use super::super::schedule::Schedule;
use super::super::{BalanceMonth, CorridorMonth, HourRow};
use super::{EPS_MW, Scenario, Trade, YearOut};
use crate::calendar::Month;
use crate::hydro::HydroResults;

impl Scenario<'_> {
    /// Monthly tables, branch statistics and (if asked) hourly rows.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn summarise(
        &self,
        s: &Schedule,
        hydro: &HydroResults,
        trade: &Trade,
        fin: FlowStats,
        (scenario, year): (&str, &str),
        keep_hours: bool,
    ) -> YearOut {
        let net = self.grid.network();
        let m = net.branches.len();
        let mut out = YearOut {
            balance: Vec::with_capacity(12),
            corridors: Vec::new(),
            hours: keep_hours.then(Vec::new),
            branch_max_mw: Vec::new(),
            over80: Vec::new(),
            over100: Vec::new(),
            binding: vec![0; m],
            binding_outages: Vec::new(),
            lane_mw: trade
                .exports
                .iter()
                .map(|v| v.iter().map(|&x| x as f32).collect())
                .collect(),
            worsened: Vec::new(),
            dc_seconds: 0.0,
        };
        for &(_, b, _) in &trade.binding {
            out.binding[b] += 1;
        }
        let mut next_binding = 0;
        let ex_storage: Vec<&str> = self
            .ex
            .gens
            .iter()
            .map(|&g| self.grid.plants()[g].name.as_str())
            .collect();
        for month in Month::ALL {
            let hours = month.first_hour()..month.first_hour() + month.hours() as usize;
            let mut b = BalanceMonth {
                scenario: scenario.to_string(),
                year: year.to_string(),
                month,
                load_gwh: 0.0,
                hydro_gwh: 0.0,
                other_gwh: 0.0,
                imports_gwh: 0.0,
                exports_gwh: 0.0,
                spill_gwh: 0.0,
                unserved_gwh: 0.0,
                reserve_mw_min: f64::INFINITY,
                storage_end_hm3: hydro
                    .rows
                    .iter()
                    .filter(|r| r.month == month && ex_storage.contains(&r.plant.as_str()))
                    .map(|r| r.storage_end_hm3)
                    .sum(),
            };
            for h in hours.clone() {
                // The exporter's own part (a partner's share passes through).
                let exports: f64 = trade
                    .exports
                    .iter()
                    .zip(&self.lanes)
                    .map(|(v, l)| v[h] * l.own_share())
                    .sum();
                let imports: f64 = trade.imports.iter().map(|v| v[h]).sum();
                let load = s.load_mw[h];
                let surplus = s.hydro_mw[h] + s.other_mw[h] - load;
                // Below a microwatt is rounding, not water.
                let clean = |x: f64| if x > EPS_MW { x } else { 0.0 };
                let backed = clean(surplus - exports);
                let spill = backed + clean(s.spill_mw[h]);
                let hydro_mw = s.hydro_mw[h] - backed;
                let reserve = self.ex.regulated_mw - s.regulated_mw[h] + backed;
                b.load_gwh += load / 1000.0;
                b.hydro_gwh += hydro_mw / 1000.0;
                b.other_gwh += s.other_mw[h] / 1000.0;
                b.imports_gwh += imports / 1000.0;
                b.exports_gwh += exports / 1000.0;
                b.spill_gwh += spill / 1000.0;
                b.unserved_gwh += trade.unserved[h] / 1000.0;
                b.reserve_mw_min = b.reserve_mw_min.min(reserve);
                let border = self.border_flow(fin.border_ac_mw[h], trade, h);
                let mut binding = Vec::new();
                while let Some(&(_, b, o)) = trade.binding.get(next_binding).filter(|e| e.0 == h) {
                    next_binding += 1;
                    if out.hours.is_none() {
                        continue;
                    }
                    binding.push(match o {
                        Some(k) => {
                            format!(
                                "{} (N-1 of {})",
                                self.grid.branch_label(b),
                                self.grid.branch_label(k)
                            )
                        }
                        None => self.grid.branch_label(b),
                    });
                }
                if let Some(rows) = out.hours.as_mut() {
                    rows.push(HourRow {
                        scenario: scenario.to_string(),
                        year: year.to_string(),
                        hour: h,
                        month,
                        load_mw: load,
                        hydro_mw,
                        other_mw: s.other_mw[h],
                        imports_mw: imports,
                        exports_mw: exports,
                        spill_mw: spill,
                        unserved_mw: trade.unserved[h],
                        reserve_mw: reserve,
                        border_flow_mw: border,
                        binding: binding.join("; "),
                    });
                }
            }
            out.balance.push(b);
            for (k, lane) in self.lanes.iter().enumerate() {
                let c = &self.grid.corridors()[lane.corridor];
                let stat = &trade.stats[k][month.index()];
                let mwh: f64 = hours.clone().map(|h| trade.exports[k][h]).sum();
                let peak = hours
                    .clone()
                    .map(|h| trade.exports[k][h])
                    .fold(0.0, f64::max);
                let own_mwh = mwh * lane.own_share();
                out.corridors.push(CorridorMonth {
                    scenario: scenario.to_string(),
                    year: year.to_string(),
                    month,
                    corridor: c.name.clone(),
                    importer: c.importer.clone(),
                    capacity_mw: lane.capacity_mw,
                    export_gwh: own_mwh / 1000.0,
                    partner_gwh: (mwh - own_mwh) / 1000.0,
                    peak_mw: peak,
                    revenue_musd: own_mwh * lane.net_price.unwrap_or(0.0) / 1e6,
                    hours_exporting: stat.hours,
                    hours_at_capacity: stat.at_capacity,
                    hours_at_network_limit: stat.at_network,
                    hours_at_appetite: stat.at_appetite,
                    hours_no_surplus: stat.no_surplus,
                });
            }
        }
        out.branch_max_mw = fin.max_abs_mw;
        out.over80 = fin.over80;
        out.over100 = fin.over100;
        out.worsened = fin.worsened;
        out
    }

    /// Net flow out of the exporter in hour `h`: the AC branches' `ac`
    /// (from [`FinalFlows`]) and the links that cross its border.
    fn border_flow(&self, ac: f64, trade: &Trade, h: usize) -> f64 {
        let mut dc = 0.0;
        for (k, lane) in self.lanes.iter().enumerate() {
            let each = trade.exports[k][h] / lane.links.len().max(1) as f64;
            for &l in &lane.links {
                dc += each * self.link_border[l];
            }
        }
        ac + dc
    }
}
