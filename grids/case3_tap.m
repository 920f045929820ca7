function mpc = case3_tap
%CASE3_TAP  Three buses, one loop, one off-nominal transformer tap.
%   Small enough to solve by hand; tests/conventions.rs checks the numbers
%   below. Written for landlinked's tests (not derived from any MATPOWER case).
%
%   b = 1/(x*tap):  1-2: 1/0.1 = 10;  2-3: 1/(0.2*0.8) = 6.25;  1-3: 1/0.25 = 4
%   Injections (p.u. on 100 MVA): P2 = -0.90;  P3 = -(0.60 + Gs 0.10) = -0.70
%   Reduced B (buses 2, 3) = [16.25 -6.25; -6.25 10.25], det = 127.5
%   theta2 - theta1 = (10.25*-0.9 + 6.25*-0.7)/127.5 = -13.6/127.5 = -8/75 rad
%   theta3 - theta1 = (6.25*-0.9 + 16.25*-0.7)/127.5 = -17/127.5  = -2/15 rad
%   Flows: 1-2 = 10*8/75     = 1.0666.. p.u. = 106.666.. MW
%          2-3 = 6.25*2/75   = 0.1666.. p.u. =  16.666.. MW
%          1-3 = 4*2/15      = 0.5333.. p.u. =  53.333.. MW
%   Slack (bus 1) = 90 + 60 + 10 (Gs) = 160 MW
%   Angles: reference keeps its file Va = 5 deg, so
%          Va2 = 5 - (8/75)*180/pi = -1.111550..., Va3 = 5 - (2/15)*180/pi = -2.639437...

mpc.version = '2';
mpc.baseMVA = 100;

%% bus data
%	bus_i	type	Pd	Qd	Gs	Bs	area	Vm	Va	baseKV	zone	Vmax	Vmin
mpc.bus = [
	1	3	0	0	0	0	1	1	5	220	1	1.1	0.9;	% REF, file Va = 5 deg kept
	2	1	90	30	0	0	1	1	0	220	1	1.1	0.9;	% load
	3	1	60	20	10	0	1	1	0	220	1	1.1	0.9;	% load + Gs = 10 MW shunt (a load)
];

%% generator data
%	bus	Pg	Qg	Qmax	Qmin	Vg	mBase	status	Pmax	Pmin
mpc.gen = [
	1	0	0	300	-300	1	100	1	300	0;	% slack: takes all 160 MW
];

%% branch data
%	fbus	tbus	r	x	b	rateA	rateB	rateC	ratio	angle	status	angmin	angmax
mpc.branch = [
	1	2	0.01	0.1	0.02	0	0	0	0	0	1	-360	360;	% line, ratio 0 means 1
	2	3	0	0.2	0	0	0	0	0.8	0	1	-360	360;	% transformer, tap 0.8
	1	3	0.02	0.25	0.03	0	0	0	0	0	1	-360	360;	% line closing the loop
];
