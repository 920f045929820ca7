//! Checks shared by the hourly-study tests.

use landlinked::hourly::HourRow;

/// Every hour balances (hydro + other + imports + unserved = load +
/// exports, to 1e-6 MW) and the AC flow across the exporter's border is
/// its net export (to 1e-6 relative).
pub fn assert_hour_balances(h: &HourRow) {
    let supply = h.hydro_mw + h.other_mw + h.imports_mw + h.unserved_mw;
    let used = h.load_mw + h.exports_mw;
    assert!(
        (supply - used).abs() < 1e-6,
        "hour {}: {supply} vs {used}",
        h.hour
    );
    let net = h.exports_mw - h.imports_mw;
    assert!(
        (h.border_flow_mw - net).abs() < 1e-6 * (1.0 + net.abs()),
        "hour {}: border {} vs net exports {net}",
        h.hour,
        h.border_flow_mw
    );
}
