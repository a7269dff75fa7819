from otter.test_files import test_case

OK_FORMAT = False

name = "ex05_accumulation"
points = 1

@test_case(points=None, hidden=False)
def test_central(clonazepam_central):
    import math
    from widgets.exercises import expect_number
    from widgets.models.benzodiazepines import accumulation_ratio
    expect_number(clonazepam_central, 'clonazepam_central', accumulation_ratio(30, 24), 'the accumulation ratio for t½ 30 h, τ 24 h', slips=[(1 / (1 - math.exp(-24 / 30)), 'k is ln 2 divided by the half-life, not 1 divided by it')])

@test_case(points=None, hidden=False)
def test_longest(clonazepam_longest):
    import math
    from widgets.exercises import expect_number
    from widgets.models.benzodiazepines import accumulation_ratio
    expect_number(clonazepam_longest, 'clonazepam_longest', accumulation_ratio(50, 24), 'the accumulation ratio for t½ 50 h, τ 24 h', slips=[(1 / (1 - math.exp(-24 / 50)), 'k is ln 2 divided by the half-life, not 1 divided by it')])

