function mpc = case6_two_islands
%CASE6_TWO_ISLANDS  Two islands and an isolated bus.
%   Written for landlinked's tests (not derived from any MATPOWER case);
%   tests/conventions.rs checks it against an independent dense solve.
%
%   What each element is here to test:
%   * island A (buses 101, 102): has a REF bus (101, file Va -7.5 deg) with
%     a generator, so it is solved with its own slack, as MATPOWER does;
%     two parallel branches, one a transformer with tap 1.1; Gs at 102;
%   * island B (buses 201, 202, 203): has no REF bus. Bus 201 is PV but its
%     only generator is out of service, so the reference must be bus 202,
%     the first PV bus in file order with an in-service generator (its file
%     Va, 4 deg, is kept), and a warning must be returned. Bus 203 is PV
%     with a generator too: it must keep its file Pg (it is not the slack);
%   * bus 9 is isolated (type 4) with a load, a generator and a branch to
%     island A: all left out; its angle is reported as its file Va (1.25),
%     its generator with Pg 0, its branch with flow 0; its load is not in
%     any balance.

mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	101	3	20	5	0	0	1	1	-7.5	110	1	1.1	0.9;	% island A REF
	102	1	60	15	4	0	1	1	-9	110	1	1.1	0.9;	% island A load + Gs
	201	2	25	5	0	0	2	1	2	110	2	1.1	0.9;	% island B, PV, gen out
	9	4	33	10	0	0	1	1	1.25	110	1	1.1	0.9;	% isolated bus with load
	202	2	15	5	0	0	2	1	4	110	2	1.1	0.9;	% island B chosen reference
	203	2	40	10	2	0	2	1	3	110	2	1.1	0.9;	% island B, PV with gen
];

%% generator data
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	201	30	0	50	-50	1	100	0	50	0;	% out of service: 201 cannot be ref
	101	10	0	200	-200	1	100	1	200	0;	% island A slack
	9	45	0	50	-50	1	100	1	50	0;	% on the isolated bus: Pg 0
	203	35	0	50	-50	1	100	1	50	0;	% island B, fixed output
	202	5	0	150	-150	1	100	1	150	0;	% island B slack (chosen ref)
];

%% branch data
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	101	102	0.01	0.08	0	0	0	0	0	0	1	-360	360;	% island A
	102	101	0.01	0.12	0	0	0	0	1.1	0	1	-360	360;	% parallel transformer
	9	102	0.01	0.1	0	0	0	0	0	0	1	-360	360;	% to isolated bus: flow 0
	201	202	0.01	0.07	0	0	0	0	0	0	1	-360	360;	% island B
	202	203	0.01	0.09	0	0	0	0	0	2	1	-360	360;	% island B shifter
	203	201	0.01	0.11	0	0	0	0	0	0	1	-360	360;	% island B loop
];
