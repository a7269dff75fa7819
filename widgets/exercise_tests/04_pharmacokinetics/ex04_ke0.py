from otter.test_files import test_case

OK_FORMAT = False

name = "ex04_ke0"
points = 1

@test_case(points=None, hidden=False)
def test_ke0(ke0_slowest):
    import math
    from widgets.exercises import expect_number
    expect_number(ke0_slowest, 'ke0_slowest', math.log(2) / 11.8, 'ke0 (per min) for an 11.8-min half-time', slips=[(1 / 11.8, 'use ln 2 (0.693) in the numerator, not 1'), (math.log(2) * 11.8, 'divide ln 2 by the half-time')])

@test_case(points=None, hidden=False)
def test_ratio(times_slower):
    import math
    from widgets.exercises import expect_number
    expect_number(times_slower, 'times_slower', 0.652 / (math.log(2) / 11.8), '0.652 divided by your ke0', slips=[(math.log(2) / 11.8 / 0.652, 'divide 0.652 by your ke0, not the other way round')])

