from otter.test_files import test_case

OK_FORMAT = False

name = "ex07_steady_state"
points = 1

@test_case(points=None, hidden=False)
def test_90(citalopram_90):
    from widgets.exercises import expect_number
    from widgets.models.ssris import days_to_fraction_of_steady_state as days
    expect_number(citalopram_90, 'citalopram_90', days(36 / 24, 0.9), 'the days to 90 % of steady state for t½ 36 h', slips=[(days(36 / 24, 0.9) * 24, 'that is in hours: divide by 24 for days')])

@test_case(points=None, hidden=False)
def test_99(citalopram_99):
    from widgets.exercises import expect_number
    from widgets.models.ssris import days_to_fraction_of_steady_state as days
    expect_number(citalopram_99, 'citalopram_99', days(36 / 24, 0.99), 'the days to 99 % of steady state for t½ 36 h', slips=[(days(36 / 24, 0.99) * 24, 'that is in hours: divide by 24 for days')])

