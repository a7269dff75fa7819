from otter.test_files import test_case

OK_FORMAT = False

name = "ex10_no_effect_line"
points = 1

@test_case(points=None, hidden=False)
def test_kare_relapse(kare_relapse):
    import course_data
    from widgets.exercises import expect_bool
    fact = course_data.fact('kare-relapse-or')
    expect_bool(kare_relapse, 'kare_relapse', fact['value_low'] <= 1 <= fact['value_high'], 'True or False: is an odds ratio of 1 inside 0.31 to 2.10?', hint='for a ratio, no effect is 1, not 0')

@test_case(points=None, hidden=False)
def test_cocaine(cocaine_relapse):
    import course_data
    from widgets.exercises import expect_bool
    fact = course_data.fact('cocaine-trial-relapse-hr')
    expect_bool(cocaine_relapse, 'cocaine_relapse', fact['value_low'] <= 1 <= fact['value_high'], 'True or False: is a hazard ratio of 1 inside 0.24 to 0.92?', hint='for a ratio, no effect is 1, not 0')

@test_case(points=None, hidden=False)
def test_days(kare_days_abstinent):
    import course_data
    from widgets.exercises import expect_bool
    fact = course_data.fact('kare-days-abstinent-pp')
    expect_bool(kare_days_abstinent, 'kare_days_abstinent', fact['value_low'] <= 0 <= fact['value_high'], 'True or False: is a difference of 0 inside 1.1 to 19.0?', hint='for a difference, no effect is 0, not 1')

