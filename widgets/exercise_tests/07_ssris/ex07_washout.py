from otter.test_files import test_case

OK_FORMAT = False

name = "ex07_washout"
points = 1

@test_case(points=None, hidden=False)
def test_shortest(left_shortest):
    from widgets.exercises import expect_number
    from widgets.models.ssris import washout_fraction_remaining as left
    expect_number(left_shortest, 'left_shortest', float(left(28, 7)), 'the fraction (0 to 1) left after 28 days with t½ 7 days', slips=[(1 - float(left(28, 7)), 'that is the fraction already gone: the fraction left is 2^(−t/t½)'), (100 * float(left(28, 7)), 'give a fraction between 0 and 1, not a percentage')])

@test_case(points=None, hidden=False)
def test_longest(left_longest):
    from widgets.exercises import expect_number
    from widgets.models.ssris import washout_fraction_remaining as left
    expect_number(left_longest, 'left_longest', float(left(28, 15)), 'the fraction (0 to 1) left after 28 days with t½ 15 days', slips=[(1 - float(left(28, 15)), 'that is the fraction already gone: the fraction left is 2^(−t/t½)'), (100 * float(left(28, 15)), 'give a fraction between 0 and 1, not a percentage')])

