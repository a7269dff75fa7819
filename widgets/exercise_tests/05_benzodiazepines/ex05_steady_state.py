from otter.test_files import test_case

OK_FORMAT = False

name = "ex05_steady_state"
points = 1

@test_case(points=None, hidden=False)
def test_clonazepam(clonazepam_days):
    from widgets.exercises import expect_number
    from widgets.models.benzodiazepines import time_to_steady_state_h
    expected = time_to_steady_state_h(30) / 24
    expect_number(clonazepam_days, 'clonazepam_days', expected, 'the days to 90 % of steady state for t½ 30 h', slips=[(expected * 24, 'that is in hours: divide by 24 for days'), (5 * 30 / 24, 'five half-lives give about 97 %; 90 % takes 3.32 half-lives')])

@test_case(points=None, hidden=False)
def test_diazepam(diazepam_days):
    from widgets.exercises import expect_number
    from widgets.models.benzodiazepines import time_to_steady_state_h
    expected = time_to_steady_state_h(44.7) / 24
    expect_number(diazepam_days, 'diazepam_days', expected, 'the days to 90 % of steady state for t½ 44.7 h', slips=[(expected * 24, 'that is in hours: divide by 24 for days'), (5 * 44.7 / 24, 'five half-lives give about 97 %; 90 % takes 3.32 half-lives')])

