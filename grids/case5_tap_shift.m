function mpc = case5_tap_shift
%CASE5_TAP_SHIFT  Five buses exercising every DC power flow convention.
%   Written for landlinked's tests (not derived from any MATPOWER case);
%   tests/conventions.rs checks it against an independent dense solve.
%   Run it:  cargo run --release --example dcpf -- grids/case5_tap_shift.m
%
%   What each element is here to test:
%   * bus numbers 3, 7, 12, 25, 40: non-sequential, not in ascending order,
%     and the reference is bus 3, neither bus 1 nor the first row;
%   * bus 3 (REF) has file Va = 12.5 deg: every angle follows from it;
%   * bus 12 carries a shunt Gs = 8 MW (a constant load in DC) and a Bs,
%     which DC must ignore;
%   * branch 2 (3-12) is a transformer with off-nominal tap 0.975;
%   * branch 3 (7-25) is a phase shifter with ratio 0 (means 1), shift -4 deg;
%   * branch 5 (25-40) has both tap 1.05 and shift +3 deg;
%   * branch 6 (12-40) is out of service: flow exactly 0;
%   * branch 7 (40-12) runs in the opposite direction to branch 6;
%   * branch 8 (25-12) is parallel to branch 4 (12-25), listed reversed;
%   * bus 3 has two generators: only the first (file order) takes the
%     slack, the second keeps its file Pg = 20 MW;
%   * generator 4 (bus 40) is out of service: reported with Pg = 0 even
%     though the file says 50;
%   * resistances and line charging are nonzero: DC must ignore them.

mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	7	2	30	10	0	0	1	1	3	230	1	1.1	0.9;	% PV bus with a generator
	3	3	0	0	0	0	1	1	12.5	230	1	1.1	0.9;	% REF, Va 12.5 deg
	12	1	110	35	8	19	1	1	-2	230	1	1.1	0.9;	% load + Gs 8 MW (Bs ignored)
	25	1	95	30	0	0	1	1	-4	230	1	1.1	0.9;	% load
	40	2	70	20	0	0	1	1	-6	230	1	1.1	0.9;	% PV whose generator is off
];

%% generator data
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	3	40	0	300	-300	1	100	1	400	0;	% slack: first in-service gen at REF
	7	120	0	200	-200	1	100	1	200	0;	% fixed output
	3	20	0	100	-100	1	100	1	100	0;	% second gen at REF keeps 20 MW
	40	50	0	100	-100	1	100	0	100	0;	% out of service: Pg reported 0
];

%% branch data
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	3	7	0.01	0.06	0.03	250	250	250	0	0	1	-360	360;	% line
	3	12	0.005	0.08	0	250	250	250	0.975	0	1	-360	360;	% tap 0.975
	7	25	0.01	0.1	0	250	250	250	0	-4	1	-360	360;	% shifter, ratio 0
	12	25	0.02	0.12	0.04	250	250	250	0	0	1	-360	360;	% line
	25	40	0	0.05	0	250	250	250	1.05	3	1	-360	360;	% tap and shift
	12	40	0.01	0.09	0	250	250	250	0	0	0	-360	360;	% out of service
	40	12	0.01	0.15	0	250	250	250	0	0	1	-360	360;	% reversed direction
	25	12	0.03	0.2	0.01	250	250	250	0	0	1	-360	360;	% parallel to 12-25
];

%% generator cost data (ignored by the DC power flow; the reader must skip it)
mpc.gencost = [
	2	0	0	3	0.01	20	0;
	2	0	0	3	0.02	25	0;
	2	0	0	3	0.02	25	0;
	2	0	0	3	0.03	30	0;
];
