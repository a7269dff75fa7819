from otter.test_files import test_case

OK_FORMAT = False

name = "ex02_mg_block"
points = 1

@test_case(points=None, hidden=False)
def test_without(blocked_without_mg):
    from widgets.exercises import expect_number
    expect_number(blocked_without_mg, 'blocked_without_mg', 0.5, 'the fraction blocked without Mg2+, between 0 and 1: fraction_blocked(0.9, 0.9)', slips=[(50, 'give a fraction between 0 and 1, not a percentage')])

@test_case(points=None, hidden=False)
def test_with(blocked_with_mg):
    from widgets.exercises import expect_number
    expect_number(blocked_with_mg, 'blocked_with_mg', 0.9 / (0.9 + 10.3), 'the fraction blocked with 1 mM Mg2+, between 0 and 1', slips=[(100 * 0.9 / (0.9 + 10.3), 'give a fraction between 0 and 1, not a percentage'), (10.3 / (0.9 + 10.3), 'that is the fraction left unblocked: the concentration goes on top')])

