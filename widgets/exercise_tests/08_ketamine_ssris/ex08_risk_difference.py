from otter.test_files import test_case

OK_FORMAT = False

name = "ex08_risk_difference"
points = 1

@test_case(points=None, hidden=False)
def test_remission(remission_difference):
    import course_data
    from widgets.exercises import expect_number
    row = course_data.load('antidepressant_trials').set_index('id').loc['transform2-remission']
    expect_number(remission_difference, 'remission_difference', row['effect_value'], 'the remission difference in percentage points', rel=0.005, slips=[(52.5 / 31.0, 'that is a ratio: a risk difference subtracts the rates'), (-21.5, 'subtract the control rate from the esketamine rate')])

@test_case(points=None, hidden=False)
def test_transform1(transform1_difference):
    from widgets.exercises import expect_number
    expect_number(transform1_difference, 'transform1_difference', 54.1 - 38.9, 'the TRANSFORM-1 response difference in percentage points', rel=0.005, slips=[(38.9 - 54.1, 'subtract the placebo rate from the esketamine rate')])

@test_case(points=None, hidden=False)
def test_ci(remission_ci_excludes_zero):
    from widgets.exercises import expect_bool
    expect_bool(remission_ci_excludes_zero, 'remission_ci_excludes_zero', True, 'True or False: does the interval 8.17 to 34.78 leave out 0?', hint='both ends of the interval are above 0, so 0 is outside it')

