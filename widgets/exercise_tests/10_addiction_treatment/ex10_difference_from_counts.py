from otter.test_files import test_case

OK_FORMAT = False

name = "ex10_difference_from_counts"
points = 1

@test_case(points=None, hidden=False)
def test_difference(krupitsky_difference):
    from widgets.exercises import expect_number
    from widgets.models.treatment import risk_difference_wald
    expected = risk_difference_wald(13, 26, 6, 27)[0]
    expect_number(krupitsky_difference, 'krupitsky_difference', expected, 'the difference in abstinence, in percentage points', slips=[(expected / 100, 'give percentage points (multiply the difference of proportions by 100)'), (100 * (13 - 6) / (26 + 27), "divide each arm's events by its own size, then subtract")])

@test_case(points=None, hidden=False)
def test_interval(excludes_no_effect):
    from widgets.exercises import expect_bool
    from widgets.models.treatment import risk_difference_wald
    _, low, high = risk_difference_wald(13, 26, 6, 27)
    expect_bool(excludes_no_effect, 'excludes_no_effect', bool(low > 0 or high < 0), 'True or False: does the 95 % interval leave out 0?', hint='look at the lower end of the interval')

